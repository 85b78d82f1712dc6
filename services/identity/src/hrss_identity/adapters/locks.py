"""Registration state in Redis: one registration per code at a time, and its pending password."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator

import redis

from hrss_identity.service_layer.ports import PendingPasswords, RegistrationLocks

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


class RedisPendingPasswords(PendingPasswords):
    """Kept for the length of one registration at most (a crashed one leaves it ``ttl_s``)."""

    def __init__(self, client: redis.Redis, ttl_s: int = 300) -> None:
        self.client, self.ttl_s = client, ttl_s

    def put(self, uscc: str, password_hash: str) -> None:
        self.client.set(self._key(uscc), password_hash, ex=self.ttl_s)

    def get(self, uscc: str) -> str | None:
        value = self.client.get(self._key(uscc))
        return str(value) if value is not None else None

    def discard(self, uscc: str) -> None:
        self.client.delete(self._key(uscc))

    @staticmethod
    def _key(uscc: str) -> str:
        return f"identity:pending-password:{uscc}"
