"""The enterprise service's tables (its own database; no other service reads them)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, MetaData, String, Table

from hrss_kit.tables import Id, add_kit_tables

metadata = MetaData()
add_kit_tables(metadata)

source_records = Table(
    "source_records",
    metadata,
    Column("source", String(32), primary_key=True),
    Column("uscc", String(18), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("address", String(300)),
    Column("legal_rep_name", String(50), nullable=False),
    Column("legal_rep_id", String(18), nullable=False),
    Column("legal_rep_phone", String(20)),
    Column("units", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

source_units = Table(
    "source_units",
    metadata,
    Column("source", String(32), primary_key=True),
    Column("unit_no", String(32), primary_key=True),
    Column("uscc", String(18), nullable=False),
)

enterprises = Table(
    "enterprises",
    metadata,
    Column("uscc", String(18), primary_key=True),  # the code it registered with: its id for good
    Column("code", String(18), nullable=False),  # its credit code today (单位关键信息维护 changes it)
    Column("name", String(200), nullable=False),
    Column("address", String(300)),
    Column("legal_rep_name", String(50), nullable=False),
    Column("legal_rep_id", String(18), nullable=False),
    Column("legal_rep_phone", String(20), nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
)

units = Table(
    "units",
    metadata,
    Column("unit_no", String(32), primary_key=True),
    Column("uscc", String(18), ForeignKey("enterprises.uscc"), nullable=False, index=True),
    Column("credit_code", String(18), nullable=False),  # the credit code the unit carries (信用代码维护 aligns it)
)

insurance_relations = Table(
    "insurance_relations",
    metadata,
    Column("relation_id", String(40), primary_key=True),
    Column("unit_no", String(32), ForeignKey("units.unit_no"), nullable=False, index=True),
    Column("insurance", String(3), nullable=False),
    Column("agency", String(100), nullable=False),
)

registration_decisions = Table(
    "registration_decisions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("uscc", String(18), nullable=False),
    Column("outcome", String(16), nullable=False),  # registered | not_verified | mismatch
    Column("mismatched_fields", JSON, nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Index("ix_registration_decisions_uscc", "uscc"),
)

Index("ux_enterprises_code", enterprises.c.code, unique=True)

# Every code an enterprise has held, its registration's included: no other enterprise may take
# one, and a lookup by a former code finds the enterprise.
enterprise_codes = Table(
    "enterprise_codes",
    metadata,
    Column("code", String(18), primary_key=True),
    Column("enterprise_id", String(18), nullable=False),
    Index("ix_enterprise_codes_enterprise_id", "enterprise_id"),
)

# 单位关键信息维护 cases whose change was applied, or closed before it was (denied).
key_info_cases = Table(
    "key_info_cases",
    metadata,
    Column("case_no", String(40), primary_key=True),
    Column("enterprise_id", String(18), nullable=False),
    Column("outcome", String(16), nullable=False),  # applied | closed
    Column("at", DateTime(timezone=True), nullable=False),
)
