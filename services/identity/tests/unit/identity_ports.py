"""The fakes one identity replica works against, and the saga's other actors over the same
fake database: the ``EnterpriseRegistered`` handler and the periodic resolver."""

from __future__ import annotations

from datetime import timedelta

from identity_builders import NOW
from identity_fakes import (
    FakeDatabase,
    FakeEnterpriseDirectory,
    FakeLoginAttempts,
    FakePasswordHasher,
    FakeRegistrationLocks,
    FakeSessions,
    FakeUnitOfWork,
)
from qr_fakes import FakeGuard, FakeQrSessions, FakeVerifier

from hrss_identity.bootstrap import Identity
from hrss_identity.domain.commands import (
    CreateAccountOfRegisteredEnterprise,
    RegisterEnterprise,
    ResolvePendingRegistrations,
)
from hrss_identity.domain.model import Account, PendingRegistration
from hrss_identity.service_layer.qr_login import QrPorts


class Ports:
    def __init__(self, accounts=(), held=(), directory=None):
        self.database = FakeDatabase()
        self.uow = FakeUnitOfWork(list(accounts), self.database)
        self.directory = directory or FakeEnterpriseDirectory()
        self.hasher = FakePasswordHasher()
        self.locks = FakeRegistrationLocks(set(held))
        self.attempts = FakeLoginAttempts()
        self.sessions = FakeSessions()
        self.now = 1_800_000_000.0  # the clock the tests move (seconds)
        self.qr = QrPorts(FakeQrSessions(), FakeVerifier(), FakeGuard())

    @property
    def identity(self) -> Identity:
        """Wired as bootstrap wires the real adapters; each worker its own unit of work."""
        return Identity(
            unit_of_work=lambda session: FakeUnitOfWork(database=self.database),
            reading=lambda: FakeUnitOfWork(database=self.database),
            enterprises=self.directory,
            hasher=self.hasher,
            locks=self.locks,
            attempts=self.attempts,
            sessions=self.sessions,
            clock=lambda: self.now,
            qr=self.qr,
        )

    def register(self, command: RegisterEnterprise):
        return self.identity.register(command)

    def enterprise_registered(self, uscc: str) -> None:
        """The handler of the enterprise's ``EnterpriseRegistered`` for ``uscc``, in a transaction of its own."""
        self.identity.on_enterprise_registered(CreateAccountOfRegisteredEnterprise(uscc), session=None)

    def resolve_stale(self, older_than=None) -> int:
        cutoff = older_than or NOW.replace(year=2100)
        return self.identity.resolve_stale(ResolvePendingRegistrations(cutoff))

    def account(self, uscc: str) -> Account | None:
        return self.uow.committed_account(uscc)

    def pending(self, uscc: str) -> PendingRegistration | None:
        return self.uow.committed_pending(uscc)

    def leave_pending(self, row: PendingRegistration) -> None:
        """A row an earlier attempt left behind (its worker answered 503, or died)."""
        self.database.pending[row.uscc] = row

    @property
    def published(self):
        return self.database.published


def an_hour_before(row: PendingRegistration) -> PendingRegistration:
    row.updated_at = row.updated_at - timedelta(hours=1)
    return row
