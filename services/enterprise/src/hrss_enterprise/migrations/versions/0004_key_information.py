"""单位关键信息维护 and 信用代码维护: an enterprise's credit code today (``code``; its primary
key stays the code it registered with), and the credit code each unit carries.

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
    op.create_index("ux_enterprises_code", "enterprises", ["code"], unique=True)
    op.add_column("units", sa.Column("credit_code", sa.String(18), nullable=True))
    op.execute("UPDATE units SET credit_code = uscc")


def downgrade() -> None:
    op.drop_column("units", "credit_code")
    op.drop_index("ux_enterprises_code", "enterprises")
    op.drop_column("enterprises", "code")
