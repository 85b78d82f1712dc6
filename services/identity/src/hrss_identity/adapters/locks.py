"""One registration per code at a time, across replicas: a lock in Redis with a time-to-live."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator

import redis

from hrss_identity.service_layer.ports import RegistrationLocks

# Delete the key only if it still holds our token (it may have expired and been re-taken).
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


class RedisRegistrationLocks(RegistrationLocks):
    def __init__(self, client: redis.Redis, ttl_ms: int = 30_000) -> None:
        self.client, self.ttl_ms = client, ttl_ms

    @contextlib.contextmanager
    def hold(self, uscc: str) -> Iterator[bool]:
        key, token = f"identity:registration-lock:{uscc}", secrets.token_hex(16)
        held = bool(self.client.set(key, token, nx=True, px=self.ttl_ms))
        try:
            yield held
        finally:
            if held:
                self.client.eval(_RELEASE, 1, key, token)
