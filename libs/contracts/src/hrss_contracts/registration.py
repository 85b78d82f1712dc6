"""Registration request (manual 5.1): validated by the gateway and loaded again by the services."""

from __future__ import annotations

from marshmallow import RAISE, fields, validate

from hrss_contracts.fields import IdNumber, Name, Uscc
from hrss_contracts.schema import ContractSchema

PHONE_PATTERN = r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})\Z"  # \Z: "$" would let a final line break through


def contact_phone() -> fields.String:
    """法人联系电话: a mobile or a landline (with its area code)."""
    return fields.String(
        required=True,
        validate=validate.Regexp(PHONE_PATTERN, error="联系电话格式不正确"),
        metadata={"description": "法人联系电话", "example": "13800138000"},
    )


class RegistrationRequestSchema(ContractSchema):
    """法人注册: the enterprise's code and name, the legal representative, an optional password."""

    class Meta:
        unknown = RAISE

    uscc = Uscc(required=True, metadata={"description": "统一社会信用代码", "example": "91110000600037341L"})
    # Names are compared with the sources' in their one spelling (hrss_contracts.names).
    name = Name(
        required=True,
        validate=validate.Length(min=1, max=200, error="单位名称不能为空且不超过200字"),
        metadata={"description": "单位名称 (全角括号、空格按半角比对)"},
    )
    legal_rep_name = Name(
        required=True,
        validate=validate.Length(min=1, max=50, error="法人姓名不能为空且不超过50字"),
        metadata={"description": "法人姓名"},
    )
    legal_rep_id = IdNumber(required=True, metadata={"description": "法人身份证号"})
    phone = contact_phone()
    password = fields.String(
        load_default=None,
        allow_none=True,
        load_only=True,
        validate=validate.Length(min=8, max=128, error="密码长度应为8至128位"),
        metadata={"description": "可选; 设置后可用账号密码登录"},
    )


class ContactRequestSchema(ContractSchema):
    """修改资料 → 联系电话: the legal representative's contact phone, as at registration."""

    class Meta:
        unknown = RAISE

    phone = contact_phone()


class RegistrationResultSchema(ContractSchema):
    uscc = fields.String(required=True)
    status = fields.String(required=True, metadata={"example": "registered"})
