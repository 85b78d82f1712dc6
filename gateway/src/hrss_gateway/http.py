"""nameko's HTTP entrypoint, made to speak JSON everywhere (``wsgi_app``: routing, and every
answer and error as JSON).

- connections are kept alive (nameko's server closes each after one request), idle ones are
  closed after ``HTTP_IDLE_TIMEOUT`` s, slow requests cut off after ``HTTP_REQUEST_TIMEOUT`` s
  (``connections``), and at most ``HTTP_MAX_CONNECTIONS`` are served at once;
- POSTs to endpoints not declared ``authenticated`` count against the client address's
  rate limit (``limits``) before they get a worker.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import logging
import resource
import socket
from functools import partial
from typing import Any

import eventlet
from eventlet.semaphore import Semaphore
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import WebServer
from werkzeug.wrappers import Request, Response

from hrss_contracts.errors import CatalogueError
from hrss_gateway.browser_sessions import session_token
from hrss_gateway.connections import GatewayWsgiServer
from hrss_gateway.errors import CLIENT_ERRORS
from hrss_gateway.limit_providers import RateLimiter
from hrss_gateway.wsgi_app import DEFAULT_RETRY_AFTER_SECONDS, JsonWsgiApp, error_response, json_response

FD_RESERVE = 64  # descriptors kept for everything but client connections

log = logging.getLogger(__name__)


def no_delay(sock: Any) -> None:
    """Send each write at once (``TCP_NODELAY``). With Nagle's algorithm on, the tail of a
    response that ends in a segment shorter than a full one waited for the client's delayed ACK:
    ``asyncapi.json`` (38 KB) took 44 ms a request, 227 per s on 10 connections."""
    with contextlib.suppress(OSError):  # a socket already gone: its request fails where it reads
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class JsonWebServer(WebServer):  # type: ignore[misc]
    def setup(self) -> None:
        config = self.container.config
        self.retry_after = int(config.get("RETRY_AFTER_SECONDS", DEFAULT_RETRY_AFTER_SECONDS))
        self.idle_timeout = float(config.get("HTTP_IDLE_TIMEOUT", 60))
        self.request_timeout = float(config.get("HTTP_REQUEST_TIMEOUT", 30))
        # Never more than the process may open: a descriptor per connection, and a reserve for
        # the broker, Redis and logs. Past the limit, accept() would fail and kill the server.
        soft_limit, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = int(config.get("HTTP_MAX_CONNECTIONS", 10_000))
        room = wanted if soft_limit == resource.RLIM_INFINITY else soft_limit - FD_RESERVE
        self.max_connections = max(1, min(wanted, room))
        if self.max_connections < wanted:
            log.warning(
                "serving at most %d connections at once, not %d: the open-files limit is %d",
                self.max_connections,
                wanted,
                soft_limit,
            )

    def get_wsgi_app(self) -> JsonWsgiApp:
        return JsonWsgiApp(self)

    def start(self) -> None:
        # nameko's, with a listen backlog that absorbs a burst of connections (eventlet's
        # default of 50 drops SYNs while the accept loop catches up).
        if not self._starting:
            self._starting = True
            self._sock = eventlet.listen(self.bind_addr, backlog=min(self.max_connections, 4096))
            self._sock.settimeout(None)
            self._serv = self.get_wsgi_server(self._sock, self.get_wsgi_app())
            self._gt = self.container.spawn_managed_thread(self.run)

    def run(self) -> None:
        """nameko's accept loop, serving at most ``max_connections`` at once: beyond, new
        connections wait in the listen backlog (idle ones are closed after ``idle_timeout``)."""
        slots = Semaphore(self.max_connections)
        while self._is_accepting:
            slots.acquire()
            try:
                sock, address = self._sock.accept()
            except OSError as exc:
                slots.release()
                if exc.errno not in (errno.EMFILE, errno.ENFILE):
                    raise
                # Out of descriptors all the same (another part of the process took them):
                # the connection waits in the backlog; the server lives on.
                log.warning("accept: %s; retrying in 0.1 s", exc)
                eventlet.sleep(0.1)
                continue
            except BaseException:
                slots.release()
                raise
            sock.settimeout(self._serv.socket_timeout)
            no_delay(sock)
            thread = self.container.spawn_managed_thread(partial(self.process_request, sock, address))
            thread.link(lambda _thread: slots.release())

    def get_wsgi_server(self, sock: Any, wsgi_app: Any, debug: bool = False, **_: Any) -> Any:
        # eventlet's access log is off unless asked for (ACCESS_LOG), since a line per request
        # costs more CPU than the request.
        return GatewayWsgiServer(
            sock,
            sock.getsockname(),
            wsgi_app,
            idle_timeout=self.idle_timeout,
            request_timeout=self.request_timeout,
            debug=debug,
            log=logging.getLogger(__name__),
            log_output=bool(self.container.config.get("ACCESS_LOG", False)),
        )


class JsonHttpEndpoint(HttpRequestHandler):  # type: ignore[misc]
    """``@api("POST", "/api/v1/…")``: the method returns ``(status, body)`` or ``body``."""

    server = JsonWebServer()
    limiter = RateLimiter()

    def __init__(
        self,
        method: str,
        url: str,
        authenticated: bool = False,
        per_address: bool = True,
        streams_body: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(method, url, **kwargs)
        self.address_limited = "POST" in method.upper().split(",") and not authenticated and per_address
        self.streams_body = streams_body  # reads and limits its own body (``MAX_BODY_BYTES`` does not apply)

    def handle_request(self, request: Request) -> Response:
        if self.address_limited:
            try:
                self.limiter.limits.check_client(request.environ)
            except CatalogueError as exc:
                return self.response_from_exception(exc)
        return super().handle_request(request)

    def response_from_result(self, result: Any) -> Response:
        if isinstance(result, Response):
            return result
        status, body = result if isinstance(result, tuple) else (200, result)
        return json_response(body, status)

    def response_from_exception(self, exc: Exception) -> Response:
        return error_response(exc, self.server.retry_after)


def api(method: str, url: str, roles: tuple[str, ...] = (), **kwargs: Any) -> Any:
    """``@api("POST", "/api/v1/…")``; refusals the caller is told of are expected outcomes
    (logged as such), anything else is logged as an error.

    ``roles``: the route is protected, and this is the one place that says who may use it.
    The request's bearer token (or a page's session cookie, with its CSRF token on a
    state-changing call: ``browser_sessions``) is checked with identity (one RPC hop, or none
    for a session confirmed a moment ago: ``session_cache``, where a session that ended is
    refused at once all the same): none, or one that ended, is 401 UNAUTHENTICATED;
    a role not named is 403 FORBIDDEN. The method gets the session as ``session=``.
    Protected POSTs do not count against the client address's rate limit; others do, unless
    declared ``per_address=False`` (a caller that speaks for many people from one address).
    """
    kwargs.setdefault("expected_exceptions", CLIENT_ERRORS)
    endpoint = JsonHttpEndpoint.decorator(method, url, authenticated=bool(roles), **kwargs)
    if not roles:
        return endpoint

    def protect(fn: Any) -> Any:
        @functools.wraps(fn)
        def wrapper(self: Any, request: Request, **values: Any) -> Any:
            token = session_token(request)
            session = self.sessions.authenticate(token, lambda token: self.identity.authenticate(token=token))
            if session is None:
                raise CatalogueError("UNAUTHENTICATED")
            if session["role"] not in roles:
                raise CatalogueError("FORBIDDEN")
            return fn(self, request, session=session, **values)

        return endpoint(wrapper)

    return protect
