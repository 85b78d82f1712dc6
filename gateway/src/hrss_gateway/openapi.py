"""The OpenAPI 3 document, generated from the same marshmallow schemas that validate requests."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from hrss_contracts.registration import RegistrationRequestSchema, RegistrationResultSchema
from hrss_gateway.openapi_business import add_business
from hrss_gateway.openapi_cases import add_cases
from hrss_gateway.openapi_clerks import add_clerks
from hrss_gateway.openapi_login import add_login
from hrss_gateway.openapi_parts import ERROR_SCHEMA, ecma_patterns, error_response, object_sizes
from hrss_gateway.openapi_qr import add_qr_login
from hrss_gateway.openapi_window import add_window


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
    return spec.to_dict()
