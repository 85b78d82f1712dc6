"""The identity service's nameko entrypoints: load, build the command, call the service layer
through ``bootstrap``, dump."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from nameko.dependency_providers import Config
from nameko.timer import timer
from sqlalchemy.orm import Session

from hrss_contracts.login import AgencyUserSchema, LoginRequestSchema
from hrss_contracts.masking import mask_id_number
from hrss_contracts.registration import RegistrationRequestSchema
from hrss_identity.adapters.orm import metadata
from hrss_identity.bootstrap import Identity, LoginSettings, PasswordHashing, bootstrap, stale_cutoff
from hrss_identity.domain import commands
from hrss_identity.entrypoints.errors import catalogue_errors
from hrss_kit.database import Database
from hrss_kit.inbox import reliable_handler
from hrss_kit.logs import CallIdLogging
from hrss_kit.ops import OperationsMixin
from hrss_kit.redis import Redis
from hrss_kit.rpc import rpc
from hrss_kit.rpc_client import ServiceRpc

REGISTRATION = RegistrationRequestSchema()
LOGIN = LoginRequestSchema()
AGENCY_USER = AgencyUserSchema()
RESOLVE_INTERVAL_SECONDS = 300


class IdentityService(OperationsMixin):
    name = "identity"

    db = Database(metadata)
    redis = Redis()
    enterprise = ServiceRpc("enterprise", timeout=10)
    hasher = PasswordHashing()
    config = Config()
    call_ids = CallIdLogging()

    @property
    def identity(self) -> Identity:
        return bootstrap(self.db, self.enterprise, self.redis, self.hasher, LoginSettings.from_config(self.config))

    @rpc(idempotent=True)
    @catalogue_errors
    def register(self, application: dict[str, Any]) -> dict[str, Any]:
        """法人注册: refuse an existing account, have the enterprise verified, create the account."""
        command = commands.RegisterEnterprise(**REGISTRATION.load(application))
        enterprise = self.identity.register(command)
        return {"uscc": enterprise["uscc"], "status": "registered"}

    @rpc
    @catalogue_errors
    def log_in(self, credentials: dict[str, Any]) -> dict[str, Any]:
        """账户方式登录: ``{token, expires_in, role}``; the manual's refusals, ACCOUNT_LOCKED."""
        command = commands.LogIn(**LOGIN.load(credentials))
        login = self.identity.log_in(command)
        return {"token": login.token, "expires_in": login.expires_in, "role": login.role}

    @rpc
    def authenticate(self, token: str) -> dict[str, Any] | None:
        """The session behind ``token`` (its idle time reset), or None. The ID number is masked."""
        if not isinstance(token, str) or not token:
            return None
        session = self.identity.authenticate(token)
        if session is None:
            return None
        view = asdict(session)
        view["id_number"] = mask_id_number(session.id_number) if session.id_number else None
        return view

    @rpc
    def log_out(self, token: str) -> bool:
        """End the session behind ``token``; False when there was none."""
        return isinstance(token, str) and bool(token) and self.identity.log_out(token)

    @rpc(idempotent=True)
    @catalogue_errors
    def add_agency_user(self, account: str, agency: str, password: str) -> dict[str, Any]:
        """An agency staff account (``hrssctl agency-users add``); the same again changes nothing."""
        command = commands.AddAgencyUser(
            **AGENCY_USER.load({"account": account, "agency": agency, "password": password})
        )
        return {"account_id": self.identity.add_agency_user(command), "account": command.account}

    @rpc
    def ping(self) -> str:
        """ "ok" when the database and Redis answer."""
        self.redis.ping()
        return super().ping()  # type: ignore[no-any-return]

    @reliable_handler("enterprise", "EnterpriseRegistered")
    def on_enterprise_registered(self, session: Session, envelope: dict[str, Any]) -> None:
        """Every registered enterprise gets its account, with the password its registration left."""
        command = commands.CreateAccountOfRegisteredEnterprise(envelope["data"]["uscc"])
        self.identity.on_enterprise_registered(command, session)

    @timer(interval=RESOLVE_INTERVAL_SECONDS, eager=False)
    def resolve_pending_registrations(self) -> None:
        """Settle registrations left pending (unanswered, or their worker died) with the enterprise."""
        self.identity.resolve_stale(commands.ResolvePendingRegistrations(stale_cutoff(self.config)))
