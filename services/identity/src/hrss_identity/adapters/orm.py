"""The identity service's tables."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Index, MetaData, String, Table

from hrss_kit.tables import add_kit_tables

metadata = MetaData()
add_kit_tables(metadata)

accounts = Table(
    "accounts",
    metadata,
    Column("account_id", String(36), primary_key=True),
    Column("login_name", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("uscc", String(18)),
    Column("password_hash", String(200)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("agency", String(100)),  # agency staff only: the 经办机构 they work for
)

# One registration per code whose account is not created yet (service_layer/registration.py).
pending_registrations = Table(
    "pending_registrations",
    metadata,
    Column("uscc", String(18), primary_key=True),
    Column("attempt", String(36), nullable=False),
    Column("state", String(16), nullable=False),
    Column("with_password", Boolean, nullable=False),
    Column("password_hash", String(200)),
    Column("accepted", Boolean, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_pending_registrations_updated_at", "updated_at"),
)
