"""The outbox's partial index of rows still to publish: events nobody consumes, which stay
unpublished for good, no longer slow every poll of the relay.

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

TO_PUBLISH = "published_at IS NULL AND publish_attempts < 10"


def upgrade() -> None:
    op.create_index(
        "ix_outbox_to_publish",
        "outbox",
        ["id"],
        postgresql_where=sa.text(TO_PUBLISH),
        sqlite_where=sa.text(TO_PUBLISH),
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_to_publish", "outbox")
