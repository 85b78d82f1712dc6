"""QR login with the e-SSC (manual 2.1.2, 3.1.1, 4): requests the gateway and identity load."""

from __future__ import annotations

from marshmallow import RAISE, fields, validate

from hrss_contracts.essc import ACTS
from hrss_contracts.fields import IdType, Uscc
from hrss_contracts.id_documents import RESIDENT_ID
from hrss_contracts.schema import ContractSchema

QR_ROLES = ("legal", "clerk")
QR_STATUSES = ("pending", "scanned", "select_enterprise", "authenticated", "cancelled", "expired", "rejected")
# What the QR code shows above it (manual 3.1.1, 4).
QR_TITLES = {"legal": "法人扫码登录", "clerk": "办事员扫码登录"}
MAX_WAIT_SECONDS = 30


class QrSessionRequestSchema(ContractSchema):
    class Meta:
        unknown = RAISE

    role = fields.String(
        required=True,
        validate=validate.OneOf(QR_ROLES, error="角色应为 legal 或 clerk"),
        metadata={"description": "legal: 法人扫码登录; clerk: 办事员扫码登录"},
    )


class SelectionSchema(ContractSchema):
    """选择单位: the enterprise picked from the session's list."""

    class Meta:
        unknown = RAISE

    uscc = Uscc(required=True)


class AssertionSchema(ContractSchema):
    """An e-SSC assertion: a compact JWS (EdDSA) with claims qr, sub, name, act, iat, exp, jti."""

    class Meta:
        unknown = RAISE

    assertion = fields.String(required=True, validate=validate.Length(min=1, max=4096))


class DevAssertionRequestSchema(ContractSchema):
    """The development e-SSC simulator's act (development mode only): the gateway signs it."""

    class Meta:
        unknown = RAISE

    act = fields.String(
        required=True,
        validate=validate.OneOf(ACTS, error="应为 scan、confirm 或 cancel"),
        metadata={"description": "scan: 扫码; confirm: 确认登录; cancel: 取消"},
    )
    qr_content = fields.String(required=True, validate=validate.Length(min=1, max=512))
    id_type = IdType(load_default=RESIDENT_ID, metadata={"description": "证件类型 of id_number"})
    id_number = fields.String(required=True, validate=validate.Length(min=1, max=32))
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))


def qr_changed_channel(prefix: str) -> str:
    """The Redis channel where identity announces each change of a QR session (its id), and
    where gateways holding a ``wait`` listen. ``prefix``: identity's Redis prefix."""
    return f"{prefix}:qr-changed"
