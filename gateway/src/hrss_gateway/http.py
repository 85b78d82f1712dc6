"""nameko's HTTP entrypoint, made to speak JSON everywhere.

- every error, including unknown routes and methods, is ``{"error": {code, message, fields}}``;
- a body over ``MAX_BODY_BYTES`` is refused with 413 before anything reads it;
- connections are kept alive (nameko's server closes each after one request).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from eventlet import wsgi
from eventlet.wsgi import HttpProtocol
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import WebServer
from werkzeug.exceptions import MethodNotAllowed as WerkzeugMethodNotAllowed
from werkzeug.exceptions import NotFound
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Request, Response

from hrss_gateway.errors import CLIENT_ERRORS, BodyTooLarge, MethodNotAllowed, RouteNotFound, as_catalogue_error

DEFAULT_MAX_BODY_BYTES = 64 * 1024


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False),
        status=status,
        headers=headers,
        content_type="application/json; charset=utf-8",
    )


def error_response(exc: Exception) -> Response:
    error = as_catalogue_error(exc)
    return json_response(error.to_body(), error.status)


class JsonWsgiApp:
    def __init__(self, server: JsonWebServer) -> None:
        self.url_map = server.make_url_map()
        self.max_body = int(server.container.config.get("MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ, shallow=True)
        request.max_content_length = self.max_body
        adapter = self.url_map.bind_to_environ(environ)
        try:
            if (request.content_length or 0) > self.max_body:
                raise BodyTooLarge()
            provider, values = adapter.match()
            request.path_values = values
            response = provider.handle_request(request)
        except (NotFound, RequestRedirect):  # e.g. "//" in a path: not one of our routes
            response = error_response(RouteNotFound())
        except WerkzeugMethodNotAllowed:
            response = error_response(MethodNotAllowed())
        except Exception as exc:
            response = error_response(exc)
        return response(environ, start_response)


class JsonWebServer(WebServer):  # type: ignore[misc]
    def get_wsgi_app(self) -> JsonWsgiApp:
        return JsonWsgiApp(self)

    def get_wsgi_server(self, sock: Any, wsgi_app: Any, protocol: Any = HttpProtocol, debug: bool = False) -> Any:
        # eventlet's own protocol keeps connections alive; its access log is off unless asked
        # for (ACCESS_LOG), since a line per request costs more CPU than the request.
        return wsgi.Server(
            sock,
            sock.getsockname(),
            wsgi_app,
            protocol=protocol,
            debug=debug,
            log=logging.getLogger(__name__),
            log_output=bool(self.container.config.get("ACCESS_LOG", False)),
        )


class JsonHttpEndpoint(HttpRequestHandler):  # type: ignore[misc]
    """``@api("POST", "/api/v1/…")``: the method returns ``(status, body)`` or ``body``."""

    server = JsonWebServer()

    def response_from_result(self, result: Any) -> Response:
        if isinstance(result, Response):
            return result
        status, body = result if isinstance(result, tuple) else (200, result)
        return json_response(body, status)

    def response_from_exception(self, exc: Exception) -> Response:
        return error_response(exc)


def api(method: str, url: str, **kwargs: Any) -> Any:
    """``@api("POST", "/api/v1/…")``; refusals the caller is told of are expected outcomes
    (logged as such), anything else is logged as an error."""
    kwargs.setdefault("expected_exceptions", CLIENT_ERRORS)
    return JsonHttpEndpoint.decorator(method, url, **kwargs)
