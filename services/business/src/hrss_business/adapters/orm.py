"""The business service's tables: the kit's, the two read models, and cases."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, Integer, MetaData, String, Table, Text

from hrss_kit.tables import Id, add_kit_tables

metadata = MetaData()
add_kit_tables(metadata)

# The read model of registered enterprises and their relations (the enterprise service's events).
enterprises = Table(
    "enterprises",
    metadata,
    Column("enterprise_id", String(80), primary_key=True),  # the code it registered with
    Column("uscc", String(18), nullable=False, unique=True),  # its code today
    Column("name", String(200), nullable=False),
)

insurance_relations = Table(
    "insurance_relations",
    metadata,
    Column("relation_id", String(80), primary_key=True),
    Column("enterprise_id", String(80), nullable=False),
    Column("unit_no", String(40), nullable=False),
    Column("insurance", String(3), nullable=False),
    Column("agency", String(100), nullable=False),
    Index("ix_insurance_relations_enterprise_id", "enterprise_id"),
)

# The read model of grants (the authorization service's events about clerks).
clerk_grants = Table(
    "clerk_grants",
    metadata,
    Column("clerk_id", String(80), primary_key=True),
    Column("relation_id", String(80), primary_key=True),
    Index("ix_clerk_grants_relation_id", "relation_id"),
)

# The last case number handed out each day (China time).
case_numbers = Table(
    "case_numbers",
    metadata,
    Column("day", String(8), primary_key=True),
    Column("last", Integer, nullable=False),
)

cases = Table(
    "cases",
    metadata,
    Column("case_no", String(16), primary_key=True),
    Column("item_code", String(80), nullable=False),
    Column("item_name", String(200), nullable=False),
    Column("enterprise_id", String(80), nullable=False),
    Column("uscc", String(18), nullable=False),  # the enterprise's code when it was submitted
    Column("relation_id", String(80), nullable=False),
    Column("unit_no", String(40), nullable=False),
    Column("insurance", String(3), nullable=False),
    Column("agency", String(100), nullable=False),
    Column("status", String(24), nullable=False),
    Column("round", Integer, nullable=False),
    Column("form", Text, nullable=False),  # JSON, the latest round's
    Column("applicant_account", String(80), nullable=False),
    Column("applicant_login", String(64), nullable=False),
    Column("applicant_name", String(64), nullable=False),
    Column("applicant_role", String(16), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
    # The user center's and the agency's listings, newest (highest number) first.
    Index("ix_cases_enterprise", "enterprise_id", "case_no"),
    Index("ix_cases_enterprise_status", "enterprise_id", "status", "case_no"),
    Index("ix_cases_relation", "relation_id", "case_no"),
    Index("ix_cases_agency", "agency", "case_no"),
    Index("ix_cases_agency_status", "agency", "status", "case_no"),
)

case_materials = Table(
    "case_materials",
    metadata,
    Column("case_no", String(16), primary_key=True),
    Column("round", Integer, primary_key=True),
    Column("material_code", String(80), primary_key=True),
    Column("attachment_id", String(80), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(40), nullable=False),
    Column("size", Id, nullable=False),
    Column("sha256", String(64), nullable=False),
)

# Every step of every case; never updated, never deleted.
case_history = Table(
    "case_history",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("case_no", String(16), nullable=False),
    Column("action", String(24), nullable=False),
    Column("from_status", String(24)),
    Column("to_status", String(24), nullable=False),
    Column("actor_account", String(80), nullable=False),
    Column("actor_login", String(64), nullable=False),
    Column("actor_name", String(64), nullable=False),
    Column("actor_role", String(16), nullable=False),
    Column("actor_agency", String(100)),
    Column("comment", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_case_history_case", "case_no", "id"),
)
