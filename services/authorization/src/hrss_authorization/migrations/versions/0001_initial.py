"""The kit's tables; the read model of registered enterprises; clerks, grants, grant history.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    # The kit's tables as they were at this revision (frozen: later kit changes are new revisions).
    op.create_table(
        "outbox",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("event_type", sa.String(80), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("aggregate_id", sa.String(80), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sequence", sa.BigInteger, nullable=True),
        sa.Column("publish_attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_outbox_unpublished", "outbox", ["published_at", "id"])
    op.create_index("ix_outbox_type", "outbox", ["event_type", "id"])
    op.create_table(
        "aggregate_sequences",
        sa.Column("aggregate_id", sa.String(80), primary_key=True),
        sa.Column("sequence", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "processed_events",
        sa.Column("consumer", sa.String(120), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )
    op.create_table(
        "failed_events",
        sa.Column("consumer", sa.String(120), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("event_type", sa.String(80), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text, nullable=False),
        sa.Column("first_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )
    op.create_index("ix_failed_due", "failed_events", ["status", "next_attempt_at"])
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

    op.create_table(
        "enterprises",
        sa.Column("enterprise_id", sa.String(80), primary_key=True),
        sa.Column("uscc", sa.String(18), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address", sa.String(300)),
        sa.Column("legal_rep_name", sa.String(50), nullable=False),
        sa.Column("legal_rep_id", sa.String(18), nullable=False),
        sa.Column("legal_rep_phone", sa.String(20)),
    )
    op.create_table(
        "insurance_relations",
        sa.Column("relation_id", sa.String(80), primary_key=True),
        sa.Column("enterprise_id", sa.String(80), sa.ForeignKey("enterprises.enterprise_id"), nullable=False),
        sa.Column("unit_no", sa.String(40), nullable=False),
        sa.Column("insurance", sa.String(3), nullable=False),
        sa.Column("agency", sa.String(100), nullable=False),
    )
    op.create_index("ix_insurance_relations_enterprise_id", "insurance_relations", ["enterprise_id"])
    op.create_index("ix_insurance_relations_unit_no", "insurance_relations", ["unit_no"])
    op.create_table(
        "clerks",
        sa.Column("clerk_id", sa.String(80), primary_key=True),
        sa.Column("enterprise_id", sa.String(80), sa.ForeignKey("enterprises.enterprise_id"), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("enterprise_id", "id_number", name="uq_clerks_enterprise_id_number"),
    )
    op.create_index("ix_clerks_id_number", "clerks", ["id_number"])
    op.create_table(
        "grants",
        sa.Column("clerk_id", sa.String(80), sa.ForeignKey("clerks.clerk_id", ondelete="CASCADE"), primary_key=True),
        sa.Column(
            "relation_id", sa.String(80), sa.ForeignKey("insurance_relations.relation_id"), primary_key=True
        ),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_grants_relation_id", "grants", ["relation_id"])
    op.create_table(
        "grant_audit",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("enterprise_id", sa.String(80), nullable=False),
        sa.Column("clerk_id", sa.String(80), nullable=False),
        sa.Column("clerk_id_number", sa.String(18), nullable=False),
        sa.Column("clerk_name", sa.String(50), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("relation_id", sa.String(80), nullable=False),
        sa.Column("unit_no", sa.String(40), nullable=False),
        sa.Column("insurance", sa.String(3), nullable=False),
        sa.Column("agency", sa.String(100), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("actor_account", sa.String(64), nullable=False),
        sa.Column("actor_role", sa.String(16), nullable=False),
        sa.Column("actor_agency", sa.String(100)),
        sa.Column("attachments", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_grant_audit_enterprise", "grant_audit", ["enterprise_id", "id"])
    op.create_index("ix_grant_audit_clerk", "grant_audit", ["clerk_id", "id"])


def downgrade() -> None:
    for table in ("grant_audit", "grants", "clerks", "insurance_relations", "enterprises"):
        op.drop_table(table)
    for table in (
        "rpc_requests",
        "catch_ups",
        "read_model_versions",
        "failed_events",
        "processed_events",
        "aggregate_sequences",
        "outbox",
    ):
        op.drop_table(table)
