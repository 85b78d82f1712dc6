"""The authorization unit of work over its database; events go to the outbox on commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hrss_authorization.adapters.audit import SqlAuditLog
from hrss_authorization.adapters.messages import to_envelope
from hrss_authorization.adapters.repository import SqlEnterprises
from hrss_authorization.adapters.window import SqlAttachments, SqlWindowLog
from hrss_authorization.domain.events import Event
from hrss_authorization.service_layer.ports import UnitOfWork
from hrss_kit import sql_unit_of_work
from hrss_kit.database import UnitOfWorkDatabase


class SqlUnitOfWork(sql_unit_of_work.SqlUnitOfWork[Event], UnitOfWork):
    def __init__(self, db: UnitOfWorkDatabase, session: Session | None = None, read_only: bool = False) -> None:
        super().__init__(db, to_envelope, session, read_only)

    def bind(self, session: Session) -> None:
        self.enterprises = SqlEnterprises(session)
        self.audit = SqlAuditLog(session)
        self.attachments = SqlAttachments(session)
        self.windows = SqlWindowLog(session)
