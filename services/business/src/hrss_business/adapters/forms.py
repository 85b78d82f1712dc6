"""Forms checked against their item's JSON Schema (Draft 2020-12), each problem told in
Chinese under the field it concerns (``form.uscc``, ``form.employees.0.id_number``)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError

from hrss_business.domain.model import BusinessItem
from hrss_contracts.id_number import is_valid_id_number
from hrss_contracts.uscc import is_valid_uscc

FORMATS = FormatChecker(formats=())


@FORMATS.checks("gb32100-uscc")
def _uscc(value: object) -> bool:
    return not isinstance(value, str) or is_valid_uscc(value)


@FORMATS.checks("gb11643-id-number")
def _id_number(value: object) -> bool:
    return not isinstance(value, str) or is_valid_id_number(value.upper())


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


@FORMATS.checks("date", raises=ValueError)
def _date(value: object) -> bool:
    # fromisoformat alone would take "2024-W01-1" (an ISO week date) and "20240101"
    return not isinstance(value, str) or bool(ISO_DATE.match(value) and date.fromisoformat(value))


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None


@functools.lru_cache(maxsize=256)
def _ecma_pattern(pattern: str) -> re.Pattern[str]:
    """JSON Schema's patterns are ECMA-262's, where a final ``$`` is the end of the text;
    Python's ``$`` also matches before a final line break ("13900139000\n" would pass)."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _ecma_pattern(pattern).search(instance):
        yield ValidationError(f"{instance[:80]!r} does not match {pattern!r}")


FormValidator = validators.extend(Draft202012Validator, {"pattern": _pattern})

FORMAT_MESSAGES = {
    "gb32100-uscc": "统一社会信用代码格式不正确",
    "gb11643-id-number": "身份证号码格式不正确",
    "date": "日期格式不正确(YYYY-MM-DD)",
    "date-time": "日期时间格式不正确",
}
TYPE_WORDS = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "是或否",
    "array": "列表",
    "object": "对象",
}
MAX_PROBLEMS = 50


class JsonSchemaForms:
    """One validator per item, built on first use and kept (the catalogue does not change while
    the service runs)."""

    def __init__(self) -> None:
        self._validators: dict[str, Any] = {}

    def problems(self, item: BusinessItem, form: dict[str, Any]) -> dict[str, list[str]]:
        validator = self._validators.get(item.code)
        if validator is None:
            validator = self._validators[item.code] = FormValidator(item.form, format_checker=FORMATS)
        found: dict[str, list[str]] = {}
        for error in validator.iter_errors(form):
            for field, message in _described(error):
                messages = found.setdefault(field, [])
                if message not in messages:
                    messages.append(message)
            if len(found) >= MAX_PROBLEMS:
                break
        return found


def _described(error: ValidationError) -> list[tuple[str, str]]:
    path = [str(p) for p in error.absolute_path]
    schema = error.schema if isinstance(error.schema, dict) else {}
    title = schema.get("title")
    keyword, value = error.validator, error.validator_value
    if keyword == "required":
        missing = _missing(error)
        name = schema.get("properties", {}).get(missing, {}).get("title", missing)
        return [(_field([*path, missing]), f"{name}不能为空")]
    if keyword == "additionalProperties" and isinstance(error.instance, dict):
        extra = sorted(str(k) for k in error.instance if k not in schema.get("properties", {}))[:MAX_PROBLEMS]
        return [(_field([*path, k[:80]]), "不允许的字段") for k in extra] or [(_field(path), "包含不允许的字段")]
    label = title or (path[-1] if path else "表单")
    messages = {
        "type": f"{label}应为{_type_words(value)}",
        "format": FORMAT_MESSAGES.get(str(value), f"{label}格式不正确"),
        "minLength": f"{label}不能为空" if value == 1 else f"{label}至少{value}个字符",
        "maxLength": f"{label}不超过{value}个字符",
        "pattern": f"{label}格式不正确",
        "enum": f"{label}不在可选范围内",
        "const": f"{label}不在可选范围内",
        "minimum": f"{label}不能小于{value}",
        "maximum": f"{label}不能大于{value}",
        "exclusiveMinimum": f"{label}应大于{value}",
        "exclusiveMaximum": f"{label}应小于{value}",
        "minItems": f"{label}至少{value}项",
        "maxItems": f"{label}最多{value}项",
        "uniqueItems": f"{label}不能重复",
        "multipleOf": f"{label}应为{value}的倍数",
    }
    return [(_field(path), messages.get(str(keyword), f"{label}不符合要求"))]


def _missing(error: ValidationError) -> str:
    # "'uscc' is a required property": the name is the quoted part.
    message = error.message
    return message.split("'")[1] if message.count("'") >= 2 else message


def _type_words(value: Any) -> str:
    kinds = value if isinstance(value, list) else [value]
    return "或".join(TYPE_WORDS.get(str(k), str(k)) for k in kinds)


def _field(path: list[str]) -> str:
    return ".".join(["form", *path])
