"""The membership read model: legal representatives per enterprise, every code an enterprise
has had, clerks per enterprise (built from the enterprise's and authorization's events).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

Frozen history: the DDL is written out here, not taken from the code's table definitions.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "legal_representatives",
        sa.Column("enterprise_id", sa.String(80), primary_key=True),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("enterprise_name", sa.String(200), nullable=False),
        sa.Column("legal_rep_id", sa.String(18), nullable=False),
        sa.Column("legal_rep_name", sa.String(50), nullable=False),
    )
    op.create_index("ix_legal_representatives_legal_rep_id", "legal_representatives", ["legal_rep_id"])
    op.create_table(
        "enterprise_codes",
        sa.Column("uscc", sa.String(18), primary_key=True),
        sa.Column("enterprise_id", sa.String(80), nullable=False),
    )
    op.create_index("ix_enterprise_codes_enterprise_id", "enterprise_codes", ["enterprise_id"])
    op.create_table(
        "clerk_memberships",
        sa.Column("clerk_id", sa.String(80), primary_key=True),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
    )
    op.create_index("ix_clerk_memberships_id_number", "clerk_memberships", ["id_number"])
    op.create_index("ix_clerk_memberships_uscc", "clerk_memberships", ["uscc"])


def downgrade() -> None:
    for table in ("clerk_memberships", "enterprise_codes", "legal_representatives"):
        op.drop_table(table)
