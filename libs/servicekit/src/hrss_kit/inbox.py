"""Idempotent, retried and parked event handling.

A handler decorated with ``reliable_handler`` runs its effect in one transaction together
with a ``processed_events`` row keyed by (consumer, event id): a duplicate delivery finds the
row and changes nothing. A handler that raises has the event stored in ``failed_events`` and
retried with exponential backoff by ``RetryPoller``; after the last attempt it is *parked*,
listed and replayed by ``hrssctl events parked|replay``. Only if even that write fails is the
message requeued (``requeue_on_error``), so no event is lost to an exception.

A handler that maintains a read model names it (``read_model=``): an event whose ``sequence``
is not newer than what the read model holds for its aggregate is recorded as processed and
not applied, so a replayed or overtaken event never moves the read model backwards.

Each handler's queue is declared with the kit's two bindings (``topology.consumer_queue``),
and a service whose database has never caught up on a subscription asks the publisher to
replay its log (``catchup``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from marshmallow import ValidationError
from nameko.events import EventHandler
from sqlalchemy import Delete, Table, bindparam, delete, select
from sqlalchemy.orm import Session

from hrss_contracts.events import load_envelope
from hrss_kit.catchup import CatchUp
from hrss_kit.database import UnitOfWorkDatabase
from hrss_kit.queue_consumer import QueueConsumer
from hrss_kit.retry import PARKED, RETRYING, RetryPoller
from hrss_kit.sql import advance_version, insert_ignore
from hrss_kit.topology import consumer_queue

log = logging.getLogger(__name__)

Effect = Callable[[Session, dict[str, Any]], Any]


def handle_reliably(
    db: UnitOfWorkDatabase,
    consumer: str,
    body: dict[str, Any],
    effect: Effect,
    read_model: str | None = None,
    retry: bool = False,
) -> str:
    """Apply ``effect`` to the event once; returns ``done``, ``duplicate``, ``stale`` (older
    than what ``read_model`` holds) or ``failed``."""
    processed, failed = db.tables["processed_events"], db.tables["failed_events"]
    if not isinstance(body, dict):
        body = {"event_type": "?", "body": body}
    try:
        envelope = load_envelope(body)
    except ValidationError as exc:
        # No retry can mend a malformed event: park it straight away for an operator.
        _record_failure(db, consumer, body, f"malformed event: {exc.messages}", park=True)
        return "failed"
    event_id = str(envelope["event_id"])
    try:
        with db.transaction() as session:
            key = {"consumer": consumer, "event_id": event_id}
            claimed = insert_ignore(session, processed, {**key, "processed_at": datetime.now(UTC)})
            fresh = claimed and _newer(session, db, read_model, envelope)
            if fresh:
                effect(session, envelope)
            if retry or claimed:  # a failure on record (parked, say) is settled once it is applied
                session.execute(_settled(failed), key)
        return "done" if fresh else "stale" if claimed else "duplicate"
    except Exception:
        log.warning("handler %s failed on event %s", consumer, event_id, exc_info=True)
        _record_failure(db, consumer, body, traceback.format_exc(limit=5))
        return "failed"


@functools.cache
def _settled(failed: Table) -> Delete:
    """The DELETE of a failure on record, built once per table: every event handled runs it."""
    c = failed.c
    return delete(failed).where(c.consumer == bindparam("consumer"), c.event_id == bindparam("event_id"))


def _newer(session: Session, db: UnitOfWorkDatabase, read_model: str | None, envelope: dict[str, Any]) -> bool:
    if read_model is None:
        return True
    # An event from before sequences existed counts as 0: applied to an aggregate the read
    # model has never seen, never over one it holds.
    sequence = envelope.get("sequence") or 0
    return advance_version(session, db.tables["read_model_versions"], read_model, envelope["aggregate_id"], sequence)


def _record_failure(
    db: UnitOfWorkDatabase, consumer: str, body: dict[str, Any], error: str, park: bool = False
) -> None:
    failed, policy = db.tables["failed_events"], db.retry_policy
    now = datetime.now(UTC)
    # A malformed event may have no id: name it by its content, so two such do not collide.
    event_id = str(body.get("event_id") or "")
    if not event_id or len(event_id) > 36:
        event_id = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()[:36]
    try:
        with db.transaction() as session:
            row = session.execute(
                select(failed.c.attempts).filter_by(consumer=consumer, event_id=event_id).with_for_update()
            ).first()
            attempts = (row.attempts if row else 0) + 1
            parked = park or attempts >= policy.max_attempts
            values = {
                "attempts": attempts,
                "status": PARKED if parked else RETRYING,
                "next_attempt_at": None if parked else now + policy.delay(attempts),
                "last_error": error[-4000:],
                "last_failed_at": now,
            }
            if row is None:
                session.execute(
                    failed.insert().values(
                        consumer=consumer,
                        event_id=event_id,
                        event_type=str(body.get("event_type", "?")),
                        body=json.dumps(body, ensure_ascii=False, default=str),
                        first_failed_at=now,
                        **values,
                    )
                )
            else:
                session.execute(failed.update().filter_by(consumer=consumer, event_id=event_id).values(**values))
    except Exception:
        # Not even the failure could be stored: hand the message back to the broker rather
        # than lose it, after a pause so a database outage is not a hot loop.
        time.sleep(1.0)
        raise
    (log.error if parked else log.info)(
        "event %s for %s %s after attempt %d", event_id, consumer, "parked" if parked else "will be retried", attempts
    )


class ReliableEventHandler(EventHandler):
    """nameko ``event_handler`` that requeues rather than drops, and registers for retries."""

    def __init__(self, source_service: str, event_type: str, **kwargs: Any) -> None:
        kwargs["requeue_on_error"] = True
        super().__init__(source_service, event_type, **kwargs)

    @property
    def consumer_name(self) -> str:
        return f"{self.container.service_name}.{self.method_name}"

    queue_consumer = QueueConsumer()  # stops cleanly during start-up
    retry_poller = RetryPoller()
    catch_up = CatchUp()

    def setup(self) -> None:
        super().setup()
        # nameko's queue, with the replay binding added (same name, so the same queue).
        self.queue = consumer_queue(self.container.service_name, self.method_name, self.source_service, self.event_type)
        self.retry_poller.register_provider(self)
        self.catch_up.register_provider(self)

    def stop(self) -> None:
        self.catch_up.unregister_provider(self)
        self.retry_poller.unregister_provider(self)
        super().stop()


def reliable_handler(
    source_service: str, event_type: str, db_attr: str = "db", read_model: str | None = None
) -> Callable[..., Any]:
    """Decorate ``def on_x(self, session, envelope)``: idempotent, retried, never dropped.

    The service must have a ``Database`` dependency named ``db_attr``. The effect runs inside
    the transaction that records the event as processed; it must not commit itself. Give
    ``read_model`` (a name shared by every handler feeding the same read model) to apply only
    events newer than the read model's version of their aggregate.
    """

    def decorator(fn: Callable[..., Any]) -> Any:
        @functools.wraps(fn)
        def handler(self: Any, body: dict[str, Any], retry: bool = False) -> str:
            consumer = f"{self.name}.{fn.__name__}"
            return handle_reliably(
                getattr(self, db_attr),
                consumer,
                body,
                lambda session, envelope: fn(self, session, envelope),
                read_model,
                retry,
            )

        return ReliableEventHandler.decorator(source_service, event_type)(handler)

    return decorator
