"""The identity service wired: ports → adapters, in one place.

``bootstrap(...)`` builds the service layer a worker calls from the worker's dependencies;
``PasswordHashing`` is the nameko dependency that builds the argon2 hasher once per container
from config. Tests build ``Identity`` from fakes, or swap ``hasher`` with nameko's
``replace_dependencies``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import redis
from nameko.extensions import DependencyProvider
from sqlalchemy.orm import Session

from hrss_identity.adapters.enterprise_directory import RpcEnterpriseDirectory
from hrss_identity.adapters.essc import JwtEsscVerifier, public_key_from_config
from hrss_identity.adapters.locks import RedisRegistrationLocks
from hrss_identity.adapters.passwords import Argon2Hasher, Argon2Parameters
from hrss_identity.adapters.qr_sessions import RedisAssertionGuard, RedisQrSessions
from hrss_identity.adapters.sessions import RedisLoginAttempts, RedisSessions
from hrss_identity.adapters.unit_of_work import SqlUnitOfWork
from hrss_identity.domain import commands
from hrss_identity.domain.model import Membership
from hrss_identity.domain.model import Session as UserSession
from hrss_identity.service_layer import login, membership, pending, qr_login, registration
from hrss_identity.service_layer.ports import (
    EnterpriseDirectory,
    LoginAttempts,
    PasswordHasher,
    RegistrationLocks,
    Sessions,
    UnitOfWork,
)
from hrss_identity.service_layer.qr_ports import EsscVerifier
from hrss_kit.database import UnitOfWorkDatabase
from hrss_kit.rpc_client import ServiceClient

# Rows untouched this long are resolved with the enterprise service (service_layer/pending.py).
PENDING_RESOLVE_AFTER_KEY = "PENDING_REGISTRATION_RESOLVE_AFTER_SECONDS"
PENDING_RESOLVE_AFTER_DEFAULT = 3600.0


@dataclass(frozen=True)
class LoginSettings:
    """Sessions and the lock after failed logins, from config (seconds)."""

    redis_prefix: str = "identity"
    session_idle: int = 30 * 60
    session_absolute: int = 12 * 3600
    max_failures: int = 5
    failure_window: int = 15 * 60
    lock: int = 15 * 60
    qr_content_base: str = "hrss://qr-login"
    qr_lifetime: int = 120

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LoginSettings:
        return cls(
            redis_prefix=str(config.get("IDENTITY_REDIS_PREFIX", cls.redis_prefix)),
            session_idle=int(config.get("SESSION_IDLE_SECONDS", cls.session_idle)),
            session_absolute=int(config.get("SESSION_ABSOLUTE_SECONDS", cls.session_absolute)),
            max_failures=int(config.get("LOGIN_MAX_FAILURES", cls.max_failures)),
            failure_window=int(config.get("LOGIN_FAILURE_WINDOW_SECONDS", cls.failure_window)),
            lock=int(config.get("LOGIN_LOCK_SECONDS", cls.lock)),
            qr_content_base=str(config.get("QR_CONTENT_BASE", cls.qr_content_base)),
            qr_lifetime=int(config.get("QR_SESSION_SECONDS", cls.qr_lifetime)),
        )


@dataclass(frozen=True)
class Identity:
    """The identity service layer with its ports filled in; what entrypoints call."""

    unit_of_work: Callable[[Session | None], UnitOfWork]
    reading: Callable[[], UnitOfWork]  # for use cases that only read (the membership read model)
    enterprises: EnterpriseDirectory
    hasher: PasswordHasher
    locks: RegistrationLocks
    attempts: LoginAttempts
    sessions: Sessions
    settings: LoginSettings = field(default_factory=LoginSettings)
    clock: Callable[[], float] = time.time
    qr: qr_login.QrPorts | None = None  # QR login's ports; tests of other use cases leave them out

    @property
    def _qr(self) -> qr_login.QrPorts:
        assert self.qr is not None, "Identity built without QR login's ports"
        return self.qr

    def open_qr_session(self, role: str) -> qr_login.OpenedQrSession:
        return qr_login.open_session(role, self._qr, self.clock)

    def qr_status(self, qr_id: str, binding: str, waiting: bool) -> dict[str, Any]:
        return qr_login.status(
            qr_id, binding, waiting, self.unit_of_work(None), self._qr, self.sessions, self.clock, self.reading()
        )

    def select_enterprise(self, qr_id: str, binding: str, uscc: str) -> str:
        return qr_login.select(
            qr_id, binding, uscc, self.unit_of_work(None), self._qr, self.sessions, self.clock, self.reading()
        )

    def essc_assertion(self, assertion: str) -> str:
        return qr_login.report(assertion, self.reading(), self._qr, self.clock)

    def log_in(self, command: commands.LogIn) -> login.Login:
        return login.log_in(
            command,
            self.unit_of_work(None),
            self.hasher,
            self.attempts,
            self.sessions,
            self.clock,
            self.settings.session_idle,
        )

    def authenticate(self, token: str) -> UserSession | None:
        return login.authenticate(token, self.sessions, self.clock)

    def change_password(self, command: commands.ChangePassword) -> int:
        return login.change_password(
            command, self.unit_of_work(None), self.hasher, self.attempts, self.sessions, self.clock
        )

    def log_out(self, token: str) -> bool:
        return login.log_out(token, self.unit_of_work(None), self.sessions, self.clock)

    def add_agency_user(self, command: commands.AddAgencyUser) -> str:
        return login.add_agency_user(command, self.unit_of_work(None), self.hasher, self.clock)

    def register(self, command: commands.RegisterEnterprise) -> dict[str, Any]:
        return registration.register(command, self.unit_of_work(None), self.enterprises, self.hasher, self.locks)

    def on_enterprise_registered(self, command: commands.CreateAccountOfRegisteredEnterprise, session: Session) -> None:
        """In the event handler's transaction (``session``)."""
        pending.on_enterprise_registered(command, self.unit_of_work(session))

    def resolve_stale(self, command: commands.ResolvePendingRegistrations) -> int:
        return pending.resolve_stale(command, self.unit_of_work(None), self.enterprises)

    # The membership read model; each update runs in its event handler's transaction (``session``).
    def remember_legal_representative(self, command: commands.RememberLegalRepresentative, session: Session) -> None:
        membership.remember_legal_representative(command, self.unit_of_work(session))

    def follow_key_info_change(self, command: commands.FollowKeyInfoChange, session: Session) -> None:
        membership.follow_key_info_change(command, self.unit_of_work(session), self.sessions)

    def remember_clerk(self, command: commands.RememberClerk, session: Session) -> None:
        membership.remember_clerk(command, self.unit_of_work(session), self.sessions)

    def forget_clerk(self, command: commands.ForgetClerk, session: Session) -> None:
        membership.forget_clerk(command, self.unit_of_work(session), self.sessions)

    def memberships(self, query: commands.FindMemberships) -> list[Membership]:
        return membership.find(query, self.reading())


def bootstrap(
    db: UnitOfWorkDatabase,
    enterprise: ServiceClient,
    redis_client: redis.Redis,
    hasher: PasswordHasher,
    settings: LoginSettings = LoginSettings(),
    verifier: EsscVerifier | None = None,
) -> Identity:
    prefix = settings.redis_prefix
    return Identity(
        unit_of_work=lambda session: SqlUnitOfWork(db, session),
        reading=lambda: SqlUnitOfWork(db, read_only=True),
        enterprises=RpcEnterpriseDirectory(enterprise),
        hasher=hasher,
        locks=RedisRegistrationLocks(redis_client),
        attempts=RedisLoginAttempts(
            redis_client, prefix, settings.max_failures, settings.failure_window, settings.lock
        ),
        sessions=RedisSessions(redis_client, prefix, settings.session_idle, settings.session_absolute),
        settings=settings,
        qr=qr_login.QrPorts(
            RedisQrSessions(redis_client, prefix, settings.qr_lifetime),
            verifier,
            RedisAssertionGuard(redis_client, prefix),
            settings.qr_content_base,
            settings.qr_lifetime,
        )
        if verifier is not None
        else None,
    )


def stale_cutoff(config: dict[str, Any]) -> datetime:
    seconds = float(config.get(PENDING_RESOLVE_AFTER_KEY, PENDING_RESOLVE_AFTER_DEFAULT))
    return datetime.now(UTC) - timedelta(seconds=seconds)


class PasswordHashing(DependencyProvider):  # type: ignore[misc]
    """nameko dependency: the container's argon2id hasher, parameters from config."""

    def setup(self) -> None:
        self.hasher = Argon2Hasher(Argon2Parameters.from_config(self.container.config))

    def get_dependency(self, worker_ctx: Any) -> PasswordHasher:
        return self.hasher


class EsscKey(DependencyProvider):  # type: ignore[misc]
    """nameko dependency: the verifier of e-SSC assertions, its public key read once per container."""

    def setup(self) -> None:
        self.verifier = JwtEsscVerifier(public_key_from_config(self.container.config))

    def get_dependency(self, worker_ctx: Any) -> EsscVerifier:
        return self.verifier
