"""The OpenAPI document's part for attachments (every role's) and the agency window's
authorization."""

from __future__ import annotations

from typing import Any

from apispec import APISpec

from hrss_contracts.authorization import AttachmentSchema, MarkedRelationSchema, WindowAuthorizationSchema
from hrss_contracts.id_documents import ID_TYPES, MAX_DOCUMENT_LENGTH, RESIDENT_ID
from hrss_gateway.openapi_clerks import items, protected, with_links
from hrss_gateway.openapi_parts import error_response, link, query_parameter, required_body

SUBMITTED = {
    "type": "object",
    "properties": {
        "submission_id": {"type": "string"},
        "clerks": {"type": "array", "items": {"$ref": "#/components/schemas/Clerk"}},
    },
}
ATTACHMENT_TYPES = ("image/png", "image/jpeg", "application/pdf")


def attachment_bytes(description: str) -> dict[str, Any]:
    """An answer of an attachment's bytes, with the type found in them at its upload."""
    return {
        "description": description,
        "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in ATTACHMENT_TYPES},
    }


UPLOAD_DESCRIPTION = (
    "For agency staff (the window's materials, `POST /api/v1/agency/authorizations`), legal "
    "representatives and clerks (a case's materials, `POST /api/v1/cases` and its resubmission). "
    "Only the uploading account may preview it or name it in a submission; once it is a case's "
    "material, whoever may see the case gets it at `/api/v1/cases/{case_no}/materials/{attachment_id}`."
)
UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "a file part (with a filename), not empty; its bytes decide its type",
                    }
                },
            }
        }
    },
}


def add_window(spec: APISpec) -> None:
    spec.components.schema("Attachment", schema=AttachmentSchema)
    spec.components.schema("WindowAuthorizationRequest", schema=WindowAuthorizationSchema)
    # Its own schema, not Relation's with `granted` added (allOf): Relation allows no other key.
    spec.components.schema("MarkedRelation", schema=MarkedRelationSchema)
    spec.components.schema("MarkedRelationList", items("MarkedRelation"))
    spec.components.schema("WindowAuthorizationResult", SUBMITTED)
    upload: dict[str, Any] = protected(
        "上传材料: a PNG, JPEG or PDF (judged by its bytes), at most 10 MB; usable only by its uploader",
        ("201", "stored", "Attachment"),
        ("400", ("ATTACHMENT_REQUIRED", "MALFORMED_UPLOAD")),
        ("408", ("REQUEST_TIMEOUT",)),
        ("413", ("ATTACHMENT_TOO_LARGE",)),
        ("415", ("ATTACHMENT_TYPE_NOT_ALLOWED",)),
        description=UPLOAD_DESCRIPTION,
        requestBody=UPLOAD_BODY,
    )
    upload["responses"]["429"] = error_response("UPLOAD_LIMIT_EXCEEDED", retry_after=True)
    preview = link(
        "/api/v1/attachments/{attachment_id}", "get", "预览", {"attachment_id": "$response.body#/attachment_id"}
    )
    with_links(upload, {"Preview": preview})
    spec.path("/api/v1/attachments", operations={"post": upload})
    download = protected(
        "预览: the attachment's bytes, for the account that uploaded it (any other is 404)",
        ("200", "the bytes", {}),
        ("404", ("NOT_FOUND",)),
    )
    download["responses"]["200"] = attachment_bytes("the bytes, with the type found in them")
    spec.path(
        "/api/v1/attachments/{attachment_id}",
        parameters=[{"name": "attachment_id", "in": "path", "required": True, "schema": {"type": "string"}}],
        operations={"get": download},
    )
    spec.path(
        "/api/v1/agency/enterprises/{uscc}/relations",
        parameters=[
            {"name": "uscc", "in": "path", "required": True, "schema": {"type": "string"}},
            query_parameter(
                "clerk_id_number",
                {"type": "string", "maxLength": MAX_DOCUMENT_LENGTH},
                "the document number of the clerk whose relations are marked `granted`",
            ),
            query_parameter(
                "clerk_id_type",
                {"type": "string", "enum": list(ID_TYPES), "default": RESIDENT_ID},
                "证件类型 of `clerk_id_number`",
            ),
        ],
        operations={
            "get": protected(
                "授权单位列表: the enterprise's relations, those the clerk holds marked",
                ("200", "relations", "MarkedRelationList"),
                ("400", ("VALIDATION_FAILED",)),
                ("404", ("ENTERPRISE_NOT_FOUND",)),
            )
        },
    )
    submit = protected(
        "公共服务单位用户授权: add clerks and grant relations on the evidence of uploaded materials (manual 3.1.2)",
        ("201", "submitted", "WindowAuthorizationResult"),
        ("400", ("VALIDATION_FAILED", "MALFORMED_REQUEST")),
        ("404", ("ENTERPRISE_NOT_FOUND", "CLERK_NOT_FOUND")),
        ("409", ("CLERK_EXISTS",)),
        ("422", ("PUBLIC_SERVICE_REGISTRATION_MISSING", "ATTACHMENT_NOT_FOUND", "RELATION_NOT_FOUND")),
        requestBody=required_body("WindowAuthorizationRequest"),
    )
    spec.path("/api/v1/agency/authorizations", operations={"post": submit})
