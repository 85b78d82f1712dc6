"""The kit's event log: per-aggregate sequences, read-model versions, catch-ups, idempotent RPC answers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The kit's event log, ordering and idempotency tables (frozen DDL of this revision).
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("sequence", sa.BigInteger, nullable=True))
        batch.add_column(sa.Column("publish_attempts", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_outbox_type", "outbox", ["event_type", "id"])
    op.create_table(
        "aggregate_sequences",
        sa.Column("aggregate_id", sa.String(80), primary_key=True),
        sa.Column("sequence", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "read_model_versions",
        sa.Column("read_model", sa.String(120), nullable=False),
        sa.Column("aggregate_id", sa.String(80), nullable=False),
        sa.Column("sequence", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("read_model", "aggregate_id"),
    )
    op.create_table(
        "catch_ups",
        sa.Column("consumer", sa.String(120), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("event_type", sa.String(80), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("events", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("consumer", "source", "event_type"),
    )
    op.create_table(
        "rpc_requests",
        sa.Column("method", sa.String(120), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("answer", sa.Text, nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("method", "key_hash"),
    )
    op.create_index("ix_rpc_requests_created", "rpc_requests", ["created_at"])


def downgrade() -> None:
    for table in ("rpc_requests", "catch_ups", "read_model_versions", "aggregate_sequences"):
        op.drop_table(table)
    op.drop_index("ix_outbox_type", "outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("retry_at")
        batch.drop_column("publish_attempts")
        batch.drop_column("sequence")
