"""Sources, enterprises, units, insurance relations, registration decisions; kit tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The kit's tables as they were at this revision (frozen: later kit changes are new revisions).
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("event_type", sa.String(80), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("aggregate_id", sa.String(80), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_outbox_unpublished", "outbox", ["published_at", "id"])
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
        "source_records",
        sa.Column("source", sa.String(32), primary_key=True),
        sa.Column("uscc", sa.String(18), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address", sa.String(300)),
        sa.Column("legal_rep_name", sa.String(50), nullable=False),
        sa.Column("legal_rep_id", sa.String(18), nullable=False),
        sa.Column("legal_rep_phone", sa.String(20)),
        sa.Column("units", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "source_units",
        sa.Column("source", sa.String(32), primary_key=True),
        sa.Column("unit_no", sa.String(32), primary_key=True),
        sa.Column("uscc", sa.String(18), nullable=False),
    )
    op.create_table(
        "enterprises",
        sa.Column("uscc", sa.String(18), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address", sa.String(300)),
        sa.Column("legal_rep_name", sa.String(50), nullable=False),
        sa.Column("legal_rep_id", sa.String(18), nullable=False),
        sa.Column("legal_rep_phone", sa.String(20), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "units",
        sa.Column("unit_no", sa.String(32), primary_key=True),
        sa.Column("uscc", sa.String(18), sa.ForeignKey("enterprises.uscc"), nullable=False, index=True),
    )
    op.create_table(
        "insurance_relations",
        sa.Column("relation_id", sa.String(40), primary_key=True),
        sa.Column("unit_no", sa.String(32), sa.ForeignKey("units.unit_no"), nullable=False, index=True),
        sa.Column("insurance", sa.String(3), nullable=False),
        sa.Column("agency", sa.String(100), nullable=False),
    )
    op.create_table(
        "registration_decisions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("mismatched_fields", sa.JSON, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_registration_decisions_uscc", "registration_decisions", ["uscc"])


def downgrade() -> None:
    for table in ("registration_decisions", "insurance_relations", "units", "enterprises",
                  "source_units", "source_records"):
        op.drop_table(table)
    for table in ("failed_events", "processed_events", "outbox"):
        op.drop_table(table)
