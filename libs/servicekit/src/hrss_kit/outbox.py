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

from sqlalchemy import Connection, DateTime, Insert, Table, Text, bindparam, cast, insert, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from hrss_kit.sql import counting_upsert, dialect_name, next_sequence

__all__ = ["record"]


def record(session: Session | Connection, outbox: Table, envelope: dict[str, Any]) -> None:
    """Write ``envelope`` to the outbox in ``session``'s transaction, with its ``sequence``.
    A session is marked (``outbox_written``) so that its commit wakes the relay.

    On Postgres one statement numbers and writes the event (the sequence's upsert in a
    ``WITH``): a round trip fewer for every event, and a statement that stands alone, so a
    unit of work that does nothing but record one event can run it on an autocommit
    connection, without BEGIN and COMMIT."""
    sequences = outbox.metadata.tables["aggregate_sequences"]
    row = {
        "event_id": envelope["event_id"],
        "event_type": envelope["event_type"],
        "source": envelope["source"],
        "aggregate_id": envelope["aggregate_id"],
        "created_at": datetime.now(UTC),
    }
    if dialect_name(session) == "postgresql":
        row["key"] = row.pop("aggregate_id")
        envelope.pop("sequence", None)
        body = json.dumps(envelope, ensure_ascii=False)
        # The body carries the sequence, which only the statement knows: it closes the JSON.
        row["body_head"] = f'{body[:-1]}, "sequence": '
        envelope["sequence"] = int(session.execute(_numbered_insert(outbox, sequences), row).scalar_one())
    else:
        envelope["sequence"] = next_sequence(session, sequences, envelope["aggregate_id"])  # type: ignore[arg-type]
        row |= {"sequence": envelope["sequence"], "body": json.dumps(envelope, ensure_ascii=False)}
        session.execute(_insert_into(outbox), row)
    if isinstance(session, Session):  # a connection's info outlives its loan from the pool
        session.info["outbox_written"] = True


@functools.cache
def _insert_into(outbox: Table) -> Insert:
    """The outbox's INSERT, built once per table: every event recorded runs it, and building a
    statement costs more CPU than running a built one (its compiled form is cached by shape)."""
    return insert(outbox)


@functools.cache
def _numbered_insert(outbox: Table, sequences: Table) -> Insert:
    """Postgres: ``next_sequence``'s upsert as a ``WITH`` and the outbox row from what it
    returns, one statement built once. The upsert's row lock orders concurrent transactions on
    the same aggregate as ever; the statement answers the sequence."""
    numbered = counting_upsert(pg_insert, sequences, "aggregate_id", "sequence").cte("numbered")
    columns = ("event_id", "event_type", "source", "aggregate_id", "sequence", "body", "created_at")
    values = select(
        bindparam("event_id"),
        bindparam("event_type"),
        bindparam("source"),
        bindparam("key"),  # the aggregate's id: the upsert's own parameter
        numbered.c.sequence,
        bindparam("body_head", type_=Text) + cast(numbered.c.sequence, Text) + literal("}"),
        bindparam("created_at", type_=DateTime(timezone=True)),
    )
    return insert(outbox).from_select(columns, values).returning(outbox.c.sequence).add_cte(numbered)
