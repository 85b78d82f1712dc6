"""The registration saga between the real identity and enterprise services (nameko containers,
RabbitMQ, Postgres, Redis) when identity's call to the enterprise times out: the account ends
up with exactly the password the legal representative gave."""

import time

import psycopg2
import pytest
from identity_builders import random_password, random_uscc
from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url

from hrss_contracts.errors import CatalogueError
from hrss_contracts.examples import random_id_number
from hrss_enterprise.entrypoints.service import EnterpriseService
from hrss_identity.adapters.orm import accounts, pending_registrations
from hrss_identity.adapters.passwords import Argon2Hasher
from hrss_identity.domain.model import UNANSWERED
from hrss_identity.entrypoints.service import IdentityService
from hrss_kit.migrate import upgrade
from hrss_kit.rpc_client import ServiceRpc

pytestmark = pytest.mark.integration

IDENTITY_TIMEOUT = 1.5  # production waits 10 s; the saga is the same, the test shorter


class ImpatientIdentity(IdentityService):
    """The identity service, giving up on the enterprise sooner."""

    enterprise = ServiceRpc("enterprise", timeout=IDENTITY_TIMEOUT)


def eventually(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            assert value, "condition not met in time"
            return value
        time.sleep(0.05)


@pytest.fixture
def urls(make_database):
    found = {"enterprise": make_database("saga_enterprise"), "identity": make_database("saga_identity")}
    upgrade("hrss_enterprise", found["enterprise"])
    upgrade("hrss_identity", found["identity"])
    return found


@pytest.fixture
def identity_db(urls):
    engine = create_engine(urls["identity"])
    yield engine
    engine.dispose()


def known_enterprise(rpc):
    """An application the enterprise-pension source vouches for, imported through the enterprise."""
    uscc, legal_rep_id = random_uscc(), random_id_number()
    record = {
        "uscc": uscc,
        "name": f"测试企业{uscc[-6:]}有限公司",
        "address": "黑龙江省哈尔滨市南岗区学府路1号",
        "legal_rep_name": "王建国",
        "legal_rep_id": legal_rep_id,
        "legal_rep_phone": "13904510001",
        "units": [],
    }
    report = rpc.service("enterprise").import_sources(
        source="enterprise-pension", records=[{"line": 1, "record": record}]
    )
    assert report["added"] == 1, report
    return {"uscc": uscc, "name": record["name"], "legal_rep_name": "王建国", "legal_rep_id": legal_rep_id}


def application(enterprise, password):
    return {**enterprise, "phone": "13904510001", "password": password}


def account_of(engine, uscc):
    with engine.connect() as conn:
        return conn.execute(select(accounts).filter_by(login_name=uscc)).first()


def pending_of(engine, uscc):
    with engine.connect() as conn:
        return conn.execute(select(pending_registrations).filter_by(uscc=uscc)).first()


def lock_enterprise_tables(url):
    """A transaction holding the enterprises table: the enterprise's registration waits for it."""
    parsed = make_url(url)
    conn = psycopg2.connect(host=parsed.host, port=parsed.port, user=parsed.username, dbname=parsed.database)
    conn.cursor().execute("LOCK TABLE enterprises IN ACCESS EXCLUSIVE MODE")
    return conn


def register_expecting_503(rpc, body):
    with pytest.raises(CatalogueError) as raised:
        rpc.service("identity").register(application=body)
    assert raised.value.code == "SERVICE_UNAVAILABLE"


def test_an_enterprise_that_decides_after_identitys_timeout_gets_the_account_the_password_given(
    start, rpc, urls, identity_db
):
    start(EnterpriseService, "enterprise")
    start(ImpatientIdentity, "identity")
    enterprise, password = known_enterprise(rpc), random_password()
    lock = lock_enterprise_tables(urls["enterprise"])
    try:
        register_expecting_503(rpc, application(enterprise, password))

        row = pending_of(identity_db, enterprise["uscc"])
        assert row.state == UNANSWERED and row.password_hash.startswith("$argon2id$")
        assert password not in row.password_hash
        assert account_of(identity_db, enterprise["uscc"]) is None
    finally:
        lock.rollback()  # the enterprise decides now, long after identity gave up
        lock.close()

    account = eventually(lambda: account_of(identity_db, enterprise["uscc"]))
    assert Argon2Hasher().verify(account.password_hash, password)
    assert pending_of(identity_db, enterprise["uscc"]) is None
    assert rpc.service("enterprise").find_enterprise(uscc=enterprise["uscc"])["uscc"] == enterprise["uscc"]


def test_an_enterprise_down_past_every_timeout_then_back_leaves_the_account_the_password_given(start, rpc, identity_db):
    enterprise_container = start(EnterpriseService, "enterprise")  # declares its queue, then goes down
    start(ImpatientIdentity, "identity")
    enterprise, password = known_enterprise(rpc), random_password()
    enterprise_container.stop()

    register_expecting_503(rpc, application(enterprise, password))
    time.sleep(IDENTITY_TIMEOUT)  # down for longer than any timeout
    start(EnterpriseService, "enterprise")
    # The legal representative tries again. Whether the enterprise decided the queued request
    # (then this is 409: the account exists) or dropped it as late (then this registers), the
    # account ends with the password given.
    try:
        assert rpc.service("identity").register(application=application(enterprise, password))["status"] == "registered"
    except CatalogueError as refusal:
        assert refusal.code == "LEGAL_ACCOUNT_EXISTS"

    account = eventually(lambda: account_of(identity_db, enterprise["uscc"]))
    assert Argon2Hasher().verify(account.password_hash, password)
    assert pending_of(identity_db, enterprise["uscc"]) is None
