"""The outbox's relay: publishes unpublished rows in id order to ``<source>.events`` (routing
key = event type), ``mandatory`` and confirmed, then marks them published. A relay killed
between publish and mark publishes the row again on restart: consumers are idempotent
(``inbox``), so the effect happens once. An event no queue is bound for stays unpublished and
is tried again later (``retry_at``), logged as an error that names it; after
``MAX_UNROUTABLE_ATTEMPTS`` tries the relay lets it be, so events nobody consumes do not grow
into an endless retry load. It stays in the log: a consumer that comes later has it replayed
(``replay``, ``catchup``).

Whether an event routes depends on its source and type alone (a queue bound to that routing
key), so the relay tries a type, not each of its events: once an event of a type came back,
the type's later events wait for its next probe (2 s, doubling while it keeps coming back, to
30 s) without being sent, and at the probe one event is sent for all of them. Each wait counts
as a try, so an event nobody consumes is let be after about four minutes (still in the log).
Events nobody consumes (the case events, until the agency system binds its queue) then cost
the broker one publish per type and probe, not ten per event. A consumer that binds its queue
meanwhile gets the type's new events within 30 s, its older ones by catch-up. Each relay
process keeps its own probes; with several, each probes on its own.

Published rows stay: the log is what a late consumer catches up from (``replay``), and is
trimmed only by a configured retention (``EVENT_LOG_RETENTION_DAYS``; none by default).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, bindparam, delete, literal_column, or_, select, update

from hrss_kit import faults
from hrss_kit.idempotency import forget_answers
from hrss_kit.publisher import ConfirmedPublisher, Outgoing
from hrss_kit.tables import MAX_UNROUTABLE_ATTEMPTS
from hrss_kit.topology import DEFAULT_HEARTBEAT, event_exchange

__all__ = ["OutboxRelay"]

log = logging.getLogger(__name__)
# A type that keeps coming back is probed at least this often: a consumer that binds its queue
# meanwhile gets the type's new events within it (its older ones by catch-up, as ever).
MAX_PROBE_INTERVAL = timedelta(seconds=30)


class _Unrouted:
    """A type whose events came back: when it is sent again, after how many returns in a row."""

    def __init__(self) -> None:
        self.returns = 0
        self.probe_at = datetime.now(UTC)

    def came_back(self, now: datetime) -> None:
        self.returns += 1
        self.probe_at = now + min(timedelta(seconds=2**self.returns), MAX_PROBE_INTERVAL)


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
        # Built once: the relay runs them after every commit that wrote an event.
        c = outbox.c
        self._pending = (
            select(c.id, c.event_id, c.event_type, c.source, c.body, c.publish_attempts)
            .where(
                c.published_at.is_(None),
                # A literal, so the planner can match the partial index ``ix_outbox_to_publish``.
                c.publish_attempts < literal_column(str(MAX_UNROUTABLE_ATTEMPTS)),
                or_(c.retry_at.is_(None), c.retry_at <= bindparam("now")),
            )
            .order_by(c.id)
            .limit(batch_size)
        )
        if self._lock_rows:
            self._pending = self._pending.with_for_update(skip_locked=True)
        self._mark_published = (
            update(outbox).where(c.id.in_(bindparam("ids", expanding=True))).values(published_at=bindparam("at"))
        )
        self._unrouted: dict[tuple[str, str], _Unrouted] = {}  # (source, type) → its probes

    def close(self) -> None:
        self.publisher.close()

    def keep_alive(self) -> None:
        self.publisher.keep_alive()

    def publish_pending(self) -> int:
        """Publish one batch; returns how many rows were taken (published or put off)."""
        now = {"now": datetime.now(UTC)}
        if self._lock_rows:
            with self.engine.begin() as conn:
                rows = conn.execute(self._pending, now).all()
                self._settle(conn, rows, self._relay(rows))
            return len(rows)
        # SQLite: no transaction may stay open across network I/O, or a writer in another
        # green thread would wait on the database lock while holding the eventlet hub.
        with self.engine.connect() as conn:
            rows = conn.execute(self._pending, now).all()
        outcome = self._relay(rows)
        with self.engine.begin() as conn:
            self._settle(conn, rows, outcome)
        return len(rows)

    def _relay(self, rows: list[Any]) -> dict[int, datetime | None]:
        """Row id → None (published) or when to try it again (its type has no queue). A row
        the broker did not confirm is absent. A type known to come back is put off until its
        probe; at the probe one of its rows is sent first, and the rest follow its fate."""
        settled: dict[int, datetime | None] = {}
        pending = rows
        while pending:
            now = datetime.now(UTC)
            send, left, probing = [], [], set()
            for row in pending:
                key = (row.source, row.event_type)
                unrouted = self._unrouted.get(key)
                if unrouted is None:
                    send.append(row)
                elif unrouted.probe_at > now:
                    settled[row.id] = unrouted.probe_at
                elif key not in probing:
                    probing.add(key)
                    send.append(row)
                else:
                    left.append(row)
            routed = self._publish(send)
            returned: dict[tuple[str, str], list[Any]] = {}
            reached: set[tuple[str, str]] = set()
            for row in send:
                key = (row.source, row.event_type)
                if routed.get(row.event_id) is True:
                    reached.add(key)
                    settled[row.id] = None
                elif row.event_id in routed:
                    returned.setdefault(key, []).append(row)
            for key in reached:  # a queue is bound now: a return in the same batch came before it
                self._unrouted.pop(key, None)
            for key, some in returned.items():
                if key in reached:
                    for row in some:  # tried again at the next poll, sent like any other
                        settled.pop(row.id, None)
                    continue
                unrouted = self._unrouted.setdefault(key, _Unrouted())
                unrouted.came_back(now)
                for row in some:
                    settled[row.id] = unrouted.probe_at
                log.error(
                    "event %s %s has no queue to go to (no consumer declared); kept unpublished with %d "
                    "more of its type, tried again in %.0f s",
                    key[1],
                    some[0].event_id,
                    len(some) - 1 + sum(1 for row in left if (row.source, row.event_type) == key),
                    (unrouted.probe_at - now).total_seconds(),
                )
            if len(routed) < len(send):
                break  # the broker did not confirm everything: the rest waits for the next poll
            pending = left
        if routed_any := [row for row in rows if row.id in settled and settled[row.id] is None]:
            faults.after_publish(routed_any[0].source)  # off unless the fault bench switches it on
        return settled

    def _publish(self, rows: list[Any]) -> dict[str, bool]:
        """Event id → in a queue (True) or returned unroutable (False); an event the broker did
        not confirm is absent. The batch's confirms are awaited together; a broker failure
        before any raises, after some keeps what was confirmed (it is still marked)."""
        if not rows:
            return {}
        return self.publisher.publish_many(
            [Outgoing(row.body, event_exchange(row.source), row.event_type, row.event_id) for row in rows]
        )

    def _settle(self, conn: Any, rows: list[Any], outcome: dict[int, datetime | None]) -> None:
        c = self.outbox.c
        published = [row_id for row_id, retry_at in outcome.items() if retry_at is None]
        if published:
            conn.execute(self._mark_published, {"ids": published, "at": datetime.now(UTC)})
        put_off: dict[datetime, list[int]] = {}  # one UPDATE per probe time
        for row_id, retry_at in outcome.items():
            if retry_at is not None:
                put_off.setdefault(retry_at, []).append(row_id)
        for retry_at, ids in put_off.items():
            conn.execute(
                update(self.outbox)
                .where(c.id.in_(ids))
                .values(publish_attempts=c.publish_attempts + 1, retry_at=retry_at)
            )
        let_be = [row for row in rows if outcome.get(row.id) and row.publish_attempts + 1 >= MAX_UNROUTABLE_ATTEMPTS]
        for event_type in sorted({row.event_type for row in let_be}):
            log.error(
                "events of type %s had no queue to go to in %d tries; %d left in the event log for a replay",
                event_type,
                MAX_UNROUTABLE_ATTEMPTS,
                sum(1 for row in let_be if row.event_type == event_type),
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
