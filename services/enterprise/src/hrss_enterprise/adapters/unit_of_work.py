"""The unit of work over the service's database; events go to the outbox on commit."""

from __future__ import annotations

from typing import Any

from hrss_enterprise.adapters.messages import to_envelope
from hrss_enterprise.adapters.repository import SqlDecisionLog, SqlEnterpriseRepository, SqlSourceRepository
from hrss_enterprise.service_layer.ports import UnitOfWork
from hrss_kit import outbox
from hrss_kit.database import UnitOfWorkDatabase


class SqlUnitOfWork(UnitOfWork):
    def __init__(self, db: UnitOfWorkDatabase) -> None:
        super().__init__()
        self.db = db

    def __enter__(self) -> SqlUnitOfWork:
        self.session = self.db.session()
        self.sources = SqlSourceRepository(self.session)
        self.enterprises = SqlEnterpriseRepository(self.session)
        self.decisions = SqlDecisionLog(self.session)
        return self

    def __exit__(self, *exc: Any) -> None:
        super().__exit__(*exc)
        self.session.close()

    def commit(self) -> None:
        for event in self.events:
            outbox.record(self.session, self.db.tables["outbox"], to_envelope(event))
        self.events.clear()
        self.session.commit()

    def rollback(self) -> None:
        self.events.clear()
        self.session.rollback()
