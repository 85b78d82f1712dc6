"""Redis as a nameko dependency: one client (and connection pool) per container."""

from __future__ import annotations

from typing import Any

import redis
from nameko.extensions import DependencyProvider

REDIS_URL_KEY = "REDIS_URL"


class Redis(DependencyProvider):  # type: ignore[misc]
    """``self.redis`` in a worker: a ``redis.Redis`` decoding replies to ``str``.

    Under eventlet's monkey patch its sockets are green, so a slow reply blocks only its worker.
    """

    def setup(self) -> None:
        # Timeouts: a stalled Redis must fail a worker, not hold it (and its database
        # connection, if it has one) indefinitely.
        self.client = redis.Redis.from_url(
            self.container.config[REDIS_URL_KEY], decode_responses=True, socket_timeout=5, socket_connect_timeout=5
        )

    def stop(self) -> None:
        self.client.close()

    def get_dependency(self, worker_ctx: Any) -> redis.Redis:
        return self.client
