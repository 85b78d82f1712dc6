"""marshmallow fields for the platform's identifiers, with the manual's field messages.

Each field also says what it enforces in the OpenAPI document: apispec writes a field's
metadata there, so each class puts into it the JSON Schema keywords of what it accepts
(``keywords``, patterns ending in Python's ``\\Z``, which the document's writer turns into
ECMA-262's ``$``) and, after the schema's own description, what no keyword can say (``note``).
The patterns spell the one form a field loads a value into; what it reads leniently (full-width
characters, lower case, surrounding blanks) the note says.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any, ClassVar

from marshmallow import ValidationError, fields, validate

from hrss_contracts.id_documents import DOCUMENT_NUMBER_PATTERN, ID_TYPES, MAX_DOCUMENT_LENGTH, is_document_shaped
from hrss_contracts.id_number import ID_NUMBER_PATTERN, is_valid_id_number
from hrss_contracts.names import has_control_characters, normalise_name
from hrss_contracts.uscc import USCC_PATTERN, uscc_problem

# No control character (Unicode category Cc: C0, DEL, C1), as an identifier must be.
NO_CONTROL_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*\Z"
# Free text: line breaks and tabs allowed, no other control character.
COMMENT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*\Z"
# A name: no control character but white space (which becomes a space), and something that is
# not white space (a blank name is empty once normalised).
_NAME_CHARACTER = r"[^\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]"
NAME_PATTERN = rf"^{_NAME_CHARACTER}*[^\s\x00-\x1f\x7f-\x9f]{_NAME_CHARACTER}*\Z"


def documented(metadata: Mapping[str, Any] | None, keywords: Mapping[str, Any], note: str) -> dict[str, Any]:
    """A field's ``metadata`` with ``keywords`` (the schema's own win) and ``note`` after its
    description."""
    own = dict(metadata or {})
    description = "; ".join(text for text in (own.get("description"), note) if text)
    return {**keywords, **own, **({"description": description} if description else {})}


class _Text(fields.String):
    """A string field that documents what it enforces (``keywords``, ``note``)."""

    keywords: ClassVar[Mapping[str, Any]] = {}
    note: ClassVar[str] = ""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["metadata"] = documented(kwargs.get("metadata"), self.keywords, self.note)
        super().__init__(**kwargs)


INSURANCE_TYPES: dict[str, str] = {
    "110": "企业职工基本养老保险",
    "120": "机关事业单位基本养老保险",
    "210": "失业保险",
    "410": "工伤保险",
}


class _Checked(_Text):
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
    keywords = {"pattern": USCC_PATTERN, "minLength": 18, "maxLength": 18}
    note = (
        "GB 32100: 18 characters of 0-9 and A-Z but I, O, S, V and Z, the 3rd to 8th digits "
        "(登记管理机关行政区划码); the 18th is a check character over the first 17 (mod 31), which no "
        "pattern can express: a code that fails it is 400. Lower-case and full-width characters are "
        "read as upper-case ASCII, surrounding blanks dropped"
    )
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
    keywords = {"pattern": ID_NUMBER_PATTERN, "minLength": 18, "maxLength": 18}
    note = (
        "GB 11643: a 6-digit address code, the birth date (YYYYMMDD, a real day from 1900 to today), "
        "a 3-digit sequence code and a check character (0-9 or X, ISO 7064 MOD 11-2) that no pattern "
        "can express: a number that fails it is 400. A lower-case x is read as X, full-width digits "
        "as ASCII, surrounding blanks dropped"
    )

    def check(self, value: str) -> bool:
        return is_valid_id_number(value)


class IdType(_Checked):
    """证件类型 (:mod:`hrss_contracts.id_documents`)."""

    message = "证件类型不正确"
    keywords = {"enum": list(ID_TYPES)}
    note = ", ".join(f"{code}: {label}" for code, label in ID_TYPES.items())

    def check(self, value: str) -> bool:
        return value in ID_TYPES


class DocumentNumber(_Checked):
    """证件号码 of any type: its shape here, its type's own rule in the schema that holds both
    (``DocumentSchema``); a lower-case letter is read as upper-case."""

    upper = True
    message = "证件号码格式不正确"
    keywords = {"pattern": DOCUMENT_NUMBER_PATTERN, "minLength": 5, "maxLength": MAX_DOCUMENT_LENGTH}
    note = (
        "judged by the rule of its id_type: 居民身份证 GB 11643 (check character, birth date); "
        "港澳居民来往内地通行证 H or M and 8 or 10 digits; 台湾居民来往大陆通行证 8 digits; "
        "外国人永久居留身份证 9 and 17 characters with GB 11643's check character, or 3 letters and "
        "12 digits with the ICAO 7-3-1 check digit; 护照 5 to 17 letters and digits. A number that "
        "fails its rule is 400. Lower-case and full-width characters are read as upper-case ASCII, "
        "surrounding blanks dropped"
    )

    def check(self, value: str) -> bool:
        return is_document_shaped(value)


class InsuranceType(_Checked):
    """险种: 110, 120, 210 or 410."""

    message = "险种必须是 110、120、210 或 410"
    keywords = {"enum": list(INSURANCE_TYPES)}

    def check(self, value: str) -> bool:
        return value in INSURANCE_TYPES


class Name(_Text):
    """A name as people type it (单位名称, 法人姓名), loaded in its one spelling
    (:func:`hrss_contracts.names.normalise_name`); validators see the normalised text."""

    keywords = {"pattern": NAME_PATTERN}
    note = (
        "read in one spelling (NFKC: full-width letters, digits and brackets as ASCII; invisible "
        "characters dropped; each run of white space one space, none at either end), whose length "
        "is the one counted; no control character"
    )
    control_message = "不能包含控制字符"

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = normalise_name(super()._deserialize(value, attr, data, **kwargs))
        if has_control_characters(text):
            raise ValidationError(self.control_message)
        return text


class Identifier(_Text):
    """An id the platform handed out (a relation, an attachment, a clerk): 1 to 80 characters,
    none of them a control character (a database would refuse a NUL, not the caller)."""

    keywords = {"pattern": NO_CONTROL_PATTERN}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validate", validate.Length(min=1, max=80, error="长度应为1至80个字符"))
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if any(unicodedata.category(c) == "Cc" for c in text):
            raise ValidationError("格式不正确")
        return text


class Comment(_Text):
    """Free text people type (意见, a reason): line breaks and tabs kept, no other control
    character (a database refuses a NUL, and none belongs in a comment)."""

    keywords = {"pattern": COMMENT_PATTERN}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if any(unicodedata.category(c) == "Cc" and c not in "\n\t\r" for c in text):
            raise ValidationError("不能包含控制字符")
        return text
