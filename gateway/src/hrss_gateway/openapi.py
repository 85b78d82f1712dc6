"""The OpenAPI 3 document, generated from the same marshmallow schemas that validate requests."""

from __future__ import annotations

import copy
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from hrss_contracts.qr_login import DevAssertionRequestSchema
from hrss_contracts.registration import RegistrationRequestSchema, RegistrationResultSchema
from hrss_gateway.openapi_business import add_business
from hrss_gateway.openapi_cases import add_cases
from hrss_gateway.openapi_clerks import add_clerks
from hrss_gateway.openapi_login import add_login
from hrss_gateway.openapi_parts import (
    ERROR_SCHEMA,
    ecma_patterns,
    error_response,
    json_content,
    object_sizes,
    required_body,
)
from hrss_gateway.openapi_qr import add_qr_login
from hrss_gateway.openapi_window import add_window

# The simulator's POSTs count against the client address, and its assertions against the
# limits of ``POST /api/v1/essc/assertions``.
DEV_ASSERTION_LIMITS = {
    "TOO_MANY_REQUESTS": (
        "too many POSTs from one client address (default 300 a minute), or too many assertions "
        "for one QR session (10 in 5 minutes) or for one person (30 a minute)"
    ),
}


def build_spec() -> dict[str, Any]:
    marshmallow = MarshmallowPlugin()
    spec = APISpec(
        title="hrss-platform public API",
        version="1.0.0",
        openapi_version="3.0.3",
        plugins=[marshmallow],
        info={"description": "Enterprise side of the provincial HRSS public service platform."},
    )
    assert marshmallow.converter is not None  # made as the spec took the plugin
    marshmallow.converter.add_attribute_function(object_sizes)
    marshmallow.converter.add_attribute_function(ecma_patterns)
    spec.components.schema("RegistrationRequest", schema=RegistrationRequestSchema)
    spec.components.schema("RegistrationResult", schema=RegistrationResultSchema)
    spec.components.schema("Error", ERROR_SCHEMA)
    add_login(spec)
    add_qr_login(spec)
    add_clerks(spec)
    add_window(spec)
    add_business(spec)
    add_cases(spec)
    spec.path(
        "/api/v1/registrations",
        operations={
            "post": {
                "summary": "法人注册: register an enterprise and its legal representative's account (manual 5.1)",
                "requestBody": {"required": True, "content": {"application/json": {"schema": "RegistrationRequest"}}},
                "responses": {
                    "201": {
                        "description": "registered",
                        "content": {"application/json": {"schema": "RegistrationResult"}},
                    },
                    "400": error_response("VALIDATION_FAILED", "MALFORMED_REQUEST"),
                    "408": error_response("REQUEST_TIMEOUT"),
                    "409": error_response("LEGAL_ACCOUNT_EXISTS", "REGISTRATION_IN_PROGRESS"),
                    "413": error_response("PAYLOAD_TOO_LARGE"),
                    "422": error_response("ENTERPRISE_NOT_VERIFIED", "REGISTRATION_MISMATCH"),
                    "429": error_response("TOO_MANY_REQUESTS", "REGISTRATION_ATTEMPTS_EXCEEDED", retry_after=True),
                    "503": error_response("SERVICE_UNAVAILABLE", retry_after=True),
                },
            }
        },
    )
    spec.path(
        "/healthz",
        operations={
            "get": {
                "summary": "Each service pinged over RPC",
                "responses": {
                    "200": {"description": "all services answer"},
                    "503": {"description": "a service does not answer within 2 s"},
                },
            }
        },
    )
    spec.path(
        "/api/v1/asyncapi.json",
        operations={
            "get": {
                "summary": "The event contract (AsyncAPI 2.6)",
                "responses": {"200": {"description": "AsyncAPI document"}},
            }
        },
    )
    spec.path(
        "/api/v1/openapi.json",
        operations={
            "get": {
                "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3 document"}},
            }
        },
    )
    add_pages(spec)
    spec.components.schema("DevAssertionRequest", schema=DevAssertionRequestSchema)
    spec.path(
        "/api/v1/dev/essc/assertions",
        operations={
            "post": {
                "summary": "Development mode only (404 otherwise): the e-SSC app played by the simulator page",
                "description": (
                    "The gateway signs the act with the development e-SSC key and hands it to identity as "
                    "`POST /api/v1/essc/assertions` does; the answer and errors are that operation's."
                ),
                "requestBody": required_body("DevAssertionRequest"),
                "responses": {
                    "200": {
                        "description": "the QR session's status after the act",
                        "content": json_content("AssertionResult"),
                    },
                    "400": error_response("VALIDATION_FAILED", "MALFORMED_REQUEST"),
                    "401": error_response("INVALID_ASSERTION"),
                    "404": error_response("NOT_FOUND", "QR_SESSION_NOT_FOUND"),
                    "409": error_response("ASSERTION_REPLAYED", "QR_SESSION_CLOSED", "QR_ALREADY_SCANNED"),
                    "429": error_response("TOO_MANY_REQUESTS", retry_after=True, limits=DEV_ASSERTION_LIMITS),
                    "503": error_response("SERVICE_UNAVAILABLE", retry_after=True),
                },
            }
        },
    )
    document = copy.deepcopy(spec.to_dict())  # shares the parts' constants, which the passes must not change
    with_csrf(document)
    with_request_refusals(document)
    return document


def add_pages(spec: APISpec) -> None:
    """The web pages and their assets (``hrss_gateway.web``): HTML and files, not JSON."""
    html = {"text/html": {"schema": {"type": "string"}}}
    csp = {"Content-Security-Policy": {"schema": {"type": "string"}, "description": "the page's strict policy"}}
    spec.path(
        "/",
        operations={
            "get": {
                "summary": "The platform's page (首页 and every view under it)",
                "responses": {
                    "200": {"description": "the page", "content": html, "headers": csp},
                },
            }
        },
    )
    spec.path(
        "/dev/essc",
        operations={
            "get": {
                "summary": "Development mode only: the e-SSC simulator page",
                "responses": {
                    "200": {"description": "the page", "content": html, "headers": csp},
                    "404": error_response("NOT_FOUND"),
                },
            }
        },
    )
    spec.path(
        "/assets/{build}/{path}",
        operations={
            "get": {
                "summary": "A script, style or image of the pages, cached for a year",
                "description": "`build` is the hash of every asset; another build's URL is 404.",
                "parameters": [
                    {"name": "build", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "path", "in": "path", "required": True, "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {"description": "the file", "content": {"*/*": {"schema": {"type": "string"}}}},
                    "404": error_response("NOT_FOUND"),
                },
            }
        },
    )


def with_csrf(document: dict[str, Any]) -> None:
    """Every state-changing operation behind a session may be refused for its CSRF token (a
    page's cookie session without ``X-CSRF-Token``)."""
    csrf = "; " + error_response("CSRF_TOKEN_INVALID")["description"]
    for operations in document["paths"].values():
        for method, operation in operations.items():
            if method in ("post", "put", "patch", "delete") and operation.get("security"):
                operation["responses"]["403"]["description"] += csrf


# What the gateway refuses of any request before the route's own checks (``http.JsonWsgiApp``,
# ``requests.json_body``): a path value or query argument with a control character (400), and
# of a JSON body, one too large (413) or too slow (408). A path value is one segment: a "/" in
# it makes another path, which no route or another route serves.
PATH_VALUE_PATTERN = "^[^/\\x00-\\x1f\\x7f-\\x9f]+$"
QUERY_VALUE_PATTERN = "^[^\\x00-\\x1f\\x7f-\\x9f]*$"
BODY_REFUSALS = {"413": "PAYLOAD_TOO_LARGE", "408": "REQUEST_TIMEOUT"}


def with_request_refusals(document: dict[str, Any]) -> None:
    """Every operation documents the refusals the gateway makes of any request: each string
    path or query parameter says it holds no control character (a path value no "/" either) and
    the operation's 400 names ``VALIDATION_FAILED``; an operation with a JSON body documents its
    413 and 408."""
    for item in document["paths"].values():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method == "parameters":
                continue
            parameters = [p for p in shared + operation.get("parameters", []) if p["in"] in ("path", "query")]
            for parameter in parameters:
                schema = parameter["schema"]
                if schema.get("type") == "string" and not {"enum", "pattern"} & set(schema):
                    schema["pattern"] = PATH_VALUE_PATTERN if parameter["in"] == "path" else QUERY_VALUE_PATTERN
            refusals = {"400": "VALIDATION_FAILED"} if parameters else {}
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                refusals.update(BODY_REFUSALS)
            for status, code in refusals.items():
                add_refusal(operation["responses"], status, code)
            operation["responses"] = dict(sorted(operation["responses"].items()))


def add_refusal(responses: dict[str, Any], status: str, code: str) -> None:
    """``code`` among the codes of the ``status`` answer (which is made if it is not there)."""
    if status not in responses:
        responses[status] = error_response(code)
    elif f"`{code}`" not in responses[status]["description"]:
        responses[status]["description"] += "; " + error_response(code)["description"]
