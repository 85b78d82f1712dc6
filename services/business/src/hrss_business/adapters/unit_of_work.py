"""The business unit of work over its database; events go to the outbox on commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hrss_business.adapters.messages import to_envelope
from hrss_business.adapters.read_models import SqlEnterprises, SqlGrants
from hrss_business.adapters.repository import SqlCases
from hrss_business.domain.events import CaseEvent
from hrss_business.service_layer.ports import UnitOfWork
from hrss_kit import sql_unit_of_work
from hrss_kit.database import UnitOfWorkDatabase


class SqlUnitOfWork(sql_unit_of_work.SqlUnitOfWork[CaseEvent], UnitOfWork):
    def __init__(self, db: UnitOfWorkDatabase, session: Session | None = None, read_only: bool = False) -> None:
        super().__init__(db, to_envelope, session, read_only)

    def bind(self, session: Session) -> None:
        self.cases = SqlCases(session)
        self.enterprises = SqlEnterprises(session)
        self.grants = SqlGrants(session)
