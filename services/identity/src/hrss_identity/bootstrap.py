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
from hrss_identity.adapters.locks import RedisRegistrationLocks
from hrss_identity.adapters.passwords import Argon2Hasher, Argon2Parameters
from hrss_identity.adapters.sessions import RedisLoginAttempts, RedisSessions
from hrss_identity.adapters.unit_of_work import SqlUnitOfWork
from hrss_identity.domain import commands
from hrss_identity.domain.model import Session as UserSession
from hrss_identity.service_layer import login, pending, registration
from hrss_identity.service_layer.ports import (
    EnterpriseDirectory,
    LoginAttempts,
    PasswordHasher,
    RegistrationLocks,
    Sessions,
    UnitOfWork,
)
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

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LoginSettings:
        return cls(
            redis_prefix=str(config.get("IDENTITY_REDIS_PREFIX", cls.redis_prefix)),
            session_idle=int(config.get("SESSION_IDLE_SECONDS", cls.session_idle)),
            session_absolute=int(config.get("SESSION_ABSOLUTE_SECONDS", cls.session_absolute)),
            max_failures=int(config.get("LOGIN_MAX_FAILURES", cls.max_failures)),
            failure_window=int(config.get("LOGIN_FAILURE_WINDOW_SECONDS", cls.failure_window)),
            lock=int(config.get("LOGIN_LOCK_SECONDS", cls.lock)),
        )


@dataclass(frozen=True)
class Identity:
    """The identity service layer with its ports filled in; what entrypoints call."""

    unit_of_work: Callable[[Session | None], UnitOfWork]
    enterprises: EnterpriseDirectory
    hasher: PasswordHasher
    locks: RegistrationLocks
    attempts: LoginAttempts
    sessions: Sessions
    settings: LoginSettings = field(default_factory=LoginSettings)
    clock: Callable[[], float] = time.time

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


def bootstrap(
    db: UnitOfWorkDatabase,
    enterprise: ServiceClient,
    redis_client: redis.Redis,
    hasher: PasswordHasher,
    settings: LoginSettings = LoginSettings(),
) -> Identity:
    prefix = settings.redis_prefix
    return Identity(
        unit_of_work=lambda session: SqlUnitOfWork(db, session),
        enterprises=RpcEnterpriseDirectory(enterprise),
        hasher=hasher,
        locks=RedisRegistrationLocks(redis_client),
        attempts=RedisLoginAttempts(
            redis_client, prefix, settings.max_failures, settings.failure_window, settings.lock
        ),
        sessions=RedisSessions(redis_client, prefix, settings.session_idle, settings.session_absolute),
        settings=settings,
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
