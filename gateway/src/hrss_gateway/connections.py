"""Slow and idle clients: the HTTP protocol under the gateway's WSGI server.

eventlet's server, left as it is, has only per-read timeouts: ``keepalive=N`` bounds each
read of a request line, ``socket_timeout`` each read of headers and body. Neither bounds a
whole request, so a client sending a byte a second (slowloris) holds its connection forever.
Here each connection:

- waits for the first byte of its next request at most ``idle_timeout`` seconds (an idle
  keep-alive connection is then closed);
- from that first byte, has ``request_timeout`` seconds to deliver request line, headers and
  body, however the bytes trickle in. Past it, a read raises ``socket.timeout``: during the
  headers eventlet closes the connection; during the body the endpoint answers 408
  (``requests.json_body``) and the connection closes. An endpoint that takes a large body
  (an upload) extends its own request's deadline (``EXTEND_DEADLINE``).
"""

from __future__ import annotations

import io
import time
from typing import Any

from eventlet import wsgi
from eventlet.wsgi import HttpProtocol

# environ key: ``environ[EXTEND_DEADLINE](seconds)`` gives the request's body that much longer.
EXTEND_DEADLINE = "hrss.extend_deadline"


class _DeadlineReader(io.RawIOBase):
    """A connection's raw input whose every read ends by ``deadline`` (monotonic), if set.

    The deadline is on the socket, not on a green thread, so it holds in whichever thread
    reads: the connection's for headers, a nameko worker's for the body.
    """

    def __init__(self, raw: io.RawIOBase, sock: Any) -> None:
        super().__init__()
        self._raw, self._sock = raw, sock
        self.deadline: float | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        if self.deadline is None:
            return self._raw.readinto(buffer)
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("request not received in time")
        saved = self._sock.gettimeout()
        self._sock.settimeout(left if saved is None else min(left, saved))
        try:
            return self._raw.readinto(buffer)
        finally:
            self._sock.settimeout(saved)  # writes keep the server's own timeout

    def close(self) -> None:
        self._raw.close()
        super().close()


class SlowClientProtocol(HttpProtocol):  # type: ignore[misc]
    """eventlet's protocol (keeps connections alive) with the idle and request deadlines of
    ``GatewayWsgiServer``."""

    server: GatewayWsgiServer

    def setup(self) -> None:
        super().setup()
        self._reader = _DeadlineReader(self.rfile.detach(), self.connection)
        self.rfile = io.BufferedReader(self._reader)

    def _read_request_line(self) -> str:
        self._reader.deadline = None
        if not self.rfile.closed:
            self.connection.settimeout(self.server.idle_timeout)
            try:
                if not self.rfile.peek(1):
                    return ""  # the client closed the connection
            except OSError:  # idle too long, or reset: close quietly
                return ""
        self._reader.deadline = time.monotonic() + self.server.request_timeout
        line: str = super()._read_request_line()
        return line

    def get_environ(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        environ: dict[str, Any] = super().get_environ(*args, **kwargs)
        environ[EXTEND_DEADLINE] = self._extend_deadline
        return environ

    def _extend_deadline(self, seconds: float) -> None:
        """From now, the rest of this request may take ``seconds`` (an upload's body)."""
        self._reader.deadline = time.monotonic() + seconds


class GatewayWsgiServer(wsgi.Server):  # type: ignore[misc]
    """``wsgi.Server`` with ``idle_timeout`` (between requests) and ``request_timeout``
    (first byte to last byte of a request) in seconds; each read or write on its own is also
    bounded by ``request_timeout``."""

    def __init__(self, *args: Any, idle_timeout: float, request_timeout: float, **kwargs: Any) -> None:
        kwargs.setdefault("protocol", SlowClientProtocol)
        super().__init__(*args, keepalive=idle_timeout, socket_timeout=request_timeout, **kwargs)
        self.idle_timeout, self.request_timeout = idle_timeout, request_timeout
