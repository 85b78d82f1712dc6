"""``UnitOfWork`` over a service's database: recorded events become outbox rows on commit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Self

from sqlalchemy.orm import Session

from hrss_kit import outbox
from hrss_kit.database import UnitOfWorkDatabase
from hrss_kit.unit_of_work import Event, UnitOfWork


class SqlUnitOfWork(UnitOfWork[Event]):
    """Its own session, or one an event handler's transaction already holds (``session``): the
    kit's reliable handler commits that one, together with its processed-event record.

    Subclasses build their repositories in ``bind(session)``.
    """

    def __init__(
        self, db: UnitOfWorkDatabase, to_envelope: Callable[[Event], dict[str, Any]], session: Session | None = None
    ) -> None:
        super().__init__()
        self.db, self._to_envelope, self._joined = db, to_envelope, session

    def bind(self, session: Session) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.session = self._joined or self.db.session()
        self.bind(self.session)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._joined is None:
            super().__exit__(*exc)
            self.session.close()

    def commit(self) -> None:
        for event in self.events:
            outbox.record(self.session, self.db.tables["outbox"], self._to_envelope(event))
        self.events.clear()
        if self._joined is None:
            self.session.commit()

    def rollback(self) -> None:
        self.events.clear()
        if self._joined is None:
            self.session.rollback()
