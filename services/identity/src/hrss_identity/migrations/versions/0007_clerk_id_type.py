"""证件类型: a clerk is known by a document type and its number; clerks remembered before it
hold 居民身份证 numbers.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "clerk_memberships", sa.Column("id_type", sa.String(32), nullable=False, server_default="resident_id")
    )
    # An 18-digit number starting with 9 is a foreigner's permanent residence card of 2023
    # (hrss_contracts.id_documents.canonical_document), which a 居民身份证 field took before.
    op.execute(
        "UPDATE clerk_memberships SET id_type = 'foreign_permanent_residence'"
        " WHERE id_number LIKE '9%' AND length(id_number) = 18"
    )


def downgrade() -> None:
    # A foreigner's 2023 card (9…) was a resident's number before: back to that, then anything else
    # of another type has no place in the older table.
    op.execute(
        "UPDATE clerk_memberships SET id_type = 'resident_id'"
        " WHERE id_type = 'foreign_permanent_residence' AND id_number LIKE '9%' AND length(id_number) = 18"
    )
    others = op.get_bind().execute(sa.text("SELECT count(*) FROM clerk_memberships WHERE id_type <> 'resident_id'")).scalar()
    if others:
        raise RuntimeError(
            f"{others} clerks are known by a document other than a 居民身份证: before 0007 they would"
            " be taken for residents at login; delete them first (in authorization: ClerkRemoved removes them here)"
        )
    with op.batch_alter_table("clerk_memberships") as batch:
        batch.drop_column("id_type")
