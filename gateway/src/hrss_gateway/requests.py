"""Reading request bodies: JSON objects only, validated by a contract schema."""

from __future__ import annotations

import json
from typing import Any

from marshmallow import Schema
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Request

from hrss_gateway.errors import BodyTooLarge, MalformedJson


def json_body(request: Request) -> dict[str, Any]:
    try:
        raw = request.get_data(cache=False)
    except RequestEntityTooLarge as exc:  # a chunked body that outgrew the limit
        raise BodyTooLarge() from exc
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedJson() from exc
    if not isinstance(body, dict):
        raise MalformedJson()
    return body


def load(request: Request, schema: Schema) -> dict[str, Any]:
    """The body loaded by ``schema``; ``ValidationError`` (400, each bad field) otherwise."""
    data: dict[str, Any] = schema.load(json_body(request))
    return data
