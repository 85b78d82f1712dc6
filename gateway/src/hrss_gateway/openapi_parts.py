"""What every part of the OpenAPI document shares: the error body, ``Retry-After``, the texts
of the rate limits, and the helpers that write responses and request bodies."""

from __future__ import annotations

from typing import Any

from marshmallow import fields

from hrss_contracts.errors import CATALOGUE

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

# What each 429 means, beside its catalogue text (the limits are configuration); an operation
# whose limit differs says its own (``error_response(..., limits=…)``).
LIMITS = {
    "TOO_MANY_REQUESTS": "too many POSTs from one client address (default 300 a minute)",
    "REGISTRATION_ATTEMPTS_EXCEEDED": "too many attempts for one code answered 422 (default 5 an hour)",
    "LOGIN_ATTEMPTS_EXCEEDED": (
        "too many password logins from one client address (default 60 a minute) "
        "or for one account (default 20 a minute)"
    ),
    "SLOW_DOWN": "polled without `wait` sooner than the session's `interval` (2 s) after the last poll",
    "UPLOAD_LIMIT_EXCEEDED": "too many uploads kept for one account (default 200 a day)",
}


def error_response(
    *codes: str, retry_after: bool = False, limits: dict[str, str] | None = None, schema: str = "Error"
) -> dict[str, Any]:
    """``schema``: the error body's, when its codes add facts to it (``CaseStatusConflict``)."""
    texts = {**LIMITS, **(limits or {})}
    listed = "; ".join(f"`{c}`: {CATALOGUE[c].message}" + (f" ({texts[c]})" if c in texts else "") for c in codes)
    response: dict[str, Any] = {
        "description": listed,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }
    if retry_after:
        response["headers"] = {"Retry-After": RETRY_AFTER}
    return response


def link(path: str, method: str, description: str, parameters: dict[str, str]) -> dict[str, Any]:
    """An OpenAPI link from an answer to the operation ``method`` ``path``: ``parameters`` maps
    each of its parameters (``header.<name>`` for a header) to where in the answer it is found
    (``$response.body#/<key>``)."""
    pointer = path.replace("~", "~0").replace("/", "~1").replace("{", "%7B").replace("}", "%7D")
    return {"operationRef": f"#/paths/{pointer}/{method}", "description": description, "parameters": parameters}


def query_parameter(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    """An optional query parameter. The gateway reads an empty one (``?page=``) as one not
    given, which ``allowEmptyValue`` says."""
    parameter = {"name": name, "in": "query", "required": False, "allowEmptyValue": True, "schema": schema}
    return {**parameter, "description": description} if description else parameter


def json_content(schema: str | dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def required_body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": json_content(schema)}


def object_sizes(self: Any, field: fields.Field[Any], ret: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """An attribute function for apispec's converter: it writes a dict's ``Length`` (the
    number of its entries) as ``minLength``/``maxLength``, a string's keywords that a JSON
    object ignores; an object's are ``minProperties``/``maxProperties``."""
    if not isinstance(field, fields.Dict):
        return {}
    return {f"{bound}Properties": ret.pop(f"{bound}Length") for bound in ("min", "max") if f"{bound}Length" in ret}


def ecma_patterns(self: Any, field: fields.Field[Any], ret: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """An attribute function for apispec's converter: the contracts end patterns with Python's
    ``\\Z`` (its ``$`` also matches before a final line break); an OpenAPI pattern is
    ECMA-262's, where ``\\Z`` means nothing and ``$`` is the end of the text."""
    pattern = ret.get("pattern")
    if isinstance(pattern, str) and pattern.endswith("\\Z"):
        ret["pattern"] = pattern[:-2] + "$"
    return {}
