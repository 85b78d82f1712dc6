"""The OpenAPI document's part for the business centre's catalogue."""

from __future__ import annotations

from apispec import APISpec

from hrss_gateway.business import MAX_QUERY
from hrss_gateway.openapi_clerks import items
from hrss_gateway.openapi_parts import error_response, json_content, query_parameter

INSURANCE = {"type": "string", "enum": ["110", "120", "210", "410"]}
SUMMARY = {
    "type": "object",
    "required": ["code", "name", "category", "online", "insurance_types"],
    "properties": {
        "code": {"type": "string", "example": "unit-key-info"},
        "name": {"type": "string", "example": "单位关键信息维护"},
        "category": {"type": "string"},
        "online": {"type": "boolean", "description": "false: handled at the agency's window only"},
        "insurance_types": {"type": "array", "items": INSURANCE},
    },
}
GUIDE_FIELDS = ("implementing_agency", "legal_basis", "conditions", "process", "contact", "hours", "time_limit")
DETAIL = {
    "allOf": [
        {"$ref": "#/components/schemas/BusinessItemSummary"},
        {
            "type": "object",
            "properties": {
                "guide": {
                    "type": "object",
                    "description": "办理指南: 实施机构, 设定依据, 受理条件, 办理流程, 咨询方式, 办理时间, 办理时限",
                    "properties": {name: {"type": "string"} for name in GUIDE_FIELDS},
                },
                "materials": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "code": {"type": "string"},
                            "name": {"type": "string"},
                            "required": {"type": "boolean"},
                            "accepted_types": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                },
                "form": {"type": "object", "description": "the form as a JSON Schema (Draft 2020-12), Chinese titles"},
            },
        },
    ]
}


def add_business(spec: APISpec) -> None:
    spec.components.schema("BusinessItemSummary", SUMMARY)
    spec.components.schema("BusinessItemList", items("BusinessItemSummary"))
    spec.components.schema("BusinessItem", DETAIL)
    unavailable = error_response("SERVICE_UNAVAILABLE", retry_after=True)
    spec.path(
        "/api/v1/business-items",
        operations={
            "get": {
                "summary": "办事中心: the business items, narrowed by category and words",
                "parameters": [
                    query_parameter(
                        "category", {"type": "string", "maxLength": MAX_QUERY}, "the items of this category"
                    ),
                    query_parameter(
                        "q",
                        {"type": "string", "maxLength": MAX_QUERY},
                        "words each in the item's name, category or conditions (case folded)",
                    ),
                ],
                "responses": {
                    "200": {"description": "the items", "content": json_content("BusinessItemList")},
                    "400": error_response("VALIDATION_FAILED"),
                    "503": unavailable,
                },
            }
        },
    )
    spec.path(
        "/api/v1/business-items/{code}",
        parameters=[{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
        operations={
            "get": {
                "summary": "办理指南: one item with its guide, materials and form",
                "responses": {
                    "200": {"description": "the item", "content": json_content("BusinessItem")},
                    "400": error_response("VALIDATION_FAILED"),
                    "404": error_response("BUSINESS_ITEM_NOT_FOUND"),
                    "503": unavailable,
                },
            }
        },
    )
