"""In-memory implementations of the identity service layer's ports, for unit tests (no mocks)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from hrss_identity.domain.events import Event
from hrss_identity.domain.model import Account
from hrss_identity.service_layer.ports import (
    AccountRepository,
    EnterpriseDirectory,
    PasswordHasher,
    PendingPasswords,
    RegistrationLocks,
    UnitOfWork,
)


class FakeAccountRepository(AccountRepository):
    """Hands out copies, as a database would, so a test sees only what was written back."""

    def __init__(self, accounts: list[Account] | None = None) -> None:
        self.accounts: dict[str, Account] = {a.login_name: a for a in accounts or []}

    def by_login_name(self, login_name: str) -> Account | None:
        account = self.accounts.get(login_name)
        return replace(account) if account is not None else None

    def add_if_absent(self, account: Account) -> bool:
        if account.login_name in self.accounts:
            return False
        self.accounts[account.login_name] = replace(account)
        return True

    def set_password_hash(self, account_id: str, password_hash: str) -> None:
        [account] = [a for a in self.accounts.values() if a.account_id == account_id]
        account.password_hash = password_hash


class FakeUnitOfWork(UnitOfWork):
    """Events move to ``published`` only on commit, as the outbox would publish them."""

    def __init__(self, accounts: list[Account] | None = None) -> None:
        super().__init__()
        self.accounts = FakeAccountRepository(accounts)
        self.commits = 0
        self.published: list[Event] = []

    def commit(self) -> None:
        self.commits += 1
        self.published.extend(self.events)
        self.events.clear()

    def rollback(self) -> None:
        self.events.clear()


class FakeEnterpriseDirectory(EnterpriseDirectory):
    """Registers every application, or refuses it with ``error``; records what it was sent.

    ``before_return`` runs just before a successful answer, with the application: the moment
    the enterprise service has committed and its ``EnterpriseRegistered`` handler may race us.
    """

    def __init__(
        self,
        enterprise: dict[str, Any] | None = None,
        error: Exception | None = None,
        before_return: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self.enterprise, self.error, self.before_return = enterprise, error, before_return
        self.applications: list[dict[str, Any]] = []

    def register(self, application: dict[str, Any]) -> dict[str, Any]:
        self.applications.append(dict(application))
        if self.error is not None:
            raise self.error
        if self.before_return is not None:
            self.before_return(application)
        return self.enterprise or {"uscc": application["uscc"], "name": application["name"]}


class FakePasswordHasher(PasswordHasher):
    def __init__(self) -> None:
        self.hashed: list[str] = []

    def hash(self, password: str) -> str:
        self.hashed.append(password)
        return "hashed:" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == "hashed:" + password


class FakeRegistrationLocks(RegistrationLocks):
    """``held`` are the codes another registration is deciding right now."""

    def __init__(self, held: set[str] | None = None) -> None:
        self.held: set[str] = set(held or ())

    @contextlib.contextmanager
    def hold(self, uscc: str) -> Iterator[bool]:
        if uscc in self.held:
            yield False
            return
        self.held.add(uscc)
        try:
            yield True
        finally:
            self.held.discard(uscc)


class FakePendingPasswords(PendingPasswords):
    def __init__(self, hashes: dict[str, str] | None = None) -> None:
        self.hashes: dict[str, str] = dict(hashes or {})
        self.put_ever: list[tuple[str, str]] = []

    def put(self, uscc: str, password_hash: str) -> None:
        self.put_ever.append((uscc, password_hash))
        self.hashes[uscc] = password_hash

    def get(self, uscc: str) -> str | None:
        return self.hashes.get(uscc)

    def discard(self, uscc: str) -> None:
        self.hashes.pop(uscc, None)
