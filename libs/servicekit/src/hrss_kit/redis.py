"""Redis for the services: ``client(url)``, and ``Redis``, the nameko dependency that holds one
client (and connection pool) per container."""

from __future__ import annotations

from typing import Any

import redis
from eventlet.patcher import original
from nameko.extensions import DependencyProvider
from redis._parsers.hiredis import _HiredisParser
from redis.utils import HIREDIS_AVAILABLE

REDIS_URL_KEY = "REDIS_URL"
_select: Any = original("select")  # the process's own poll(), whatever eventlet patched


class _ReadinessAtOnce(_HiredisParser):  # type: ignore[misc]
    """redis-py asks at every checkout of a pooled connection whether unread data waits on it
    (``can_read(0)``). Under eventlet's monkey patch that check goes through a green selector,
    a trip through the hub: a third of a command's CPU (a GET: 88 µs with it, 59 µs without).
    A readiness check with no timeout cannot block, so the process's own ``poll`` answers it;
    only a socket with something to read (or closed), or a TLS one, goes on to redis-py's own
    check. Waits with a timeout (pub/sub's) stay redis-py's, green.

    redis-py decides at import whether ``select.poll`` exists: a process must apply eventlet's
    monkey patch before it imports ``redis`` (``nameko run`` and the tests' conftest do), or
    redis-py's own waits look for a ``poll`` the patch took away."""

    def can_read(self, timeout: float = 0) -> bool:
        sock, reader = getattr(self, "_sock", None), getattr(self, "_reader", None)
        pending = getattr(sock, "pending", None)  # TLS: bytes already decrypted are not on the socket
        if timeout == 0 and sock is not None and reader is not None and not reader.has_data() and not pending:
            poller = _select.poll()
            poller.register(sock.fileno(), _select.POLLIN)
            if not poller.poll(0):
                return False
        return bool(super().can_read(timeout))


def client(url: str, timeout: float = 5) -> redis.Redis:
    """A client decoding replies to ``str``, whose commands and connects give up after
    ``timeout`` seconds: a stalled Redis must fail a worker, not hold it (and its database
    connection, if it has one) indefinitely."""
    parser = {"parser_class": _ReadinessAtOnce} if HIREDIS_AVAILABLE else {}
    return redis.Redis.from_url(
        url, decode_responses=True, socket_timeout=timeout, socket_connect_timeout=timeout, **parser
    )


class Redis(DependencyProvider):  # type: ignore[misc]
    """``self.redis`` in a worker: ``client(REDIS_URL)``.

    Under eventlet's monkey patch its sockets are green, so a slow reply blocks only its worker.
    """

    def setup(self) -> None:
        self.client = client(self.container.config[REDIS_URL_KEY])

    def stop(self) -> None:
        self.client.close()

    def get_dependency(self, worker_ctx: Any) -> redis.Redis:
        return self.client
