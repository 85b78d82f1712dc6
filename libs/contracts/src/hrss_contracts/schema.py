"""The base of every contract schema: marshmallow's messages in the users' language.

The platform's own validators already answer in Chinese; this covers what marshmallow says
itself (a missing field, a null, a value of the wrong type, a field nobody asked for).
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

FIELD_MESSAGES = {
    "required": "此项为必填项",
    "null": "此项不能为空",
    "invalid": "格式不正确",
    "invalid_utf8": "格式不正确",
}
TYPE_MESSAGES: dict[type[fields.Field[Any]], str] = {
    fields.String: "必须是文本",
    fields.Integer: "必须是整数",
    fields.Boolean: "必须是布尔值",
    fields.List: "必须是列表",
    fields.Nested: "必须是对象",
    fields.Dict: "必须是对象",
    fields.DateTime: "日期时间格式不正确",
    fields.UUID: "UUID 格式不正确",
}


class ContractSchema(Schema):
    error_messages = {"unknown": "不允许的字段", "type": "必须是 JSON 对象"}

    def on_bind_field(self, field_name: str, field_obj: fields.Field[Any]) -> None:
        messages: dict[str, Any] = {**field_obj.error_messages}
        for key, text in FIELD_MESSAGES.items():
            if key in messages:
                messages[key] = text
        for kind, text in TYPE_MESSAGES.items():
            if isinstance(field_obj, kind) and "invalid" in messages:
                messages["invalid"] = text
        if isinstance(field_obj, fields.Nested):
            messages["type"] = TYPE_MESSAGES[fields.Nested]
        field_obj.error_messages = messages


def field_errors(messages: Any) -> dict[str, list[str]]:
    """marshmallow's messages as ``{field: [message, …]}`` (nested fields joined by dots)."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), value)
        elif isinstance(node, list) and all(isinstance(m, str) for m in node):
            flat.setdefault(prefix or "_schema", []).extend(node)
        elif isinstance(node, list):
            for item in node:
                walk(prefix, item)
        else:
            flat.setdefault(prefix or "_schema", []).append(str(node))

    walk("", messages)
    return flat
