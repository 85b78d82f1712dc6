"""Gateways on free ports (real broker vhost and Redis DB 15, rate-limit keys under a prefix of
their own) and stand-ins for the services behind them, built from the kit, so a test decides
what a service answers and can see whether a request reached it."""

import random
import socket
import uuid

import pytest
from sqlalchemy import MetaData, text

from hrss_contracts.errors import CatalogueError
from hrss_contracts.examples import random_id_number, random_uscc
from hrss_gateway.service import GatewayService
from hrss_kit.database import Database
from hrss_kit.ops import OperationsMixin
from hrss_kit.redis import Redis
from hrss_kit.rpc import rpc

# What the scripted identity answers, by the application's ``name``; any other name registers.
OUTCOMES = {"mismatch": "REGISTRATION_MISMATCH", "unknown": "ENTERPRISE_NOT_VERIFIED", "exists": "LEGAL_ACCOUNT_EXISTS"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def a_registration(**overrides):
    return {
        "uscc": random_uscc(),
        "name": "某公司",
        "legal_rep_name": "张三",
        "legal_rep_id": random_id_number(),
        "phone": f"139{random.randrange(10**8):08d}",
        **overrides,
    }


class ScriptedIdentity:
    """identity's RPC surface: ``register`` answers as ``OUTCOMES`` says and records each call."""

    name = "identity"
    calls: list[str] = []

    @rpc
    def register(self, application):
        ScriptedIdentity.calls.append(application["uscc"])
        if application["name"] in OUTCOMES:
            raise CatalogueError(OUTCOMES[application["name"]])
        return {"uscc": application["uscc"], "status": "registered"}

    @rpc
    def ping(self):
        return "ok"


class ScriptedEnterprise:
    name = "enterprise"

    @rpc
    def ping(self):
        return "ok"


class ScriptedAuthorization(ScriptedEnterprise):
    name = "authorization"


class ScriptedBusiness(ScriptedEnterprise):
    name = "business"


class IdentityOnItsInfrastructure(OperationsMixin):
    """identity as far as infrastructure goes: ``register`` reads its database, then takes a
    lock in Redis (as the real one does); ``ping`` is the kit's (a database round trip)."""

    name = "identity"
    db = Database(MetaData())
    redis = Redis()

    @rpc
    def register(self, application):
        with self.db.transaction() as session:
            session.execute(text("SELECT 1"))
        self.redis.set(f"test:lock:{application['uscc']}", "1", nx=True, ex=5)
        return {"uscc": application["uscc"], "status": "registered"}


@pytest.fixture
def gateway_config(rabbit_config, redis_url):
    return {
        **rabbit_config,
        "REDIS_URL": redis_url,
        "RATE_LIMIT_PREFIX": f"test:{uuid.uuid4().hex}",
    }


@pytest.fixture
def start_gateway(container_factory, gateway_config):
    """``start_gateway(**config)`` → the base URL of a started gateway."""

    def start(**config):
        port = free_port()
        container_factory(
            GatewayService, {**gateway_config, "WEB_SERVER_ADDRESS": f"127.0.0.1:{port}", **config}
        ).start()
        return f"http://127.0.0.1:{port}"

    return start


@pytest.fixture
def identity_on(container_factory, rabbit_config, make_database, redis_url):
    """``identity_on(redis="closed"|"real", database="closed"|"real")`` starts
    ``IdentityOnItsInfrastructure`` on the real Redis and a new database, or on ports nobody
    listens on."""

    def start(redis="real", database="real"):
        closed = free_port()
        config = {
            **rabbit_config,
            "REDIS_URL": redis_url if redis == "real" else f"redis://127.0.0.1:{closed}/0",
            "DATABASE_URL": make_database("gateway_identity")
            if database == "real"
            else f"postgresql+psycopg2://postgres@127.0.0.1:{closed}/nothing",
        }
        container_factory(IdentityOnItsInfrastructure, config).start()

    return start


@pytest.fixture
def registration():
    """``registration(**overrides)`` → a valid registration body for a new random code."""
    return a_registration


@pytest.fixture
def scripted_services(container_factory, rabbit_config):
    """Scripted identity, enterprise, authorization and business answering on the test's vhost; yields
    identity's calls."""
    ScriptedIdentity.calls = []
    for service in (ScriptedIdentity, ScriptedEnterprise, ScriptedAuthorization, ScriptedBusiness):
        container_factory(service, {**rabbit_config, "max_workers": 10}).start()
    return ScriptedIdentity.calls
