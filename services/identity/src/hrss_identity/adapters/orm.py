"""The identity service's tables."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Index, MetaData, String, Table

from hrss_contracts.id_documents import RESIDENT_ID
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

# The membership read model (service_layer/membership.py), kept from the enterprise's and
# authorization's events: who may scan in as 法人 or 办事员 of which enterprise.
legal_representatives = Table(
    "legal_representatives",
    metadata,
    # The enterprise's aggregate id: the code it registered with, kept when the code changes.
    Column("enterprise_id", String(80), primary_key=True),
    Column("uscc", String(18), nullable=False),  # its code today
    Column("enterprise_name", String(200), nullable=False),
    Column("legal_rep_id", String(18), nullable=False),
    Column("legal_rep_name", String(50), nullable=False),
    Index("ix_legal_representatives_legal_rep_id", "legal_rep_id"),
)

# Every code an enterprise has had: a clerk recorded under an earlier one still finds it.
enterprise_codes = Table(
    "enterprise_codes",
    metadata,
    Column("uscc", String(18), primary_key=True),
    Column("enterprise_id", String(80), nullable=False),
    Index("ix_enterprise_codes_enterprise_id", "enterprise_id"),
)

clerk_memberships = Table(
    "clerk_memberships",
    metadata,
    Column("clerk_id", String(80), primary_key=True),
    Column("uscc", String(18), nullable=False),
    Column("id_type", String(32), nullable=False, server_default=RESIDENT_ID),  # 证件类型
    Column("id_number", String(18), nullable=False),
    Column("name", String(50), nullable=False),
    Column("phone", String(20), nullable=False),
    Index("ix_clerk_memberships_id_number", "id_number"),
    Index("ix_clerk_memberships_uscc", "uscc"),
)
