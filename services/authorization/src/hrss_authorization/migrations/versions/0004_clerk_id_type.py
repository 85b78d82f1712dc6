"""证件类型: a clerk is known by a document type and its number. Clerks added before it hold
居民身份证 numbers; one clerk per document (not per number) in an enterprise.

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
    with op.batch_alter_table("clerks") as batch:
        batch.add_column(sa.Column("id_type", sa.String(32), nullable=False, server_default="resident_id"))
        batch.drop_constraint("uq_clerks_enterprise_id_number", type_="unique")
        batch.create_unique_constraint("uq_clerks_enterprise_document", ["enterprise_id", "id_type", "id_number"])
    # An 18-digit number starting with 9 is a foreigner's permanent residence card of 2023
    # (hrss_contracts.id_documents.canonical_document), which a 居民身份证 field took before.
    op.execute(
        "UPDATE clerks SET id_type = 'foreign_permanent_residence' WHERE id_number LIKE '9%' AND length(id_number) = 18"
    )


def downgrade() -> None:
    # A foreigner's 2023 card (9…) was a resident's number before: back to that, then anything else
    # of another type has no place in the older table.
    op.execute(
        "UPDATE clerks SET id_type = 'resident_id'"
        " WHERE id_type = 'foreign_permanent_residence' AND id_number LIKE '9%' AND length(id_number) = 18"
    )
    others = op.get_bind().execute(sa.text("SELECT count(*) FROM clerks WHERE id_type <> 'resident_id'")).scalar()
    if others:
        raise RuntimeError(
            f"{others} clerks are known by a document other than a 居民身份证: before 0004 they would"
            " be taken for residents (and two of one number would collide); delete them first"
        )
    with op.batch_alter_table("clerks") as batch:
        batch.drop_constraint("uq_clerks_enterprise_document", type_="unique")
        batch.create_unique_constraint("uq_clerks_enterprise_id_number", ["enterprise_id", "id_number"])
        batch.drop_column("id_type")
