"""The identity unit of work: its own transaction, or one an event handler already holds."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hrss_identity.adapters.messages import to_envelope
from hrss_identity.adapters.repository import SqlAccountRepository
from hrss_identity.service_layer.ports import UnitOfWork
from hrss_kit import outbox
from hrss_kit.database import UnitOfWorkDatabase


class SqlUnitOfWork(UnitOfWork):
    def __init__(self, db: UnitOfWorkDatabase, session: Session | None = None) -> None:
        super().__init__()
        self.db = db
        self._joined = session  # a transaction the kit's reliable handler commits

    def __enter__(self) -> SqlUnitOfWork:
        self.session = self._joined or self.db.session()
        self.accounts = SqlAccountRepository(self.session)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._joined is None:
            super().__exit__(*exc)
            self.session.close()

    def commit(self) -> None:
        for event in self.events:
            outbox.record(self.session, self.db.tables["outbox"], to_envelope(event))
        self.events.clear()
        if self._joined is None:
            self.session.commit()

    def rollback(self) -> None:
        self.events.clear()
        if self._joined is None:
            self.session.rollback()
