"""The OpenAPI 3 document, generated from the same marshmallow schemas that validate requests."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from hrss_contracts.errors import CATALOGUE
from hrss_contracts.registration import RegistrationRequestSchema, RegistrationResultSchema

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "enum": sorted(CATALOGUE)},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            },
        }
    },
}


RETRY_AFTER = {
    "description": "Seconds to wait before trying again.",
    "schema": {"type": "integer", "minimum": 1},
}

# What each 429 means, beside its catalogue text (the limits are configuration).
LIMITS = {
    "TOO_MANY_REQUESTS": "too many POSTs from one client address (default 300 a minute)",
    "REGISTRATION_ATTEMPTS_EXCEEDED": "too many attempts for one code answered 422 (default 5 an hour)",
}


def _error(*codes: str, retry_after: bool = False) -> dict[str, Any]:
    listed = "; ".join(f"`{c}`: {CATALOGUE[c].message}" + (f" ({LIMITS[c]})" if c in LIMITS else "") for c in codes)
    response: dict[str, Any] = {
        "description": listed,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if retry_after:
        response["headers"] = {"Retry-After": RETRY_AFTER}
    return response


def build_spec() -> dict[str, Any]:
    spec = APISpec(
        title="hrss-platform public API",
        version="1.0.0",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Enterprise side of the provincial HRSS public service platform."},
    )
    spec.components.schema("RegistrationRequest", schema=RegistrationRequestSchema)
    spec.components.schema("RegistrationResult", schema=RegistrationResultSchema)
    spec.components.schema("Error", ERROR_SCHEMA)
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
                    "400": _error("VALIDATION_FAILED", "MALFORMED_REQUEST"),
                    "408": _error("REQUEST_TIMEOUT"),
                    "409": _error("LEGAL_ACCOUNT_EXISTS", "REGISTRATION_IN_PROGRESS"),
                    "413": _error("PAYLOAD_TOO_LARGE"),
                    "422": _error("ENTERPRISE_NOT_VERIFIED", "REGISTRATION_MISMATCH"),
                    "429": _error("TOO_MANY_REQUESTS", "REGISTRATION_ATTEMPTS_EXCEEDED", retry_after=True),
                    "503": _error("SERVICE_UNAVAILABLE", retry_after=True),
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
    return spec.to_dict()
