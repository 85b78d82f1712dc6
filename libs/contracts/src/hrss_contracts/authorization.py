"""Clerks and their grants (manual 3.1.1): requests validated by the gateway and loaded again
by the authorization service, and the shapes it answers with."""

from __future__ import annotations

from marshmallow import RAISE, fields, validate

from hrss_contracts.fields import IdNumber, InsuranceType, Name
from hrss_contracts.schema import ContractSchema

MOBILE_PATTERN = r"^1[3-9]\d{9}$"
MAX_RELATIONS = 500  # far above any enterprise's relations; bounds the work of one request


class ClerkRequestSchema(ContractSchema):
    """添加 / 修改 a clerk (经办人): ID number, name and mobile phone, as the legal representative
    types them. A wrong ID number or name is accepted here, but its clerk cannot scan in
    (manual 3.1.1 注)."""

    class Meta:
        unknown = RAISE

    id_number = IdNumber(
        required=True, metadata={"description": "办事员身份证号 (GB 11643)", "example": "11010519491231002X"}
    )
    name = Name(
        required=True,
        validate=validate.Length(min=1, max=50, error="办事员姓名不能为空且不超过50字"),
        metadata={"description": "办事员姓名", "example": "李四"},
    )
    phone = fields.String(
        required=True,
        validate=validate.Regexp(MOBILE_PATTERN, error="手机号码格式不正确"),
        metadata={"description": "办事员手机号码", "example": "13900139000"},
    )


class GrantsRequestSchema(ContractSchema):
    """单位授权: the relations the clerk is to hold from now on (an empty list revokes all)."""

    class Meta:
        unknown = RAISE

    relation_ids = fields.List(
        fields.String(validate=validate.Length(min=1, max=80)),
        required=True,
        validate=validate.Length(max=MAX_RELATIONS),
        metadata={"description": "参保关系编号"},
    )


class RelationSchema(ContractSchema):
    """参保关系: a unit number, its insurance type and the agency that insures it."""

    relation_id = fields.String(required=True)
    unit_no = fields.String(required=True, metadata={"description": "单位编号"})
    insurance = InsuranceType(required=True, metadata={"description": "险种"})
    agency = fields.String(required=True, metadata={"description": "参保机构"})


class ClerkSchema(ContractSchema):
    """A clerk as listed: the ID number masked, and the relations granted."""

    clerk_id = fields.String(required=True)
    id_number = fields.String(required=True, metadata={"description": "masked", "example": "11010519491********"})
    name = fields.String(required=True)
    phone = fields.String(required=True)
    relation_ids = fields.List(fields.String(), required=True)


class AuditQuerySchema(ContractSchema):
    """A page of the grant history (newest first), of one clerk's if ``clerk_id``."""

    class Meta:
        unknown = RAISE

    clerk_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=80))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
