"""The OpenAPI document's QR login part: QR sessions, their selection and the e-SSC's
assertions (issue 6)."""

from __future__ import annotations

from apispec import APISpec

from hrss_contracts.qr_login import (
    MAX_WAIT_SECONDS,
    AssertionSchema,
    QrSessionRequestSchema,
    SelectionSchema,
)
from hrss_gateway.openapi_login import SESSION_MODE
from hrss_gateway.openapi_parts import error_response, json_content, link, query_parameter, required_body
from hrss_gateway.openapi_qr_schemas import (
    ASSERTION_RESULT_SCHEMA,
    QR_SESSION_SCHEMA,
    QR_STATUS_SCHEMA,
    QR_TOKEN_SCHEMA,
)

QR_SESSION_LIMITS = {
    "TOO_MANY_REQUESTS": (
        "too many POSTs from one client address (default 300 a minute), "
        "or too many QR sessions opened from it (default 60 a minute)"
    ),
}
ASSERTION_LIMITS = {
    "TOO_MANY_REQUESTS": (
        "too many assertions for one QR session (10 in 5 minutes) or for one person (30 a minute), never per address"
    ),
}

QR_ID = {
    "name": "qr_id",
    "in": "path",
    "required": True,
    "description": "`qr_id` of the QR session",
    "schema": {"type": "string"},
}
QR_BINDING = {
    "name": "X-QR-Binding",
    "in": "header",
    "required": True,
    "description": "The session's `binding`, as its opening answered it; without the right one the session is 404.",
    "schema": {"type": "string"},
}
QR_SESSION_OF_ANSWER = {"qr_id": "$response.body#/qr_id", "header.X-QR-Binding": "$response.body#/binding"}
QR_SESSION_LINKS = {
    "QrStatus": link(
        "/api/v1/auth/qr-sessions/{qr_id}", "get", "the session's status, with its binding", QR_SESSION_OF_ANSWER
    ),
    "Selection": link(
        "/api/v1/auth/qr-sessions/{qr_id}/selection",
        "post",
        "选择单位 in the session, with its binding",
        QR_SESSION_OF_ANSWER,
    ),
}
ASSERTION_DESCRIPTION = """The e-SSC platform reports what its app's holder did with a QR code.

`assertion` is a compact JWS signed by the e-SSC platform's key with Ed25519 (`alg` `EdDSA`,
nothing else accepted). Its claims, all required:

- `qr`: the `qr_id` of the QR session (as in its `qr_content`);
- `sub`: the holder's citizen ID number;
- `name`: the holder's name;
- `act`: `scan` (the code was scanned), `confirm` (the holder confirmed the login) or
  `cancel` (the holder cancelled it);
- `iat`, `exp`: issued and expiry times (seconds since the epoch), at most 300 s apart,
  checked with 30 s of clock skew;
- `jti`: a unique id; each assertion is accepted once (again: 409 `ASSERTION_REPLAYED`).

The answer is the session's `status` after the report."""


def add_qr_login(spec: APISpec) -> None:
    """The QR login schemas and paths."""
    spec.components.schema("QrSessionRequest", schema=QrSessionRequestSchema)
    spec.components.schema("QrSession", QR_SESSION_SCHEMA)
    spec.components.schema("QrStatus", QR_STATUS_SCHEMA)
    spec.components.schema("Selection", schema=SelectionSchema)
    spec.components.schema("QrToken", QR_TOKEN_SCHEMA)
    spec.components.schema("Assertion", schema=AssertionSchema)
    spec.components.schema("AssertionResult", ASSERTION_RESULT_SCHEMA)
    spec.path(
        "/api/v1/auth/qr-sessions",
        operations={
            "post": {
                "summary": "扫码登录: open a QR login session for a role (manual 2.1.2)",
                "description": (
                    "Show `qr_content` as the QR code under `title`; keep `binding` secret and send it "
                    "as `X-QR-Binding`. A role switch under the code opens a new session."
                ),
                "requestBody": required_body("QrSessionRequest"),
                "responses": {
                    "201": {"description": "opened", "content": json_content("QrSession"), "links": QR_SESSION_LINKS},
                    "400": error_response("VALIDATION_FAILED", "MALFORMED_REQUEST"),
                    "408": error_response("REQUEST_TIMEOUT"),
                    "413": error_response("PAYLOAD_TOO_LARGE"),
                    "429": error_response("TOO_MANY_REQUESTS", retry_after=True, limits=QR_SESSION_LIMITS),
                    "503": error_response("SERVICE_UNAVAILABLE", retry_after=True),
                },
            }
        },
    )
    spec.path(
        "/api/v1/auth/qr-sessions/{qr_id}",
        operations={
            "get": {
                "summary": "The QR session as its browser sees it; with `wait`, held until its status changes",
                "description": (
                    "With `wait=N` the answer comes when the status differs from `status` (or, without it, "
                    "from the status at the request), when the session ends or expires, or after N seconds "
                    "with the status unchanged. Without `wait`, polling faster than the session's `interval` "
                    "is 429 `SLOW_DOWN`. The token is given once."
                ),
                "parameters": [
                    QR_BINDING,
                    SESSION_MODE,
                    query_parameter(
                        "wait",
                        {"type": "integer", "minimum": 0, "maximum": MAX_WAIT_SECONDS},
                        "seconds to hold the request at most (0 or absent: answer at once)",
                    ),
                ],
                "responses": {
                    "200": {"description": "the session's status", "content": json_content("QrStatus")},
                    "400": error_response("VALIDATION_FAILED"),
                    "404": error_response("QR_SESSION_NOT_FOUND"),
                    "429": error_response("SLOW_DOWN", retry_after=True),
                    "503": error_response("SERVICE_UNAVAILABLE", retry_after=True),
                },
            }
        },
        parameters=[QR_ID],
    )
    spec.path(
        "/api/v1/auth/qr-sessions/{qr_id}/selection",
        operations={
            "post": {
                "summary": "选择单位: pick one of the session's `enterprises` and get its token",
                "parameters": [QR_BINDING, SESSION_MODE],
                "requestBody": required_body("Selection"),
                "responses": {
                    "200": {"description": "logged in to the chosen enterprise", "content": json_content("QrToken")},
                    "400": error_response("VALIDATION_FAILED", "MALFORMED_REQUEST"),
                    "404": error_response("QR_SESSION_NOT_FOUND", "ENTERPRISE_NOT_FOUND"),
                    "408": error_response("REQUEST_TIMEOUT"),
                    "409": error_response("QR_SESSION_CLOSED"),
                    "413": error_response("PAYLOAD_TOO_LARGE"),
                    "429": error_response("TOO_MANY_REQUESTS", retry_after=True),
                    "503": error_response("SERVICE_UNAVAILABLE", retry_after=True),
                },
            }
        },
        parameters=[QR_ID],
    )
    spec.path(
        "/api/v1/essc/assertions",
        operations={
            "post": {
                "summary": "The e-SSC platform reports a scan, confirm or cancel of a QR code",
                "description": ASSERTION_DESCRIPTION,
                "requestBody": required_body("Assertion"),
                "responses": {
                    "200": {"description": "reported", "content": json_content("AssertionResult")},
                    "400": error_response("VALIDATION_FAILED", "MALFORMED_REQUEST"),
                    "401": error_response("INVALID_ASSERTION"),
                    "408": error_response("REQUEST_TIMEOUT"),
                    "409": error_response("ASSERTION_REPLAYED", "QR_SESSION_CLOSED", "QR_ALREADY_SCANNED"),
                    "413": error_response("PAYLOAD_TOO_LARGE"),
                    "429": error_response("TOO_MANY_REQUESTS", retry_after=True, limits=ASSERTION_LIMITS),
                    "503": error_response("SERVICE_UNAVAILABLE", retry_after=True),
                },
            }
        },
    )
