"""Cases (办件) with their materials and history, the case-number counter, and the read models
of registered enterprises' relations and of the clerks' grants.

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

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "enterprises",
        sa.Column("enterprise_id", sa.String(80), primary_key=True),
        sa.Column("uscc", sa.String(18), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
    )
    op.create_table(
        "insurance_relations",
        sa.Column("relation_id", sa.String(80), primary_key=True),
        sa.Column("enterprise_id", sa.String(80), nullable=False),
        sa.Column("unit_no", sa.String(40), nullable=False),
        sa.Column("insurance", sa.String(3), nullable=False),
        sa.Column("agency", sa.String(100), nullable=False),
    )
    op.create_index("ix_insurance_relations_enterprise_id", "insurance_relations", ["enterprise_id"])
    op.create_table(
        "clerk_grants",
        sa.Column("clerk_id", sa.String(80), primary_key=True),
        sa.Column("relation_id", sa.String(80), primary_key=True),
    )
    op.create_index("ix_clerk_grants_relation_id", "clerk_grants", ["relation_id"])
    op.create_table(
        "case_numbers",
        sa.Column("day", sa.String(8), primary_key=True),
        sa.Column("last", sa.Integer, nullable=False),
    )
    op.create_table(
        "cases",
        sa.Column("case_no", sa.String(16), primary_key=True),
        sa.Column("item_code", sa.String(80), nullable=False),
        sa.Column("item_name", sa.String(200), nullable=False),
        sa.Column("enterprise_id", sa.String(80), nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("relation_id", sa.String(80), nullable=False),
        sa.Column("unit_no", sa.String(40), nullable=False),
        sa.Column("insurance", sa.String(3), nullable=False),
        sa.Column("agency", sa.String(100), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("form", sa.Text, nullable=False),
        sa.Column("applicant_account", sa.String(80), nullable=False),
        sa.Column("applicant_login", sa.String(64), nullable=False),
        sa.Column("applicant_name", sa.String(64), nullable=False),
        sa.Column("applicant_role", sa.String(16), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_cases_enterprise", "cases", ["enterprise_id", "case_no"])
    op.create_index("ix_cases_enterprise_status", "cases", ["enterprise_id", "status", "case_no"])
    op.create_index("ix_cases_relation", "cases", ["relation_id", "case_no"])
    op.create_index("ix_cases_agency", "cases", ["agency", "case_no"])
    op.create_index("ix_cases_agency_status", "cases", ["agency", "status", "case_no"])
    op.create_table(
        "case_materials",
        sa.Column("case_no", sa.String(16), primary_key=True),
        sa.Column("round", sa.Integer, primary_key=True),
        sa.Column("material_code", sa.String(80), primary_key=True),
        sa.Column("attachment_id", sa.String(80), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(40), nullable=False),
        sa.Column("size", ID, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )
    op.create_table(
        "case_history",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("case_no", sa.String(16), nullable=False),
        sa.Column("action", sa.String(24), nullable=False),
        sa.Column("from_status", sa.String(24)),
        sa.Column("to_status", sa.String(24), nullable=False),
        sa.Column("actor_account", sa.String(80), nullable=False),
        sa.Column("actor_login", sa.String(64), nullable=False),
        sa.Column("actor_name", sa.String(64), nullable=False),
        sa.Column("actor_role", sa.String(16), nullable=False),
        sa.Column("actor_agency", sa.String(100)),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_case_history_case", "case_history", ["case_no", "id"])


def downgrade() -> None:
    for table in (
        "case_history",
        "case_materials",
        "cases",
        "case_numbers",
        "clerk_grants",
        "insurance_relations",
        "enterprises",
    ):
        op.drop_table(table)
