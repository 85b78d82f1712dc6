"""Agency staff accounts: the agency (经办机构) each belongs to.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28

Frozen history: the DDL is written out here, not taken from the code's table definitions.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("accounts", sa.Column("agency", sa.String(100)))


def downgrade() -> None:
    op.drop_column("accounts", "agency")
