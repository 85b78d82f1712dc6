"""The OpenAPI document's login part: password login and sessions (/me, logout), from the same
schemas that validate the requests; QR login is ``openapi_qr``."""

from __future__ import annotations

from apispec import APISpec

from hrss_contracts.login import (
    LoginRequestSchema,
    LoginResultSchema,
    MeSchema,
    PasswordChangeResultSchema,
    PasswordChangeSchema,
)
from hrss_contracts.registration import ContactRequestSchema
from hrss_gateway.openapi_parts import error_response, json_content, required_body

# Either a bearer token (API clients) or the web pages' session cookie (browser_sessions).
BEARER = [{"bearerAuth": []}, {"cookieAuth": []}]
SESSION_MODE = {
    "name": "X-HRSS-Session",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "maxLength": 100},
    "description": (
        "Only `cookie` means something (any other value is ignored: the token comes in the body). "
        "`cookie` (the web pages): the session is set as an HttpOnly, SameSite=Strict cookie "
        "`hrss_session`, with a readable `hrss_csrf` cookie to send back as `X-CSRF-Token` on every "
        "POST, PUT, PATCH and DELETE; the body then has `session: cookie` instead of `token`"
    ),
}
LOGOUT_RESULT_SCHEMA = {
    "type": "object",
    "required": ["status"],
    "properties": {"status": {"type": "string", "enum": ["logged_out"]}},
}


def add_login(spec: APISpec) -> None:
    """The password login schemas, the bearer scheme, and the login, logout and /me paths."""
    spec.components.schema("LoginRequest", schema=LoginRequestSchema)
    spec.components.schema("LoginResult", schema=LoginResultSchema)
    spec.components.schema("Me", schema=MeSchema)
    spec.components.schema("LogoutResult", LOGOUT_RESULT_SCHEMA)
    spec.components.security_scheme(
        "bearerAuth",
        {"type": "http", "scheme": "bearer", "description": "`Authorization: Bearer <token>` from a login"},
    )
    spec.components.security_scheme(
        "cookieAuth",
        {
            "type": "apiKey",
            "in": "cookie",
            "name": "hrss_session",
            "description": (
                "The web pages' session (a login sent with `X-HRSS-Session: cookie`); a state-changing "
                "call made with it must carry `X-CSRF-Token` equal to the `hrss_csrf` cookie, or is 403 "
                "`CSRF_TOKEN_INVALID`"
            ),
        },
    )
    spec.path(
        "/api/v1/auth/login",
        operations={
            "post": {
                "summary": "账户方式登录: log in with an account (USCC or staff account) and password (manual 5.2.1)",
                "parameters": [SESSION_MODE],
                "requestBody": required_body("LoginRequest"),
                "responses": {
                    "200": {"description": "logged in", "content": json_content("LoginResult")},
                    "400": error_response(
                        "ACCOUNT_REQUIRED", "PASSWORD_REQUIRED", "VALIDATION_FAILED", "MALFORMED_REQUEST"
                    ),
                    "401": error_response("ACCOUNT_NOT_FOUND", "USE_QR_LOGIN", "BAD_CREDENTIALS"),
                    "408": error_response("REQUEST_TIMEOUT"),
                    "413": error_response("PAYLOAD_TOO_LARGE"),
                    "423": error_response("ACCOUNT_LOCKED", retry_after=True),
                    "429": error_response("TOO_MANY_REQUESTS", "LOGIN_ATTEMPTS_EXCEEDED", retry_after=True),
                    "503": error_response("SERVICE_UNAVAILABLE", retry_after=True),
                },
            }
        },
    )
    spec.path(
        "/api/v1/auth/logout",
        operations={
            "post": {
                "summary": "End this session: its token stops working at once",
                "security": BEARER,
                "responses": {
                    "200": {"description": "logged out", "content": json_content("LogoutResult")},
                    "401": error_response("UNAUTHENTICATED"),
                    "403": error_response("FORBIDDEN"),
                    "503": error_response("SERVICE_UNAVAILABLE", retry_after=True),
                },
            }
        },
    )
    spec.components.schema("PasswordChange", schema=PasswordChangeSchema)
    spec.components.schema("PasswordChangeResult", schema=PasswordChangeResultSchema)
    spec.path(
        "/api/v1/account/password",
        operations={
            "put": {
                "summary": "修改资料 → 密码: set or change the password; the account's other sessions end",
                "security": BEARER,
                "requestBody": required_body("PasswordChange"),
                "responses": {
                    "200": {"description": "changed", "content": json_content("PasswordChangeResult")},
                    "400": error_response("VALIDATION_FAILED", "MALFORMED_REQUEST", "CURRENT_PASSWORD_WRONG"),
                    "401": error_response("UNAUTHENTICATED"),
                    "403": error_response("FORBIDDEN", "FRESH_LOGIN_REQUIRED"),
                    "408": error_response("REQUEST_TIMEOUT"),
                    "413": error_response("PAYLOAD_TOO_LARGE"),
                    "423": error_response("ACCOUNT_LOCKED", retry_after=True),
                    "429": error_response("LOGIN_ATTEMPTS_EXCEEDED", retry_after=True),
                    "503": error_response("SERVICE_UNAVAILABLE", retry_after=True),
                },
            }
        },
    )
    spec.components.schema("Contact", schema=ContactRequestSchema)
    contact_answer = {"200": {"description": "the contact phone now", "content": json_content("Contact")}}

    def legal_only() -> dict[str, object]:  # one each: the document's writer adds to each operation's 403
        return {
            "401": error_response("UNAUTHENTICATED"),
            "403": error_response("FORBIDDEN"),
            "503": error_response("SERVICE_UNAVAILABLE", retry_after=True),
        }

    spec.path(
        "/api/v1/account/contact",
        operations={
            "get": {
                "summary": "修改资料 → 联系电话: the legal representative's contact phone",
                "security": BEARER,
                "responses": {**contact_answer, **legal_only()},
            },
            "put": {
                "summary": "修改资料 → 联系电话: change it (EnterpriseContactChanged; the agency window shows it)",
                "security": BEARER,
                "requestBody": required_body("Contact"),
                "responses": {
                    **contact_answer,
                    "400": error_response("VALIDATION_FAILED", "MALFORMED_REQUEST"),
                    "408": error_response("REQUEST_TIMEOUT"),
                    "413": error_response("PAYLOAD_TOO_LARGE"),
                    **legal_only(),
                },
            },
        },
    )
    spec.path(
        "/api/v1/me",
        operations={
            "get": {
                "summary": "Who this session is",
                "security": BEARER,
                "responses": {
                    "200": {"description": "the session's account and person", "content": json_content("Me")},
                    "401": error_response("UNAUTHENTICATED"),
                    "403": error_response("FORBIDDEN"),
                    "503": error_response("SERVICE_UNAVAILABLE", retry_after=True),
                },
            }
        },
    )
