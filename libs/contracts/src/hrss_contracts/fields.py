"""marshmallow fields for the platform's identifiers, with the manual's field messages."""

from __future__ import annotations

import unicodedata
from typing import Any

from marshmallow import ValidationError, fields, validate

from hrss_contracts.id_number import is_valid_id_number
from hrss_contracts.names import has_control_characters, normalise_name
from hrss_contracts.uscc import uscc_problem

INSURANCE_TYPES: dict[str, str] = {
    "110": "企业职工基本养老保险",
    "120": "机关事业单位基本养老保险",
    "210": "失业保险",
    "410": "工伤保险",
}


class _Checked(fields.String):
    """A code checked by a predicate, after folding full-width characters (a Chinese input
    method types ９１１１…) and stripping surrounding blanks."""

    message = ""
    upper = False

    def check(self, value: str) -> bool:
        raise NotImplementedError

    def error_for(self, value: str) -> str | None:
        """The field message for ``value``, or ``None`` when it is good."""
        return None if self.check(value) else self.message

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = unicodedata.normalize("NFKC", super()._deserialize(value, attr, data, **kwargs)).strip()
        if self.upper:
            text = text.upper()
        error = self.error_for(text)
        if error is not None:
            raise ValidationError(error)
        return text


class Uscc(_Checked):
    """统一社会信用代码 (GB 32100-2015); lower-case letters are read as upper-case."""

    upper = True
    message = "统一社会信用代码格式不正确"
    division_message = "统一社会信用代码第3至8位(登记管理机关行政区划码)应为数字"

    def error_for(self, value: str) -> str | None:
        problem = uscc_problem(value)
        if problem is None:
            return None
        return self.division_message if problem == "division" else self.message


class IdNumber(_Checked):
    """公民身份号码 (GB 11643-1999); a lower-case x is read as X."""

    upper = True
    message = "身份证号码格式不正确"

    def check(self, value: str) -> bool:
        return is_valid_id_number(value)


class InsuranceType(_Checked):
    """险种: 110, 120, 210 or 410."""

    message = "险种必须是 110、120、210 或 410"

    def check(self, value: str) -> bool:
        return value in INSURANCE_TYPES


class Name(fields.String):
    """A name as people type it (单位名称, 法人姓名), loaded in its one spelling
    (:func:`hrss_contracts.names.normalise_name`); validators see the normalised text."""

    control_message = "不能包含控制字符"

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = normalise_name(super()._deserialize(value, attr, data, **kwargs))
        if has_control_characters(text):
            raise ValidationError(self.control_message)
        return text


class Identifier(fields.String):
    """An id the platform handed out (a relation, an attachment, a clerk): 1 to 80 characters,
    none of them a control character (a database would refuse a NUL, not the caller)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validate", validate.Length(min=1, max=80, error="长度应为1至80个字符"))
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if any(unicodedata.category(c) == "Cc" for c in text):
            raise ValidationError("格式不正确")
        return text


class Comment(fields.String):
    """Free text people type (意见, a reason): line breaks and tabs kept, no other control
    character (a database refuses a NUL, and none belongs in a comment)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if any(unicodedata.category(c) == "Cc" and c not in "\n\t\r" for c in text):
            raise ValidationError("不能包含控制字符")
        return text
