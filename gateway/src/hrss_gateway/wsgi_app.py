"""The gateway's WSGI application: routes a request to its endpoint and makes every answer JSON.

- every error, including unknown routes and methods, is ``{"error": {code, message, fields}}``;
  a 405 says in ``Allow`` which methods its route serves;
- a body over ``MAX_BODY_BYTES`` is refused with 413 before anything reads it (but for an
  endpoint that streams its body, an upload, which keeps a limit of its own);
- every 503 carries ``Retry-After: RETRY_AFTER_SECONDS``, every 429 its own wait.
"""

from __future__ import annotations

import json
import unicodedata
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import MethodNotAllowed as WerkzeugMethodNotAllowed
from werkzeug.exceptions import NotFound
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Request, Response

from hrss_contracts.errors import CatalogueError
from hrss_gateway.errors import BodyTooLarge, MethodNotAllowed, RouteNotFound, as_catalogue_error

if TYPE_CHECKING:
    from hrss_gateway.http import JsonWebServer

DEFAULT_MAX_BODY_BYTES = 64 * 1024
DEFAULT_RETRY_AFTER_SECONDS = 5
JSON = "application/json; charset=utf-8"


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False),
        status=status,
        headers=headers,
        content_type=JSON,
    )


def error_response(exc: Exception, unavailable_retry_after: int = DEFAULT_RETRY_AFTER_SECONDS) -> Response:
    """The JSON error body; ``Retry-After`` on a 429 (its own wait) and on every 503."""
    error = as_catalogue_error(exc)
    retry_after = getattr(error, "retry_after", None) or error.params.get("retry_after")
    if retry_after is None and error.code == "SERVICE_UNAVAILABLE":
        retry_after = unavailable_retry_after
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return json_response(error.to_body(), error.status, headers)


def refuse_control_characters(values: dict[str, Any]) -> None:
    """Path values and query arguments are never meant to hold a control character; one that
    does (a NUL, say) is the caller's error, before any service or database sees it."""
    bad = [name for name, value in values.items() if any(unicodedata.category(c) == "Cc" for c in f"{name}{value}")]
    if bad:
        raise CatalogueError("VALIDATION_FAILED", fields={name: ["不能包含控制字符"] for name in bad})


class JsonWsgiApp:
    def __init__(self, server: JsonWebServer) -> None:
        self.url_map = server.make_url_map()
        self.max_body = int(server.container.config.get("MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))
        self.retry_after = server.retry_after

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ, shallow=True)
        request.max_content_length = self.max_body
        adapter = self.url_map.bind_to_environ(environ)
        try:
            provider, values = adapter.match()
            # An endpoint that streams its body (an upload) keeps a limit of its own.
            if not provider.streams_body and (request.content_length or 0) > self.max_body:
                raise BodyTooLarge()
            refuse_control_characters({**request.args, **values})
            request.path_values = values
            response = provider.handle_request(request)
        except (NotFound, RequestRedirect):  # e.g. "//" in a path: not one of our routes
            response = error_response(RouteNotFound())
        except WerkzeugMethodNotAllowed as refused:
            response = error_response(MethodNotAllowed())
            # RFC 9110 §15.5.6: a 405 names the methods the route does serve.
            response.headers["Allow"] = ", ".join(sorted(refused.valid_methods or ()))
        except Exception as exc:
            response = error_response(exc, self.retry_after)
        return response(environ, start_response)
