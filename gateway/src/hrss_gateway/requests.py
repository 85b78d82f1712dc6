"""Reading request bodies: JSON objects only, validated by a contract schema."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

from marshmallow import Schema
from werkzeug.wrappers import Request

from hrss_gateway.errors import BodyNotReceived, BodyTooLarge, MalformedJson

DEFAULT_LIMIT = 64 * 1024
MAX_FLOAT = sys.float_info.max


def json_body(request: Request) -> dict[str, Any]:
    """The body as a JSON object, read straight from the WSGI input.

    werkzeug hands over an empty body for a chunked request under eventlet's server, and cuts
    an over-long one short; reading the server's own (de-chunking, length-bounded) input with a
    limit of our own gives the whole body, or 413; a body that trickles in past the request's
    deadline is 408.
    """
    limit = request.max_content_length or DEFAULT_LIMIT
    try:
        raw = request.environ["wsgi.input"].read(limit + 1)
    except OSError as exc:  # past the request's deadline (connections.py), or the client left
        raise BodyNotReceived() from exc
    except ValueError as exc:  # broken chunked encoding
        raise MalformedJson() from exc
    if len(raw) > limit:
        raise BodyTooLarge()
    try:
        # NaN and Infinity are not JSON (RFC 8259), and no answer could carry them back out.
        body = json.loads(raw, parse_constant=_not_json, parse_float=_finite, parse_int=_finite_int)
        # JSON's \ud800 escapes can spell a lone surrogate, which is no text at all: nothing
        # downstream (argon2, the database, a log) could encode it. Only an escape can (raw
        # bytes are decoded as strict UTF-8), so only a body with one is checked.
        if b"\\u" in raw:
            json.dumps(body, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, ValueError, RecursionError) as exc:  # RecursionError: nesting too deep
        raise MalformedJson() from exc
    if not isinstance(body, dict):
        raise MalformedJson()
    return body


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def _finite_int(text: str) -> int:
    """An integer no float can hold (1 and 400 zeros) is refused as 1e999 is: whatever reads it
    as a number next would overflow."""
    number = int(text)
    if abs(number) > MAX_FLOAT:
        raise ValueError(f"{text[:20]}… is out of range")
    return number


def _finite(text: str) -> float:
    """A number too large for a float (1e999) would be read as infinity: refused as NaN is."""
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text[:20]} is out of range")
    return number


def load(request: Request, schema: Schema) -> dict[str, Any]:
    """The body loaded by ``schema``; ``ValidationError`` (400, each bad field) otherwise."""
    data: dict[str, Any] = schema.load(json_body(request))
    return data
