"""The JSON schemas of the QR login answers in the OpenAPI document: the session opened, its
status as its browser sees it, the token of a selection, an assertion's result."""

from __future__ import annotations

from hrss_contracts.qr_login import QR_ROLES, QR_STATUSES, QR_TITLES

QR_SESSION_SCHEMA = {
    "type": "object",
    "required": ["qr_id", "qr_content", "role", "title", "expires_in", "interval", "binding"],
    "properties": {
        "qr_id": {"type": "string", "description": "the session's id (path of its status and selection)"},
        "qr_content": {"type": "string", "description": "what the QR code shows", "example": "hrss://qr-login?qr=…"},
        "role": {"type": "string", "enum": list(QR_ROLES)},
        "title": {"type": "string", "enum": list(QR_TITLES.values()), "description": "shown above the code"},
        "expires_in": {"type": "integer", "description": "seconds the session lives", "example": 120},
        "interval": {
            "type": "integer",
            "description": "seconds between two polls without `wait` (faster is 429 SLOW_DOWN)",
            "example": 2,
        },
        "binding": {
            "type": "string",
            "description": "the browser's secret: keep it, send it as `X-QR-Binding`, never show it",
        },
    },
}
QR_STATUS_SCHEMA = {
    "type": "object",
    "required": ["status", "expires_in"],
    "properties": {
        "status": {"type": "string", "enum": list(QR_STATUSES)},
        "expires_in": {"type": "integer", "minimum": 0, "description": "seconds the session has left"},
        "enterprises": {
            "type": "array",
            "description": "with `select_enterprise`: the enterprises to choose from (`selection`)",
            "items": {
                "type": "object",
                "required": ["uscc", "name"],
                "properties": {"uscc": {"type": "string"}, "name": {"type": "string"}},
            },
        },
        "token": {
            "type": "string",
            "description": "with `authenticated`: the bearer token, in the first answer after the confirm only",
        },
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "description": "with `rejected`: why (no account in the session's role), with the manual's text",
            "properties": {
                "code": {"type": "string", "enum": ["LEGAL_ACCOUNT_NOT_FOUND", "CLERK_ACCOUNT_NOT_FOUND"]},
                "message": {"type": "string"},
            },
        },
        "session": {
            "type": "string",
            "enum": ["cookie"],
            "description": "with `authenticated`, asked with `X-HRSS-Session: cookie`: the session is in a cookie",
        },
    },
}
QR_TOKEN_SCHEMA = {
    "type": "object",
    "required": ["expires_in"],
    "properties": {
        "token": {
            "type": "string",
            "description": "Bearer token of the session for the chosen enterprise (absent with `session`)",
        },
        "session": {
            "type": "string",
            "enum": ["cookie"],
            "description": "asked with `X-HRSS-Session: cookie`: the session is in a cookie",
        },
        "expires_in": {"type": "integer", "description": "seconds of inactivity before it ends", "example": 1800},
    },
}
ASSERTION_RESULT_SCHEMA = {
    "type": "object",
    "required": ["status"],
    "properties": {"status": {"type": "string", "enum": list(QR_STATUSES), "description": "the session's after it"}},
}
