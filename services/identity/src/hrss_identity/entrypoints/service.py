"""The identity service's nameko entrypoints: load, call the service layer, dump."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hrss_contracts.registration import RegistrationRequestSchema
from hrss_identity.adapters.enterprise_directory import RpcEnterpriseDirectory
from hrss_identity.adapters.locks import RedisPendingPasswords, RedisRegistrationLocks
from hrss_identity.adapters.orm import metadata
from hrss_identity.adapters.passwords import Argon2Hasher
from hrss_identity.adapters.unit_of_work import SqlUnitOfWork
from hrss_identity.entrypoints.errors import catalogue_errors
from hrss_identity.service_layer import registration
from hrss_kit.database import Database
from hrss_kit.inbox import reliable_handler
from hrss_kit.logs import CallIdLogging
from hrss_kit.ops import OperationsMixin
from hrss_kit.redis import Redis
from hrss_kit.rpc import rpc
from hrss_kit.rpc_client import ServiceRpc

HASHER = Argon2Hasher()
REGISTRATION = RegistrationRequestSchema()


class IdentityService(OperationsMixin):
    name = "identity"

    db = Database(metadata)
    redis = Redis()
    enterprise = ServiceRpc("enterprise", timeout=10)
    call_ids = CallIdLogging()

    @rpc
    @catalogue_errors
    def register(self, application: dict[str, Any]) -> dict[str, Any]:
        """法人注册: refuse an existing account, have the enterprise verified, create the account."""
        loaded = REGISTRATION.load(application)
        enterprise = registration.register(
            loaded,
            SqlUnitOfWork(self.db),
            RpcEnterpriseDirectory(self.enterprise),
            HASHER,
            RedisRegistrationLocks(self.redis),
            RedisPendingPasswords(self.redis),
        )
        return {"uscc": enterprise["uscc"], "status": "registered"}

    @rpc
    def ping(self) -> str:
        """ "ok" when the database and Redis answer."""
        self.redis.ping()
        return super().ping()  # type: ignore[no-any-return]

    @reliable_handler("enterprise", "EnterpriseRegistered")
    def on_enterprise_registered(self, session: Session, envelope: dict[str, Any]) -> None:
        """Every registered enterprise has an account, even if ``register`` died half-way."""
        with SqlUnitOfWork(self.db, session) as uow:
            registration.ensure_account(uow, envelope["data"]["uscc"], RedisPendingPasswords(self.redis))
