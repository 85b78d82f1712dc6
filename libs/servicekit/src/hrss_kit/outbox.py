"""Transactional outbox: events are rows written in the state change's own transaction.

``record`` adds the row; ``OutboxRelay`` publishes unpublished rows in id order to the source
service's nameko event exchange (``<source>.events``, routing key = event type) with
publisher confirms, then marks them published. A relay killed between publish and mark
publishes the row again on restart: consumers are idempotent (``inbox``), so the effect
happens once. Nothing is published for a transaction that rolled back, since its row never
existed.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

import kombu
from kombu import Exchange
from sqlalchemy import Engine, Table, insert, select, update
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)


def event_exchange(source: str) -> Exchange:
    """The exchange nameko's ``event_handler`` binds to; declared exactly as nameko does."""
    return Exchange(f"{source}.events", type="topic", durable=True, delivery_mode=2, auto_delete=None)


def record(session: Session, outbox: Table, envelope: dict[str, Any]) -> None:
    """Write ``envelope`` to the outbox in ``session``'s transaction."""
    session.execute(
        insert(outbox).values(
            event_id=envelope["event_id"],
            event_type=envelope["event_type"],
            source=envelope["source"],
            aggregate_id=envelope["aggregate_id"],
            body=json.dumps(envelope, ensure_ascii=False),
            created_at=datetime.now(UTC),
        )
    )
    session.info["outbox_written"] = True


class OutboxRelay:
    """Publishes the outbox. One per service process; several processes may share a database."""

    def __init__(self, engine: Engine, outbox: Table, amqp_uri: str, batch_size: int = 200) -> None:
        self.engine = engine
        self.outbox = outbox
        self.amqp_uri = amqp_uri
        self.batch_size = batch_size
        self._connection: kombu.Connection | None = None
        self._producer: kombu.Producer | None = None
        # Postgres lets replicas share the work: each locks its batch and skips the others'.
        self._lock_rows = engine.dialect.name == "postgresql"

    def _ensure_producer(self) -> kombu.Producer:
        if self._producer is None:
            self._connection = kombu.Connection(self.amqp_uri, transport_options={"confirm_publish": True}, heartbeat=0)
            self._producer = kombu.Producer(self._connection.channel())
        return self._producer

    def close(self) -> None:
        if self._connection is not None:
            self._connection.release()
        self._connection = self._producer = None

    def publish_pending(self) -> int:
        """Publish one batch; returns how many rows were published."""
        query = (
            select(
                self.outbox.c.id,
                self.outbox.c.event_id,
                self.outbox.c.event_type,
                self.outbox.c.source,
                self.outbox.c.body,
            )
            .where(self.outbox.c.published_at.is_(None))
            .order_by(self.outbox.c.id)
            .limit(self.batch_size)
        )
        if self._lock_rows:
            with self.engine.begin() as conn:
                rows = conn.execute(query.with_for_update(skip_locked=True)).all()
                self._publish(rows)
                self._mark(conn, rows)
            return len(rows)
        # SQLite: no transaction may stay open across network I/O, or a writer in another
        # green thread would wait on the database lock while holding the eventlet hub.
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        self._publish(rows)
        with self.engine.begin() as conn:
            self._mark(conn, rows)
        return len(rows)

    def _publish(self, rows: list[Any]) -> None:
        if not rows:
            return
        producer = self._ensure_producer()
        try:
            for row in rows:
                exchange = event_exchange(row.source)
                # Confirmed publish: returns once the broker has taken the message.
                producer.publish(
                    row.body,
                    exchange=exchange,
                    routing_key=row.event_type,
                    declare=[exchange],
                    content_type="application/json",
                    content_encoding="utf-8",
                    delivery_mode=2,
                    message_id=row.event_id,
                    retry=False,
                    # A broker that stops confirming (a resource alarm) must not hold the relay,
                    # and on Postgres its row locks, for ever: fail, back off, try again.
                    timeout=10,
                    confirm_timeout=10,
                )
        except Exception:
            self.close()
            raise

    def _mark(self, conn: Any, rows: list[Any]) -> None:
        if rows:
            conn.execute(
                update(self.outbox)
                .where(self.outbox.c.id.in_([r.id for r in rows]))
                .values(published_at=datetime.now(UTC))
            )
