"""The identity service's tables."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, MetaData, String, Table

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
)
