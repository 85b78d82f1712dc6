"""The enterprise unit of work over its database; events go to the outbox on commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hrss_enterprise.adapters.messages import to_envelope
from hrss_enterprise.adapters.repository import SqlDecisionLog, SqlEnterpriseRepository
from hrss_enterprise.adapters.sources import SqlSourceRepository
from hrss_enterprise.domain.events import Event
from hrss_enterprise.service_layer.ports import UnitOfWork
from hrss_kit import sql_unit_of_work
from hrss_kit.database import UnitOfWorkDatabase


class SqlUnitOfWork(sql_unit_of_work.SqlUnitOfWork[Event], UnitOfWork):
    def __init__(self, db: UnitOfWorkDatabase, session: Session | None = None) -> None:
        super().__init__(db, to_envelope, session)

    def bind(self, session: Session) -> None:
        self.sources = SqlSourceRepository(session)
        self.enterprises = SqlEnterpriseRepository(session)
        self.decisions = SqlDecisionLog(session)
