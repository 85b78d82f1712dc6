"""``UnitOfWork`` over a service's database: recorded events become outbox rows on commit."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, Self

from sqlalchemy.orm import Session

from hrss_kit import outbox
from hrss_kit.database import ReadOnly, UnitOfWorkDatabase
from hrss_kit.sql import autocommit
from hrss_kit.unit_of_work import Event, UnitOfWork


class SqlUnitOfWork(UnitOfWork[Event]):
    """Its own session, or one an event handler's transaction already holds (``session``): the
    kit's reliable handler commits that one, together with its processed-event record.

    ``read_only``: for use cases that only read: each statement on its own, without the
    round trips of BEGIN and ROLLBACK (``UnitOfWorkDatabase.reading``); a write through it
    fails, and so does ``commit``.

    Subclasses build their repositories in ``bind(session)``.
    """

    def __init__(
        self,
        db: UnitOfWorkDatabase,
        to_envelope: Callable[[Event], dict[str, Any]],
        session: Session | None = None,
        read_only: bool = False,
    ) -> None:
        super().__init__()
        self.db, self._to_envelope, self._joined, self.read_only = db, to_envelope, session, read_only
        self._reading: contextlib.AbstractContextManager[Session] | None = None

    def bind(self, session: Session) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        if self._joined is not None:
            self.session = self._joined
        elif self.read_only:
            self._reading = self.db.reading()
            self.session = self._reading.__enter__()
        else:
            self.session = self.db.session()
        self.bind(self.session)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._joined is not None:
            return
        try:
            super().__exit__(*exc)
        finally:  # the connection goes back to the pool even if the rollback failed
            if self._reading is not None:
                reading, self._reading = self._reading, None
                reading.__exit__(*exc)
            else:
                self.session.close()

    def commit(self) -> None:
        if self.read_only:
            raise ReadOnly("commit")
        if self._only_one_event():
            # Nothing else to commit: the event's one statement commits by itself (no BEGIN,
            # no COMMIT), and the session's empty commit wakes the relay.
            with autocommit(self.db.engine) as conn:
                outbox.record(conn, self.db.tables["outbox"], self._to_envelope(self.events[0]))
            self.events.clear()  # only once recorded: a commit that failed keeps its event
            self.session.info["outbox_written"] = True
            self.session.commit()
            return
        for event in self.events:
            outbox.record(self.session, self.db.tables["outbox"], self._to_envelope(event))
        self.events.clear()
        if self._joined is None:
            self.session.commit()

    def _only_one_event(self) -> bool:
        """One event to record, on Postgres (where that is one statement), in a session of this
        unit of work's own that has not run a statement nor holds a change to flush."""
        session = self.session
        return (
            len(self.events) == 1
            and self._joined is None
            and self.db.engine.dialect.name == "postgresql"
            and not session.in_transaction()
            and not (session.new or session.dirty or session.deleted)
        )

    def rollback(self) -> None:
        self.events.clear()
        if self._joined is None:
            self.session.rollback()
