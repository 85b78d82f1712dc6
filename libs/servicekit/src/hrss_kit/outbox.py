"""Transactional outbox, kept as the service's event log.

``record`` adds the row in the state change's own transaction and numbers the event within
its aggregate (``sequence``). ``OutboxRelay`` publishes unpublished rows in id order to
``<source>.events`` (routing key = event type), ``mandatory`` and confirmed, then marks them
published. A relay killed between publish and mark publishes the row again on restart:
consumers are idempotent (``inbox``), so the effect happens once. Nothing is published for a
transaction that rolled back, since its row never existed. An event no queue is bound for
stays unpublished and is tried again later (``retry_at``, 2 s doubling to 5 min), logged as an
error that names it; after ``MAX_UNROUTABLE_ATTEMPTS`` tries (about 20 minutes) the relay lets
it be, so events nobody consumes do not grow into an endless retry load. It stays in the log:
a consumer that comes later has it replayed (``replay``, ``catchup``).

Published rows stay: the log is what a late consumer catches up from (``replay``), and is
trimmed only by a configured retention (``EVENT_LOG_RETENTION_DAYS``; none by default).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, delete, insert, literal_column, or_, select, update
from sqlalchemy.orm import Session

from hrss_kit import faults
from hrss_kit.idempotency import forget_answers
from hrss_kit.publisher import ConfirmedPublisher, Outgoing
from hrss_kit.sql import next_sequence
from hrss_kit.tables import MAX_UNROUTABLE_ATTEMPTS
from hrss_kit.topology import DEFAULT_HEARTBEAT, event_exchange

__all__ = ["OutboxRelay", "event_exchange", "record"]

log = logging.getLogger(__name__)
MAX_UNROUTABLE_BACKOFF = timedelta(minutes=5)


def record(session: Session, outbox: Table, envelope: dict[str, Any]) -> None:
    """Write ``envelope`` to the outbox in ``session``'s transaction, with its ``sequence``."""
    sequences = outbox.metadata.tables["aggregate_sequences"]
    envelope["sequence"] = next_sequence(session, sequences, envelope["aggregate_id"])
    session.execute(
        insert(outbox).values(
            event_id=envelope["event_id"],
            event_type=envelope["event_type"],
            source=envelope["source"],
            aggregate_id=envelope["aggregate_id"],
            sequence=envelope["sequence"],
            body=json.dumps(envelope, ensure_ascii=False),
            created_at=datetime.now(UTC),
        )
    )
    session.info["outbox_written"] = True


class OutboxRelay:
    """Publishes the outbox. One per service process; several processes may share a database."""

    def __init__(
        self,
        engine: Engine,
        outbox: Table,
        amqp_uri: str,
        batch_size: int = 200,
        heartbeat: float = DEFAULT_HEARTBEAT,
        retention: timedelta | None = None,
    ) -> None:
        self.engine, self.outbox, self.batch_size, self.retention = engine, outbox, batch_size, retention
        self.publisher = ConfirmedPublisher(amqp_uri, heartbeat)
        # Postgres lets replicas share the work: each locks its batch and skips the others'.
        self._lock_rows = engine.dialect.name == "postgresql"

    def close(self) -> None:
        self.publisher.close()

    def keep_alive(self) -> None:
        self.publisher.keep_alive()

    def publish_pending(self) -> int:
        """Publish one batch; returns how many rows were taken (published or put off)."""
        c = self.outbox.c
        now = datetime.now(UTC)
        query = (
            select(c.id, c.event_id, c.event_type, c.source, c.body, c.publish_attempts)
            .where(
                c.published_at.is_(None),
                # A literal, so the planner can match the partial index ``ix_outbox_to_publish``.
                c.publish_attempts < literal_column(str(MAX_UNROUTABLE_ATTEMPTS)),
                or_(c.retry_at.is_(None), c.retry_at <= now),
            )
            .order_by(c.id)
            .limit(self.batch_size)
        )
        if self._lock_rows:
            with self.engine.begin() as conn:
                rows = conn.execute(query.with_for_update(skip_locked=True)).all()
                self._settle(conn, rows, self._publish(rows))
            return len(rows)
        # SQLite: no transaction may stay open across network I/O, or a writer in another
        # green thread would wait on the database lock while holding the eventlet hub.
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        outcome = self._publish(rows)
        with self.engine.begin() as conn:
            self._settle(conn, rows, outcome)
        return len(rows)

    def _publish(self, rows: list[Any]) -> dict[int, bool]:
        """Row id → published (True) or returned unroutable (False); a row the broker did not
        confirm is absent. The batch's confirms are awaited together; a broker failure before
        any raises, after some keeps what was confirmed (it is still marked)."""
        by_event = {row.event_id: row for row in rows}
        confirmed = self.publisher.publish_many(
            [Outgoing(row.body, event_exchange(row.source), row.event_type, row.event_id) for row in rows]
        )
        outcome: dict[int, bool] = {}
        for event_id, routed in confirmed.items():
            row = by_event[event_id]
            outcome[row.id] = routed
            if not routed:
                last = row.publish_attempts + 1 >= MAX_UNROUTABLE_ATTEMPTS
                log.error(
                    "event %s %s has no queue to go to (no consumer declared); kept unpublished, %s",
                    row.event_type,
                    row.event_id,
                    "left in the event log for a replay" if last else "retried later",
                )
        if outcome:
            faults.after_publish(rows[0].source)  # off unless the fault bench switches it on
        return outcome

    def _settle(self, conn: Any, rows: list[Any], outcome: dict[int, bool]) -> None:
        c = self.outbox.c
        now = datetime.now(UTC)
        published = [row_id for row_id, ok in outcome.items() if ok]
        if published:
            conn.execute(update(self.outbox).where(c.id.in_(published)).values(published_at=now))
        returned: dict[int, list[int]] = {}  # attempts so far → rows: one UPDATE per backoff level
        for row in rows:
            if outcome.get(row.id) is False:
                returned.setdefault(row.publish_attempts + 1, []).append(row.id)
        for attempts, ids in returned.items():
            backoff = min(timedelta(seconds=2**attempts), MAX_UNROUTABLE_BACKOFF)
            conn.execute(
                update(self.outbox).where(c.id.in_(ids)).values(publish_attempts=attempts, retry_at=now + backoff)
            )

    def trim(self) -> int:
        """Hourly housekeeping: forget idempotent RPC answers older than a day; delete
        published events older than the retention (none when there is no retention)."""
        answers = self.outbox.metadata.tables.get("rpc_requests")
        if answers is not None:
            forget_answers(self.engine, answers, timedelta(days=1))
        if self.retention is None:
            return 0
        c = self.outbox.c
        with self.engine.begin() as conn:
            result = conn.execute(
                delete(self.outbox).where(
                    c.published_at.is_not(None), c.published_at < datetime.now(UTC) - self.retention
                )
            )
        return int(result.rowcount)
