"""Source records of the three verification sources (API.md, "Source record").

One JSON object per line; ``units`` is empty for the market registry.
"""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, ValidationError, fields, validate, validates_schema

from hrss_contracts.fields import IdNumber, InsuranceType, Name, Uscc
from hrss_contracts.schema import ContractSchema, field_errors

# The three verification sources' names, here once: the import RPC, hrssctl's --source and
# the demo files (demo/<name>.jsonl) use them. The enterprise service's domain keeps its own
# copy (domain/ imports only the standard library); a unit test there holds the two equal.
MARKET = "market"  # 营商 market registry
ENTERPRISE_PENSION = "enterprise-pension"  # 企业养老
INSTITUTION_PENSION = "institution-pension"  # 机关事业养老
SOURCES = (MARKET, ENTERPRISE_PENSION, INSTITUTION_PENSION)
PENSION_SOURCES = (ENTERPRISE_PENSION, INSTITUTION_PENSION)


class SourceRelationSchema(ContractSchema):
    class Meta:
        unknown = EXCLUDE

    insurance = InsuranceType(required=True)
    agency = fields.String(required=True, validate=validate.Length(min=1, max=100))


class SourceUnitSchema(ContractSchema):
    class Meta:
        unknown = EXCLUDE

    unit_no = fields.String(required=True, validate=validate.Length(min=1, max=32))
    relations = fields.List(fields.Nested(SourceRelationSchema), required=True)

    @validates_schema
    def one_relation_per_insurance(self, data: dict[str, Any], **_: Any) -> None:
        kinds = [r["insurance"] for r in data.get("relations", [])]
        if len(kinds) != len(set(kinds)):
            raise ValidationError("同一单位编号的险种重复", "relations")


class SourceRecordSchema(ContractSchema):
    class Meta:
        unknown = EXCLUDE

    uscc = Uscc(required=True)
    # Normalised as at registration (hrss_contracts.names), so the two compare as typed.
    name = Name(required=True, validate=validate.Length(min=1, max=200))
    address = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))
    legal_rep_name = Name(required=True, validate=validate.Length(min=1, max=50))
    legal_rep_id = IdNumber(required=True)
    legal_rep_phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20))
    units = fields.List(fields.Nested(SourceUnitSchema), load_default=list)

    @validates_schema
    def unit_numbers_unique(self, data: dict[str, Any], **_: Any) -> None:
        numbers = [u["unit_no"] for u in data.get("units", [])]
        if len(numbers) != len(set(numbers)):
            raise ValidationError("单位编号重复", "units")


class NumberedRecordSchema(ContractSchema):
    line = fields.Integer(required=True)
    record = fields.Raw(required=True)


class ImportRequestSchema(ContractSchema):
    """RPC payload of ``enterprise.import_sources``. Each record keeps its line in the file;
    records are loaded one by one (``SourceRecordSchema``) so a bad one is refused alone."""

    source = fields.String(required=True, validate=validate.OneOf(SOURCES))
    records = fields.List(fields.Nested(NumberedRecordSchema), required=True)


def refusal_reason(messages: Any) -> str:
    """marshmallow's messages as one readable line: ``field: message; …``."""
    return "; ".join(
        message if field == "_schema" else f"{field}: {message}"
        for field, texts in field_errors(messages).items()
        for message in texts
    )
