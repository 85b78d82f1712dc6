"""The OpenAPI document's part for 授权登录 (the legal representative's clerks and grants) and
the agency window's search, from the same schemas that validate the requests."""

from __future__ import annotations

from typing import Any

from apispec import APISpec

from hrss_contracts.authorization import ClerkRequestSchema, ClerkSchema, GrantsRequestSchema, RelationSchema
from hrss_gateway.openapi_login import BEARER
from hrss_gateway.openapi_parts import error_response, json_content, link, query_parameter, required_body


def items(schema: str) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{schema}"}
    return {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": ref}}}


AUDIT_ENTRY = {
    "type": "object",
    "properties": {
        "clerk_id": {"type": "string"},
        "clerk_id_number": {"type": "string", "description": "masked"},
        "clerk_name": {"type": "string"},
        "action": {"type": "string", "enum": ["granted", "revoked"]},
        "relation": {"$ref": "#/components/schemas/Relation"},
        "channel": {"type": "string", "enum": ["legal_rep", "agency_window"]},
        "actor": {
            "type": "object",
            "properties": {
                "account": {"type": "string"},
                "role": {"type": "string"},
                "agency": {"type": "string", "nullable": True},
            },
        },
        "attachments": {"type": "array", "items": {"type": "string"}},
        "at": {"type": "string", "format": "date-time"},
    },
}
AUDIT_PAGE = {
    **items("AuditEntry"),
    "required": ["items", "page", "page_size", "total"],
}
AUDIT_PAGE["properties"] = {
    **AUDIT_PAGE["properties"],
    "page": {"type": "integer"},
    "page_size": {"type": "integer"},
    "total": {"type": "integer"},
}
ENTERPRISE = {
    "type": "object",
    "properties": {
        "uscc": {"type": "string"},
        "name": {"type": "string"},
        "address": {"type": "string", "nullable": True},
        "legal_rep_name": {"type": "string"},
        "legal_rep_phone": {"type": "string", "nullable": True},
        "units": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "unit_no": {"type": "string"},
                    "relations": {"type": "array", "items": {"$ref": "#/components/schemas/Relation"}},
                },
            },
        },
    },
}
# AuditQuerySchema's fields.
AUDIT_PARAMETERS = [
    query_parameter("clerk_id", {"type": "string", "minLength": 1, "maxLength": 80}, "one clerk's history only"),
    query_parameter("page", {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1}),
    query_parameter("page_size", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
]


def protected(
    summary: str, ok: tuple[str, str, Any], *refusals: tuple[str, tuple[str, ...]], **extra: Any
) -> dict[str, Any]:
    """An operation behind a session: ``ok`` is (status, description, schema); each refusal is
    (status, codes); 401, 403 and 503 are there for every one (a refusal's 401 or 403 codes
    join UNAUTHENTICATED's or FORBIDDEN's)."""
    status, description, schema = ok
    responses: dict[str, Any] = {status: {"description": description, "content": json_content(schema)}}
    joined = dict(refusals)
    for code_status, codes in refusals:
        responses[code_status] = error_response(*codes)
    responses["401"] = error_response("UNAUTHENTICATED", *joined.get("401", ()))
    responses["403"] = error_response("FORBIDDEN", *joined.get("403", ()))
    responses["503"] = error_response("SERVICE_UNAVAILABLE", retry_after=True)
    return {"summary": summary, "security": BEARER, "responses": responses, **extra}


CLERK_OF_ANSWER = {"clerk_id": "$response.body#/clerk_id"}
CLERK_LINKS = {
    "ModifyClerk": link("/api/v1/clerks/{clerk_id}", "put", "修改 the clerk", CLERK_OF_ANSWER),
    "GrantRelations": link("/api/v1/clerks/{clerk_id}/grants", "put", "单位授权 to the clerk", CLERK_OF_ANSWER),
    "RemoveClerk": link("/api/v1/clerks/{clerk_id}", "delete", "删除 the clerk", CLERK_OF_ANSWER),
}


def with_links(operation: dict[str, Any], links: dict[str, Any]) -> dict[str, Any]:
    """``operation`` with ``links`` from its success (its one 2xx answer)."""
    status = next(s for s in operation["responses"] if s.startswith("2"))
    operation["responses"][status]["links"] = links
    return operation


def add_clerks(spec: APISpec) -> None:
    spec.components.schema("ClerkRequest", schema=ClerkRequestSchema)
    spec.components.schema("GrantsRequest", schema=GrantsRequestSchema)
    spec.components.schema("Relation", schema=RelationSchema)
    spec.components.schema("Clerk", schema=ClerkSchema)
    spec.components.schema("RelationList", items("Relation"))
    spec.components.schema("ClerkList", items("Clerk"))
    spec.components.schema(
        "RemovedClerk",
        {
            "type": "object",
            "properties": {"clerk_id": {"type": "string"}, "status": {"type": "string", "enum": ["removed"]}},
        },
    )
    spec.components.schema("AuditEntry", AUDIT_ENTRY)
    spec.components.schema("AuditPage", AUDIT_PAGE)
    spec.components.schema("AgencyEnterprise", ENTERPRISE)
    spec.components.schema("AgencyEnterpriseList", items("AgencyEnterprise"))
    bad = ("400", ("VALIDATION_FAILED", "MALFORMED_REQUEST"))
    missing = ("404", ("ENTERPRISE_NOT_FOUND", "CLERK_NOT_FOUND"))
    spec.path(
        "/api/v1/insurance-relations",
        operations={
            "get": protected(
                "参保关系: the enterprise's insurance relations (a clerk: those granted to them)",
                ("200", "relations", "RelationList"),
                ("404", ("ENTERPRISE_NOT_FOUND",)),
            )
        },
    )
    spec.path(
        "/api/v1/clerks",
        operations={
            "get": protected(
                "授权登录: the enterprise's clerks, ID numbers masked",
                ("200", "clerks", "ClerkList"),
                ("404", ("ENTERPRISE_NOT_FOUND",)),
            ),
            "post": with_links(
                protected(
                    "添加: add a clerk (ID number, name, mobile phone)",
                    ("201", "added", "Clerk"),
                    bad,
                    ("404", ("ENTERPRISE_NOT_FOUND",)),
                    ("409", ("CLERK_EXISTS",)),
                    requestBody=required_body("ClerkRequest"),
                ),
                CLERK_LINKS,
            ),
        },
    )
    clerk_id = [{"name": "clerk_id", "in": "path", "required": True, "schema": {"type": "string"}}]
    spec.path(
        "/api/v1/clerks/{clerk_id}",
        parameters=clerk_id,
        operations={
            "put": protected(
                "修改: a clerk's ID number, name and phone; grants stay",
                ("200", "modified", "Clerk"),
                bad,
                missing,
                ("409", ("CLERK_EXISTS",)),
                requestBody=required_body("ClerkRequest"),
            ),
            "delete": protected(
                "删除: grants revoked, the clerk removed, their sessions ended",
                ("200", "removed", "RemovedClerk"),
                missing,
            ),
        },
    )
    spec.path(
        "/api/v1/clerks/{clerk_id}/grants",
        parameters=clerk_id,
        operations={
            "put": protected(
                "单位授权: the relations the clerk holds from now on (granted and revoked in one transaction)",
                ("200", "the clerk with its grants", "Clerk"),
                bad,
                missing,
                ("422", ("RELATION_NOT_FOUND",)),
                requestBody=required_body("GrantsRequest"),
            )
        },
    )
    spec.path(
        "/api/v1/authorization-audit",
        operations={
            "get": protected(
                "The enterprise's grant history, newest first",
                ("200", "a page", "AuditPage"),
                bad,
                ("404", ("ENTERPRISE_NOT_FOUND",)),
                parameters=AUDIT_PARAMETERS,
            )
        },
    )
    search = [
        query_parameter("uscc", {"type": "string", "maxLength": 18}, "统一社会信用代码 (or `unit_no`, not both)"),
        query_parameter("unit_no", {"type": "string", "maxLength": 40}, "单位编号 (or `uscc`, not both)"),
    ]
    spec.path(
        "/api/v1/agency/enterprises",
        operations={
            "get": protected(
                "Agency window: find an enterprise by USCC or unit number (one of them)",
                ("200", "found (empty when none)", "AgencyEnterpriseList"),
                bad,
                ("422", ("PUBLIC_SERVICE_REGISTRATION_MISSING",)),
                parameters=search,
            )
        },
    )
    spec.path(
        "/api/v1/agency/enterprises/{uscc}/authorization-audit",
        parameters=[{"name": "uscc", "in": "path", "required": True, "schema": {"type": "string"}}],
        operations={
            "get": protected(
                "Agency staff: any enterprise's grant history",
                ("200", "a page", "AuditPage"),
                bad,
                ("404", ("ENTERPRISE_NOT_FOUND",)),
                parameters=AUDIT_PARAMETERS,
            )
        },
    )
