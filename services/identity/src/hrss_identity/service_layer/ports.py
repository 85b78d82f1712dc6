"""What the identity service layer needs from outside; adapters and fakes implement it."""

from __future__ import annotations

import abc
import contextlib
from typing import Any

from hrss_identity.domain.events import Event
from hrss_identity.domain.model import Account
from hrss_kit.unit_of_work import UnitOfWork as KitUnitOfWork


class AccountRepository(abc.ABC):
    @abc.abstractmethod
    def by_login_name(self, login_name: str) -> Account | None: ...

    @abc.abstractmethod
    def add_if_absent(self, account: Account) -> bool:
        """Insert unless the login name is taken (also by a concurrent transaction)."""

    @abc.abstractmethod
    def set_password_hash(self, account_id: str, password_hash: str) -> None: ...


class UnitOfWork(KitUnitOfWork[Event]):
    """One transaction; events recorded in it are published if, and only if, it commits."""

    accounts: AccountRepository


class EnterpriseDirectory(abc.ABC):
    """The enterprise service, which decides registrations (over RPC in production)."""

    @abc.abstractmethod
    def register(self, application: dict[str, Any]) -> dict[str, Any]:
        """The registered enterprise, or the catalogue error that refused it."""


class PasswordHasher(abc.ABC):
    @abc.abstractmethod
    def hash(self, password: str) -> str: ...

    @abc.abstractmethod
    def verify(self, password_hash: str, password: str) -> bool: ...


class PendingPasswords(abc.ABC):
    """The password hash of a registration in flight, for whichever path creates the account."""

    @abc.abstractmethod
    def put(self, uscc: str, password_hash: str) -> None: ...

    @abc.abstractmethod
    def get(self, uscc: str) -> str | None: ...

    @abc.abstractmethod
    def discard(self, uscc: str) -> None: ...


class RegistrationLocks(abc.ABC):
    """One registration per code at a time, across every identity replica."""

    @abc.abstractmethod
    def hold(self, uscc: str) -> contextlib.AbstractContextManager[bool]:
        """Yields False when another registration of ``uscc`` holds the lock."""
