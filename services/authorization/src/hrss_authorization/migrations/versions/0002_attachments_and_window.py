"""Attachments' metadata and the agency window's submissions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("attachment_id", sa.String(80), primary_key=True),
        sa.Column("owner", sa.String(80), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("content_type", sa.String(40), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_attachments_owner", "attachments", ["owner"])
    op.create_table(
        "window_authorizations",
        sa.Column("submission_id", sa.String(36), primary_key=True),
        sa.Column("enterprise_id", sa.String(80), nullable=False),
        sa.Column("actor_account", sa.String(64), nullable=False),
        sa.Column("actor_agency", sa.String(100)),
        sa.Column("attachments", sa.Text, nullable=False),
        sa.Column("clerks", sa.Text, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_window_authorizations_enterprise", "window_authorizations", ["enterprise_id", "submitted_at"])


def downgrade() -> None:
    op.drop_table("window_authorizations")
    op.drop_table("attachments")
