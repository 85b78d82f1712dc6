"""The authorization service's tables."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Index, MetaData, String, Table, Text, UniqueConstraint

from hrss_contracts.id_documents import RESIDENT_ID
from hrss_kit.tables import Id, add_kit_tables

metadata = MetaData()
add_kit_tables(metadata)

# The read model of registered enterprises (from the enterprise service's events).
enterprises = Table(
    "enterprises",
    metadata,
    # The code it registered with (its events' aggregate id), kept when the code changes.
    Column("enterprise_id", String(80), primary_key=True),
    Column("uscc", String(18), nullable=False, unique=True),  # its code today
    Column("name", String(200), nullable=False),
    Column("address", String(300)),  # null until EnterpriseRegistered arrives (if it came late)
    Column("legal_rep_name", String(50), nullable=False),
    Column("legal_rep_id", String(18), nullable=False),
    Column("legal_rep_phone", String(20)),
)

insurance_relations = Table(
    "insurance_relations",
    metadata,
    Column("relation_id", String(80), primary_key=True),
    Column("enterprise_id", String(80), ForeignKey("enterprises.enterprise_id"), nullable=False),
    Column("unit_no", String(40), nullable=False),
    Column("insurance", String(3), nullable=False),
    Column("agency", String(100), nullable=False),
    Index("ix_insurance_relations_enterprise_id", "enterprise_id"),
    Index("ix_insurance_relations_unit_no", "unit_no"),
)

# This service's own: clerks (办事员) and what is granted to them (单位授权).
clerks = Table(
    "clerks",
    metadata,
    Column("clerk_id", String(80), primary_key=True),
    Column("enterprise_id", String(80), ForeignKey("enterprises.enterprise_id"), nullable=False),
    Column("id_type", String(32), nullable=False, server_default=RESIDENT_ID),  # 证件类型
    Column("id_number", String(18), nullable=False),
    Column("name", String(50), nullable=False),
    Column("phone", String(20), nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("enterprise_id", "id_type", "id_number", name="uq_clerks_enterprise_document"),
    Index("ix_clerks_id_number", "id_number"),
)

grants = Table(
    "grants",
    metadata,
    Column("clerk_id", String(80), ForeignKey("clerks.clerk_id", ondelete="CASCADE"), primary_key=True),
    Column("relation_id", String(80), ForeignKey("insurance_relations.relation_id"), primary_key=True),
    Column("granted_at", DateTime(timezone=True), nullable=False),
    Index("ix_grants_relation_id", "relation_id"),
)

# Every grant and revocation, one row per relation; never updated, never deleted.
grant_audit = Table(
    "grant_audit",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("enterprise_id", String(80), nullable=False),
    Column("clerk_id", String(80), nullable=False),
    Column("clerk_id_number", String(18), nullable=False),
    Column("clerk_name", String(50), nullable=False),
    Column("action", String(16), nullable=False),  # granted | revoked
    Column("relation_id", String(80), nullable=False),
    Column("unit_no", String(40), nullable=False),
    Column("insurance", String(3), nullable=False),
    Column("agency", String(100), nullable=False),
    Column("channel", String(16), nullable=False),  # legal_rep | agency_window
    Column("actor_account", String(64), nullable=False),
    Column("actor_role", String(16), nullable=False),
    Column("actor_agency", String(100)),
    Column("attachments", Text, nullable=False),  # JSON list of attachment ids
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_grant_audit_enterprise", "enterprise_id", "id"),
    Index("ix_grant_audit_clerk", "clerk_id", "id"),
)

# Uploaded materials (bytes in the gateway's blob store, under the attachment id).
attachments = Table(
    "attachments",
    metadata,
    Column("attachment_id", String(80), primary_key=True),
    Column("owner", String(80), nullable=False),  # the uploading account's id
    Column("sha256", String(64), nullable=False),
    Column("size", Id, nullable=False),
    Column("content_type", String(40), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Index("ix_attachments_owner", "owner"),
)

# 公共服务单位用户授权 submitted at an agency's window.
window_authorizations = Table(
    "window_authorizations",
    metadata,
    Column("submission_id", String(36), primary_key=True),
    Column("enterprise_id", String(80), nullable=False),
    Column("actor_account", String(64), nullable=False),
    Column("actor_agency", String(100)),
    Column("attachments", Text, nullable=False),  # JSON list of attachment ids
    Column("clerks", Text, nullable=False),  # JSON list of the clerk ids concerned
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Index("ix_window_authorizations_enterprise", "enterprise_id", "submitted_at"),
)
