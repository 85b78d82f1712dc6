"""Sources, enterprises, units, insurance relations, registration decisions; kit tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

from hrss_kit.migrate import create_kit_tables, drop_kit_tables
from hrss_kit.tables import Id

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_kit_tables(op)
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
        sa.Column("id", Id, primary_key=True, autoincrement=True),
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
    drop_kit_tables(op)
