"""Password login (manual 5.2.1): loaded by the gateway and again by identity."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, RAISE, fields, pre_load, validate

from hrss_contracts.errors import CatalogueError
from hrss_contracts.event_data import ROLES
from hrss_contracts.schema import ContractSchema

MAX_PASSWORD_LENGTH = 128  # registration's limit: a longer one was never set, and costs argon2 time


class LoginRequestSchema(ContractSchema):
    """账户方式登录: the account (an enterprise's USCC, or an agency staff account) and its password.

    An empty account or password is the manual's own error (5.2.1.1, 5.2.1.2), not a field error.
    """

    class Meta:
        unknown = EXCLUDE

    account = fields.String(
        required=True,
        validate=[
            validate.Length(max=64),
            validate.Regexp(r"^[^\x00-\x1f\x7f]*\Z", error="账号不能包含控制字符"),
        ],
        # For the document: a blank account is ACCOUNT_REQUIRED (manual_errors), surrounding
        # blanks are dropped before the length is counted.
        metadata={
            "description": "账号 (surrounding blanks dropped)",
            "example": "91110000600037341L",
            "minLength": 1,
            "pattern": r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*\Z",
        },
    )
    password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(max=MAX_PASSWORD_LENGTH),
        metadata={"description": "密码", "minLength": 1},  # an empty one is PASSWORD_REQUIRED
    )

    @pre_load
    def manual_errors(self, data: Any, **_: Any) -> Any:
        if isinstance(data, dict):
            account, password = data.get("account"), data.get("password")
            if account is None or (isinstance(account, str) and not account.strip()):
                raise CatalogueError("ACCOUNT_REQUIRED")
            if password is None or password == "":
                raise CatalogueError("PASSWORD_REQUIRED")
            if isinstance(account, str):
                data = {**data, "account": account.strip()}
        return data


class LoginResultSchema(ContractSchema):
    token = fields.String(metadata={"description": "Bearer token, 256 random bits (absent with `session`)"})
    expires_in = fields.Integer(required=True, metadata={"description": "seconds of inactivity before it ends"})
    role = fields.String(required=True, metadata={"example": "legal"})
    session = fields.String(
        validate=validate.OneOf(["cookie"]),
        metadata={"description": "`cookie`: asked with `X-HRSS-Session: cookie`, the session is in a cookie"},
    )


class MeSchema(ContractSchema):
    """GET /me: who the session is. Every key is always there; what the role lacks is null."""

    account = fields.String(required=True, metadata={"description": "the session's login name"})
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    uscc = fields.String(required=True, allow_none=True, metadata={"description": "the enterprise (legal, clerk)"})
    agency = fields.String(required=True, allow_none=True, metadata={"description": "经办机构 (agency staff)"})
    id_number = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "the person's ID number, masked", "example": "36042619910********"},
    )
    name = fields.String(required=True, allow_none=True, metadata={"description": "the person's name"})


class AgencyUserSchema(ContractSchema):
    """An agency staff account: its login name, its agency (经办机构), its password."""

    class Meta:
        unknown = EXCLUDE

    account = fields.String(
        required=True,
        validate=validate.Regexp(r"^[A-Za-z0-9_.@-]{3,64}\Z", error="账号应为3至64位字母、数字或 _.@-"),
    )
    agency = fields.String(
        required=True, validate=validate.Length(min=1, max=100, error="经办机构不能为空且不超过100字")
    )
    password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=8, max=MAX_PASSWORD_LENGTH, error="密码长度应为8至128位"),
    )


class PasswordChangeSchema(ContractSchema):
    """修改资料 → 密码: set a password (an account that has none: its legal representative proved
    who they are by scanning) or change it (the current one is required)."""

    class Meta:
        unknown = RAISE

    current_password = fields.String(
        load_default=None,
        allow_none=True,
        load_only=True,
        validate=validate.Length(max=MAX_PASSWORD_LENGTH),
        metadata={"description": "the current password; required when the account has one"},
    )
    new_password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=8, max=MAX_PASSWORD_LENGTH, error="密码长度应为8至128位"),
        metadata={"description": "the new password, 8 to 128 characters"},
    )


class PasswordChangeResultSchema(ContractSchema):
    status = fields.String(required=True, validate=validate.OneOf(["changed"]))
    sessions_ended = fields.Integer(required=True, metadata={"description": "the account's other sessions ended"})
