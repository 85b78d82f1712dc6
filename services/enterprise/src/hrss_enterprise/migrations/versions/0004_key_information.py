"""单位关键信息维护 and 信用代码维护: an enterprise's credit code today (``code``; its primary
key stays the code it registered with), every code it has held (``enterprise_codes``: no other
enterprise may take one), the 单位关键信息维护 cases applied or closed (``key_info_cases``: a
case's change happens once, and never after the case was denied), and the credit code each
unit carries.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("enterprises", sa.Column("code", sa.String(18), nullable=True))
    op.execute("UPDATE enterprises SET code = uscc")
    with op.batch_alter_table("enterprises") as batch:
        batch.alter_column("code", existing_type=sa.String(18), nullable=False)
    op.create_index("ux_enterprises_code", "enterprises", ["code"], unique=True)
    op.create_table(
        "enterprise_codes",
        sa.Column("code", sa.String(18), primary_key=True),
        sa.Column("enterprise_id", sa.String(18), nullable=False),
    )
    op.create_index("ix_enterprise_codes_enterprise_id", "enterprise_codes", ["enterprise_id"])
    op.execute("INSERT INTO enterprise_codes (code, enterprise_id) SELECT uscc, uscc FROM enterprises")
    op.create_table(
        "key_info_cases",
        sa.Column("case_no", sa.String(40), primary_key=True),
        sa.Column("enterprise_id", sa.String(18), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.add_column("units", sa.Column("credit_code", sa.String(18), nullable=True))
    op.execute("UPDATE units SET credit_code = uscc")
    with op.batch_alter_table("units") as batch:
        batch.alter_column("credit_code", existing_type=sa.String(18), nullable=False)


def downgrade() -> None:
    op.drop_column("units", "credit_code")
    op.drop_table("key_info_cases")
    op.drop_table("enterprise_codes")
    op.drop_index("ux_enterprises_code", "enterprises")
    op.drop_column("enterprises", "code")
