"""Transactional outbox, kept as the service's event log.

``record`` adds the row in the state change's own transaction and numbers the event within
its aggregate (``sequence``); ``outbox_relay.OutboxRelay`` publishes it once committed.
Nothing is published for a transaction that rolled back, since its row never existed.
"""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Insert, Table, insert
from sqlalchemy.orm import Session

from hrss_kit.sql import next_sequence

__all__ = ["record"]


def record(session: Session, outbox: Table, envelope: dict[str, Any]) -> None:
    """Write ``envelope`` to the outbox in ``session``'s transaction, with its ``sequence``."""
    sequences = outbox.metadata.tables["aggregate_sequences"]
    envelope["sequence"] = next_sequence(session, sequences, envelope["aggregate_id"])
    session.execute(
        _insert_into(outbox),
        {
            "event_id": envelope["event_id"],
            "event_type": envelope["event_type"],
            "source": envelope["source"],
            "aggregate_id": envelope["aggregate_id"],
            "sequence": envelope["sequence"],
            "body": json.dumps(envelope, ensure_ascii=False),
            "created_at": datetime.now(UTC),
        },
    )
    session.info["outbox_written"] = True


@functools.cache
def _insert_into(outbox: Table) -> Insert:
    """The outbox's INSERT, built once per table: every event recorded runs it, and building a
    statement costs more CPU than running a built one (its compiled form is cached by shape)."""
    return insert(outbox)
