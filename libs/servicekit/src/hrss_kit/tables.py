"""Tables the kit keeps in each service's own database, next to the service's tables."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

# SQLite only auto-increments an INTEGER PRIMARY KEY.
Id = BigInteger().with_variant(Integer(), "sqlite")


def add_kit_tables(metadata: MetaData) -> dict[str, Table]:
    """Declare ``outbox``, ``processed_events`` and ``failed_events`` on ``metadata``."""
    outbox = Table(
        "outbox",
        metadata,
        Column("id", Id, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("event_type", String(80), nullable=False),
        Column("source", String(40), nullable=False),
        Column("aggregate_id", String(80), nullable=False),
        Column("body", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("published_at", DateTime(timezone=True), nullable=True),
        Index("ix_outbox_unpublished", "published_at", "id"),
    )
    processed = Table(
        "processed_events",
        metadata,
        Column("consumer", String(120), nullable=False),
        Column("event_id", String(36), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False),
        PrimaryKeyConstraint("consumer", "event_id"),
    )
    failed = Table(
        "failed_events",
        metadata,
        Column("consumer", String(120), nullable=False),
        Column("event_id", String(36), nullable=False),
        Column("event_type", String(80), nullable=False),
        Column("body", Text, nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("status", String(16), nullable=False),  # retrying | parked
        Column("next_attempt_at", DateTime(timezone=True), nullable=True),
        Column("last_error", Text, nullable=False),
        Column("first_failed_at", DateTime(timezone=True), nullable=False),
        Column("last_failed_at", DateTime(timezone=True), nullable=False),
        PrimaryKeyConstraint("consumer", "event_id"),
        Index("ix_failed_due", "status", "next_attempt_at"),
    )
    return {"outbox": outbox, "processed_events": processed, "failed_events": failed}
