"""The identity unit of work: its own transaction, or one an event handler already holds."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hrss_identity.adapters.memberships import SqlMemberships
from hrss_identity.adapters.messages import to_envelope
from hrss_identity.adapters.pending import SqlPendingRegistrations
from hrss_identity.adapters.repository import SqlAccountRepository
from hrss_identity.domain.events import Event
from hrss_identity.service_layer.ports import UnitOfWork
from hrss_kit import sql_unit_of_work
from hrss_kit.database import UnitOfWorkDatabase


class SqlUnitOfWork(sql_unit_of_work.SqlUnitOfWork[Event], UnitOfWork):
    def __init__(self, db: UnitOfWorkDatabase, session: Session | None = None, read_only: bool = False) -> None:
        super().__init__(db, to_envelope, session, read_only)

    def bind(self, session: Session) -> None:
        self.accounts = SqlAccountRepository(session)
        self.pending = SqlPendingRegistrations(session)
        self.memberships = SqlMemberships(session)
