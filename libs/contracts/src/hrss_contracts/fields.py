"""marshmallow fields for the platform's identifiers, with the manual's field messages."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields

from hrss_contracts.id_number import is_valid_id_number
from hrss_contracts.uscc import is_valid_uscc

INSURANCE_TYPES: dict[str, str] = {
    "110": "企业职工基本养老保险",
    "120": "机关事业单位基本养老保险",
    "210": "失业保险",
    "410": "工伤保险",
}


class _Checked(fields.String):
    """A string field checked by a predicate after stripping surrounding blanks."""

    message = ""

    def check(self, value: str) -> bool:
        raise NotImplementedError

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not self.check(text):
            raise ValidationError(self.message)
        return text


class Uscc(_Checked):
    """统一社会信用代码 (GB 32100-2015)."""

    message = "统一社会信用代码格式不正确"

    def check(self, value: str) -> bool:
        return is_valid_uscc(value)


class IdNumber(_Checked):
    """公民身份号码 (GB 11643-1999); a lower-case x is read as X."""

    message = "身份证号码格式不正确"

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, str):
            value = value.upper()
        return super()._deserialize(value, attr, data, **kwargs)

    def check(self, value: str) -> bool:
        return is_valid_id_number(value)


class InsuranceType(_Checked):
    """险种: 110, 120, 210 or 410."""

    message = "险种必须是 110、120、210 或 410"

    def check(self, value: str) -> bool:
        return value in INSURANCE_TYPES
