"""The identity service wired: ports → adapters, in one place.

``bootstrap(...)`` builds the service layer a worker calls from the worker's dependencies;
``PasswordHashing`` is the nameko dependency that builds the argon2 hasher once per container
from config. Tests build ``Identity`` from fakes, or swap ``hasher`` with nameko's
``replace_dependencies``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import redis
from nameko.extensions import DependencyProvider
from sqlalchemy.orm import Session

from hrss_identity.adapters.enterprise_directory import RpcEnterpriseDirectory
from hrss_identity.adapters.locks import RedisRegistrationLocks
from hrss_identity.adapters.passwords import Argon2Hasher, Argon2Parameters
from hrss_identity.adapters.unit_of_work import SqlUnitOfWork
from hrss_identity.domain import commands
from hrss_identity.service_layer import pending, registration
from hrss_identity.service_layer.ports import EnterpriseDirectory, PasswordHasher, RegistrationLocks, UnitOfWork
from hrss_kit.database import UnitOfWorkDatabase
from hrss_kit.rpc_client import ServiceClient

# Rows untouched this long are resolved with the enterprise service (service_layer/pending.py).
PENDING_RESOLVE_AFTER_KEY = "PENDING_REGISTRATION_RESOLVE_AFTER_SECONDS"
PENDING_RESOLVE_AFTER_DEFAULT = 3600.0


@dataclass(frozen=True)
class Identity:
    """The identity service layer with its ports filled in; what entrypoints call."""

    unit_of_work: Callable[[Session | None], UnitOfWork]
    enterprises: EnterpriseDirectory
    hasher: PasswordHasher
    locks: RegistrationLocks

    def register(self, command: commands.RegisterEnterprise) -> dict[str, Any]:
        return registration.register(command, self.unit_of_work(None), self.enterprises, self.hasher, self.locks)

    def on_enterprise_registered(self, command: commands.CreateAccountOfRegisteredEnterprise, session: Session) -> None:
        """In the event handler's transaction (``session``)."""
        pending.on_enterprise_registered(command, self.unit_of_work(session))

    def resolve_stale(self, command: commands.ResolvePendingRegistrations) -> int:
        return pending.resolve_stale(command, self.unit_of_work(None), self.enterprises)


def bootstrap(
    db: UnitOfWorkDatabase, enterprise: ServiceClient, redis_client: redis.Redis, hasher: PasswordHasher
) -> Identity:
    return Identity(
        unit_of_work=lambda session: SqlUnitOfWork(db, session),
        enterprises=RpcEnterpriseDirectory(enterprise),
        hasher=hasher,
        locks=RedisRegistrationLocks(redis_client),
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
