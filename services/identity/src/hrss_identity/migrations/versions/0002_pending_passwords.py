"""Pending registrations: the password hash of a registration the enterprise has not answered.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

Frozen history: the DDL is written out here, not taken from the code's table definitions.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_registrations",
        sa.Column("uscc", sa.String(18), primary_key=True),
        sa.Column("attempt", sa.String(36), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("with_password", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(200)),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_pending_registrations_updated_at", "pending_registrations", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_pending_registrations_updated_at", table_name="pending_registrations")
    op.drop_table("pending_registrations")
