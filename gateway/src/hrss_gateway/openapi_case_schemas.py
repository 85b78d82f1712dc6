"""What the OpenAPI document says cases look like: the answers as the business service shapes
them (``adapters/messages.py``: ``case_summary``, ``case_view``, ``page_view``,
``material_data``), the 409 that names a case's status, and the case routes' parameters."""

from __future__ import annotations

from typing import Any

from hrss_contracts.cases import ACTIONS, STATUS_LABELS, STATUSES
from hrss_gateway.openapi_business import INSURANCE
from hrss_gateway.openapi_clerks import items
from hrss_gateway.openapi_parts import query_parameter
from hrss_gateway.openapi_window import ATTACHMENT_TYPES

STATUS = {
    "type": "string",
    "enum": list(STATUSES),
    "description": " · ".join(f"{status} {label}" for status, label in STATUS_LABELS.items()),
}
WHEN = {"type": "string", "format": "date-time"}
ACTOR = {
    "type": "object",
    "required": ["name", "role", "agency"],
    "properties": {
        "name": {
            "type": "string",
            "description": "the person's name if the session knew it (e-SSC login), else the login name",
        },
        "role": {"type": "string", "enum": ["legal", "clerk", "agency"]},
        "agency": {"type": "string", "nullable": True, "description": "agency staff's agency"},
    },
}
SUMMARY_PROPERTIES: dict[str, Any] = {
    "case_no": {"type": "string", "description": "办件编号", "example": "YW20261128000001"},
    "item_code": {"type": "string", "example": "unit-key-info"},
    "item_name": {"type": "string", "example": "单位关键信息维护"},
    "status": STATUS,
    "status_label": {"type": "string", "enum": list(STATUS_LABELS.values()), "description": "the words shown"},
    "uscc": {"type": "string"},
    "unit_no": {"type": "string"},
    "insurance": INSURANCE,
    "agency": {"type": "string", "description": "the agency that insures the relation: it handles the case"},
    "applicant": {"type": "string", "description": "who submitted it, as `actor.name`"},
    "submitted_at": {**WHEN, "nullable": True},
    "updated_at": {**WHEN, "nullable": True},
}
CASE_SUMMARY = {"type": "object", "required": list(SUMMARY_PROPERTIES), "properties": SUMMARY_PROPERTIES}
MATERIAL_PROPERTIES: dict[str, Any] = {
    "material_code": {"type": "string", "description": "the item's material it was given for"},
    "attachment_id": {"type": "string"},
    "filename": {"type": "string"},
    "content_type": {"type": "string", "enum": list(ATTACHMENT_TYPES)},
    "size": {"type": "integer", "minimum": 0},
    "sha256": {"type": "string"},
}
CASE_MATERIAL = {"type": "object", "required": list(MATERIAL_PROPERTIES), "properties": MATERIAL_PROPERTIES}
STEP_PROPERTIES: dict[str, Any] = {
    "action": {"type": "string", "enum": list(ACTIONS)},
    "from_status": {**STATUS, "enum": [*STATUSES, None], "nullable": True, "description": "null for the submission"},
    "status": {**STATUS, "description": "the status after the step"},
    "status_label": SUMMARY_PROPERTIES["status_label"],
    "actor": {"$ref": "#/components/schemas/CaseActor"},
    "comment": {"type": "string", "description": "the reasons of a refusal or a correction (may be empty otherwise)"},
    "at": WHEN,
}
CASE_STEP = {"type": "object", "required": list(STEP_PROPERTIES), "properties": STEP_PROPERTIES}
CASE = {
    "allOf": [
        {"$ref": "#/components/schemas/CaseSummary"},
        {
            "type": "object",
            "required": ["relation_id", "round", "form", "materials", "history"],
            "properties": {
                "relation_id": {"type": "string"},
                "round": {"type": "integer", "minimum": 1, "description": "1, and one more for each resubmission"},
                "form": {"type": "object", "description": "the latest round's form"},
                "materials": {
                    "type": "array",
                    "description": "the latest round's",
                    "items": {"$ref": "#/components/schemas/CaseMaterial"},
                },
                "history": {
                    "type": "array",
                    "description": "every step, oldest first",
                    "items": {"$ref": "#/components/schemas/CaseStep"},
                },
            },
        },
    ]
}
CASE_PAGE = {**items("CaseSummary"), "required": ["items", "page", "page_size", "total"]}
CASE_PAGE["properties"] = {
    **CASE_PAGE["properties"],
    "page": {"type": "integer", "minimum": 1},
    "page_size": {"type": "integer", "minimum": 1},
    "total": {"type": "integer", "minimum": 0, "description": "cases in all, on every page"},
}
CASE_STATUS_CONFLICT = {
    "allOf": [
        {"$ref": "#/components/schemas/Error"},
        {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["current_status"],
                    "properties": {"current_status": {**STATUS, "description": "the case's status now"}},
                }
            },
        },
    ]
}

CASE_NO = {
    "name": "case_no",
    "in": "path",
    "required": True,
    "description": (
        "办件编号: `YW`, the day it was submitted (YYYYMMDD, China time) and six digits; lower case is "
        "read as upper case. No pattern is checked: a number that is no case the session may see is "
        "404 `CASE_NOT_FOUND`."
    ),
    "schema": {"type": "string"},
    "example": "YW20261128000001",
}
ATTACHMENT_ID = {
    "name": "attachment_id",
    "in": "path",
    "required": True,
    "description": "the `attachment_id` of one of the case's materials, of any round",
    "schema": {"type": "string"},
}
# CaseQuerySchema's fields; an empty value counts as absent.
CASE_QUERY = [
    query_parameter("status", STATUS),
    query_parameter("item_code", {"type": "string", "minLength": 1, "maxLength": 80}),
    query_parameter("page", {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1}),
    query_parameter("page_size", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
]
