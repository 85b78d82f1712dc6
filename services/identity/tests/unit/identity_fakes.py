"""In-memory implementations of the identity service layer's ports, for unit tests (no mocks).

The fake unit of work is transactional, as the database is: a transaction works on copies of
what is committed, ``commit`` writes them back, ``rollback`` (and leaving ``with`` without a
commit) throws them away. Code that relies on a write it never committed fails its test.
"""

from __future__ import annotations

import contextlib
import math
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from hrss_contracts.id_documents import RESIDENT_ID
from hrss_contracts.names import normalise_name
from hrss_identity.domain.commands import RegisterEnterprise
from hrss_identity.domain.errors import EnterpriseUnanswered
from hrss_identity.domain.events import Event
from hrss_identity.domain.model import (
    CLERK,
    ENTERPRISE,
    LEGAL,
    Account,
    ClerkMembership,
    LegalRepresentative,
    Membership,
    PendingRegistration,
    Session,
    clerk_account_id,
    legal_account_id,
)
from hrss_identity.service_layer.ports import (
    AccountRepository,
    EnterpriseDirectory,
    LoginAttempts,
    Memberships,
    PasswordHasher,
    PendingRegistrationRepository,
    RegistrationLocks,
    Sessions,
    UnitOfWork,
)


@dataclass
class FakeDatabase:
    """What is committed: accounts by login name, pending registrations by code, published events."""

    accounts: dict[str, Account] = field(default_factory=dict)
    pending: dict[str, PendingRegistration] = field(default_factory=dict)
    published: list[Event] = field(default_factory=list)
    commits: int = 0
    # The membership read model: legal representatives by enterprise id, every code an
    # enterprise has had (code → enterprise id), clerks by clerk id.
    legal_representatives: dict[str, LegalRepresentative] = field(default_factory=dict)
    enterprise_codes: dict[str, str] = field(default_factory=dict)
    clerks: dict[str, ClerkMembership] = field(default_factory=dict)


class FakeAccountRepository(AccountRepository):
    """Hands out copies, as a database would, so a test sees only what was written back."""

    def __init__(self, rows: dict[str, Account]) -> None:
        self.rows = {name: replace(account) for name, account in rows.items()}

    def by_login_name(self, login_name: str) -> Account | None:
        account = self.rows.get(login_name)
        return replace(account) if account is not None else None

    def add_if_absent(self, account: Account) -> bool:
        if account.login_name in self.rows:
            return False
        self.rows[account.login_name] = replace(account)
        return True

    def set_password_hash(self, account_id: str, password_hash: str) -> None:
        [account] = [a for a in self.rows.values() if a.account_id == account_id]
        account.password_hash = password_hash

    def follow_enterprise(self, account_id: str, uscc: str, clear_password: bool) -> None:
        [account] = [a for a in self.rows.values() if a.account_id == account_id]
        account.uscc = uscc
        if clear_password:
            account.password_hash = None


class FakePendingRegistrations(PendingRegistrationRepository):
    def __init__(self, rows: dict[str, PendingRegistration]) -> None:
        self.rows = {uscc: replace(row) for uscc, row in rows.items()}

    def lock(self, uscc: str) -> PendingRegistration | None:
        row = self.rows.get(uscc)
        return replace(row) if row is not None else None

    def add(self, pending: PendingRegistration) -> bool:
        if pending.uscc in self.rows:
            return False
        self.rows[pending.uscc] = replace(pending)
        return True

    def save(self, pending: PendingRegistration) -> None:
        assert pending.uscc in self.rows, "saved a row that is not there"
        self.rows[pending.uscc] = replace(pending)

    def remove(self, uscc: str) -> None:
        self.rows.pop(uscc, None)

    def take(self, uscc: str, attempt: str) -> PendingRegistration | None:
        row = self.rows.get(uscc)
        if row is None or row.attempt != attempt:
            return None
        return self.rows.pop(uscc)

    def last_touched_before(self, cutoff: datetime, limit: int) -> list[PendingRegistration]:
        stale = sorted((r for r in self.rows.values() if r.updated_at < cutoff), key=lambda r: r.updated_at)
        return [replace(r) for r in stale[:limit]]


class FakeMemberships(Memberships):
    """Copies of the committed read model (its records are frozen); the accounts are those of
    the same transaction, as the SQL adapter's join sees them."""

    def __init__(self, database: FakeDatabase, accounts: FakeAccountRepository) -> None:
        self.representatives = dict(database.legal_representatives)
        self.codes = dict(database.enterprise_codes)
        self.clerks = dict(database.clerks)
        self.accounts = accounts

    def write_to(self, database: FakeDatabase) -> None:
        database.legal_representatives = dict(self.representatives)
        database.enterprise_codes = dict(self.codes)
        database.clerks = dict(self.clerks)

    def legal_enterprises(self, id_number: str, name: str) -> list[Membership]:
        found = [r for r in self.representatives.values() if (r.id_number, r.name) == _person(id_number, name)]
        return [
            Membership(r.uscc, r.enterprise_name, legal_account_id(r.enterprise_id, self._account_id(r)), LEGAL)
            for r in sorted(found, key=lambda r: r.uscc)
        ]

    def clerk_enterprises(self, id_number: str, name: str, id_type: str = RESIDENT_ID) -> list[Membership]:
        found = []
        for clerk in self.clerks.values():
            enterprise = self.representatives.get(self.codes.get(clerk.uscc, ""))
            if enterprise is None or clerk.id_type != id_type:
                continue
            if (clerk.id_number, clerk.name) == _person(id_number, name):
                found.append(
                    Membership(enterprise.uscc, enterprise.enterprise_name, clerk_account_id(clerk.clerk_id), CLERK)
                )
        return sorted(found, key=lambda m: (m.uscc, m.account_id))

    def legal_representative(self, enterprise_id: str) -> LegalRepresentative | None:
        return self.representatives.get(enterprise_id)

    def save_legal_representative(self, representative: LegalRepresentative, former_uscc: str | None) -> None:
        self.representatives[representative.enterprise_id] = representative
        for code in (representative.enterprise_id, representative.uscc, former_uscc):
            if code:
                self.codes.setdefault(code, representative.enterprise_id)

    def clerk(self, clerk_id: str) -> ClerkMembership | None:
        return self.clerks.get(clerk_id)

    def clerks_of(self, enterprise_id: str) -> list[ClerkMembership]:
        return sorted(
            (c for c in self.clerks.values() if self.codes.get(c.uscc) == enterprise_id), key=lambda c: c.clerk_id
        )

    def save_clerk(self, clerk: ClerkMembership) -> None:
        self.clerks[clerk.clerk_id] = clerk

    def remove_clerk(self, clerk_id: str) -> None:
        self.clerks.pop(clerk_id, None)

    def _account_id(self, representative: LegalRepresentative) -> str | None:
        account = self.accounts.by_login_name(representative.enterprise_id)
        return account.account_id if account is not None and account.kind == ENTERPRISE else None


def _person(id_number: str, name: str) -> tuple[str, str]:
    return id_number.strip().upper(), normalise_name(name)


class FakeUnitOfWork(UnitOfWork):
    """Events reach ``database.published`` only on commit, as the outbox would publish them."""

    def __init__(self, accounts: list[Account] | None = None, database: FakeDatabase | None = None) -> None:
        super().__init__()
        self.database = database or FakeDatabase()
        for account in accounts or []:
            self.database.accounts[account.login_name] = replace(account)
        self._begin()

    def __enter__(self) -> FakeUnitOfWork:
        self._begin()
        return self

    def _begin(self) -> None:
        self.accounts = FakeAccountRepository(self.database.accounts)
        self.pending = FakePendingRegistrations(self.database.pending)
        self.memberships = FakeMemberships(self.database, self.accounts)

    def commit(self) -> None:
        self.database.accounts = {n: replace(a) for n, a in self.accounts.rows.items()}
        self.database.pending = {u: replace(p) for u, p in self.pending.rows.items()}
        self.memberships.write_to(self.database)
        self.database.published.extend(self.events)
        self.database.commits += 1
        self.events.clear()

    def rollback(self) -> None:
        self.events.clear()
        self._begin()

    @property
    def published(self) -> list[Event]:
        return self.database.published

    def committed_account(self, login_name: str) -> Account | None:
        account = self.database.accounts.get(login_name)
        return replace(account) if account is not None else None

    def committed_pending(self, uscc: str) -> PendingRegistration | None:
        row = self.database.pending.get(uscc)
        return replace(row) if row is not None else None


class FakeEnterpriseDirectory(EnterpriseDirectory):
    """Registers every application, or raises ``error``; records what it was sent.

    ``before_return`` runs at the moment the enterprise service has decided (before it answers
    or, with ``error``, before the caller sees the error), with the command: where its
    ``EnterpriseRegistered`` handler may race the caller. ``registered`` are the codes it holds
    (``register_despite_error``: it registered the code though the caller saw ``error``, as when
    the answer was lost); ``unreachable`` makes ``is_registered`` go unanswered too.
    """

    def __init__(
        self,
        enterprise: dict[str, Any] | None = None,
        error: Exception | None = None,
        before_return: Callable[[RegisterEnterprise], None] | None = None,
        register_despite_error: bool = False,
        registered: set[str] | None = None,
    ) -> None:
        self.enterprise, self.error, self.before_return = enterprise, error, before_return
        self.register_despite_error = register_despite_error
        self.registered: set[str] = set(registered or ())
        self.unreachable = False
        self.applications: list[dict[str, Any]] = []
        self.lookups: list[str] = []

    def register(self, command: RegisterEnterprise) -> dict[str, Any]:
        self.applications.append(command.application())
        if self.error is None or self.register_despite_error:
            self.registered.add(command.uscc)
        if self.before_return is not None:
            self.before_return(command)
        if self.error is not None:
            raise self.error
        return self.enterprise or {"uscc": command.uscc, "name": command.name}

    def is_registered(self, uscc: str) -> bool:
        self.lookups.append(uscc)
        if self.unreachable:
            raise EnterpriseUnanswered()
        return uscc in self.registered


class FakePasswordHasher(PasswordHasher):
    """``hashed:<password>``; a hash ``old:<password>`` stands for one with outdated parameters."""

    def __init__(self) -> None:
        self.hashed: list[str] = []
        self.verified: list[str] = []

    def hash(self, password: str) -> str:
        self.hashed.append(password)
        return "hashed:" + password

    def verify(self, password_hash: str, password: str) -> bool:
        self.verified.append(password)
        return password_hash in ("hashed:" + password, "old:" + password)

    def verify_and_update(self, password_hash: str, password: str) -> tuple[bool, str | None]:
        if not self.verify(password_hash, password):
            return False, None
        return True, (self.hash(password) if password_hash.startswith("old:") else None)


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


class FakeSessions(Sessions):
    """Sessions in a dict, by token, with the real store's two limits."""

    def __init__(self, idle: int = 1800, absolute: int = 43200) -> None:
        self.idle, self.absolute = idle, absolute
        self.rows: dict[str, tuple[Session, float, float]] = {}  # token → (session, opened, last used)

    def open(self, session: Session, now: float) -> str:
        token = secrets.token_urlsafe(32)
        self.rows[token] = (session, now, now)
        return token

    def get(self, token: str, now: float) -> Session | None:
        if token not in self.rows:
            return None
        session, opened, last = self.rows[token]
        if now >= opened + self.absolute or now >= last + self.idle:
            del self.rows[token]
            return None
        self.rows[token] = (session, opened, now)
        return replace(session, opened_at=opened)

    def close(self, token: str) -> Session | None:
        row = self.rows.pop(token, None)
        return row[0] if row else None

    def close_all(self, account_id: str, keep: str | None = None) -> int:
        tokens = [t for t, (session, *_) in self.rows.items() if session.account_id == account_id and t != keep]
        for token in tokens:
            del self.rows[token]
        return len(tokens)


class FakeLoginAttempts(LoginAttempts):
    def __init__(self, max_failures: int = 5, window: int = 900, lock: int = 900) -> None:
        self.max_failures, self.window, self.lock = max_failures, window, lock
        self.failures: dict[str, list[float]] = {}
        self.locked_until: dict[str, float] = {}
        self.checking: set[str] = set()  # accounts an attempt is being checked for

    @contextlib.contextmanager
    def one_at_a_time(self, login_name: str) -> Iterator[bool]:
        if login_name in self.checking:
            yield False
            return
        self.checking.add(login_name)
        try:
            yield True
        finally:
            self.checking.discard(login_name)

    def locked_for(self, login_name: str, now: float) -> int:
        until = self.locked_until.get(login_name, 0.0)
        return max(1, math.ceil(until - now)) if until > now else 0

    def failed(self, login_name: str, now: float) -> int:
        times = [t for t in self.failures.get(login_name, []) if t > now - self.window] + [now]
        self.failures[login_name] = times
        if len(times) >= self.max_failures:
            self.locked_until[login_name] = now + self.lock
            self.failures[login_name] = []
            return self.lock
        return 0

    def succeeded(self, login_name: str) -> None:
        self.failures.pop(login_name, None)
