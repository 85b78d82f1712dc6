"""Re-sending a service's event log to one consumer (``hrssctl events replay-log``, catch-up).

Events go to the replay exchange with routing key ``<consumer>.<source>.<type>``, so only that
consumer's queues receive them; its handlers are idempotent and its read models keep the
newest ``sequence`` per aggregate, so a replay changes nothing that is already known.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Table, select

from hrss_kit.publisher import ConfirmedPublisher, Outgoing
from hrss_kit.topology import REPLAY_EXCHANGE, replay_key

log = logging.getLogger(__name__)
BATCH = 500


def replay_log(
    engine: Engine,
    outbox: Table,
    amqp_uri: str,
    to: str,
    event_type: str | None = None,
    since: datetime | None = None,
) -> dict[str, int]:
    """Send the log (all of it, one type, or from ``since``) to ``to``'s queues, in order.

    Returns ``{"sent": n, "not_consumed": m}``: events of a type ``to`` has no queue for are
    counted, not sent anywhere else.
    """
    c = outbox.c
    query = select(c.id, c.event_id, c.event_type, c.source, c.body).order_by(c.id).limit(BATCH)
    if event_type:
        query = query.where(c.event_type == event_type)
    if since:
        query = query.where(c.created_at >= since)
    publisher = ConfirmedPublisher(amqp_uri)
    sent = not_consumed = 0
    last_id: Any = None
    try:
        while True:
            with engine.connect() as conn:
                rows = conn.execute(query if last_id is None else query.where(c.id > last_id)).all()
            confirmed = publisher.publish_many(
                [
                    Outgoing(row.body, REPLAY_EXCHANGE, replay_key(to, row.source, row.event_type), row.event_id)
                    for row in rows
                ]
            )
            if len(confirmed) < len(rows):  # the broker refused some: stop, the caller may run it again
                raise RuntimeError(f"the broker did not confirm {len(rows) - len(confirmed)} replayed events")
            sent += sum(confirmed.values())
            not_consumed += len(confirmed) - sum(confirmed.values())
            if len(rows) < BATCH:
                break
            last_id = rows[-1].id
    finally:
        publisher.close()
    log.info("replayed %d events to %s (%d of types it does not consume)", sent, to, not_consumed)
    return {"sent": sent, "not_consumed": not_consumed}
