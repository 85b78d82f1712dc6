"""Rate limits kept in Redis, so every gateway replica counts against the same numbers.

- Per client address, on every POST an endpoint does not declare authenticated: at most
  ``RATE_LIMIT_POSTS`` per ``RATE_LIMIT_POSTS_WINDOW`` seconds, else 429 TOO_MANY_REQUESTS.
  A fixed window that starts with the address's first POST (``SET NX EX`` + ``INCR`` + ``TTL``
  in one MULTI): O(1) per request, at worst twice the limit across a window's edge.
- Per USCC, on registration: once ``REGISTRATION_REJECTIONS`` attempts for one code were
  answered 422 within ``REGISTRATION_REJECTIONS_WINDOW`` seconds, further attempts get 429
  REGISTRATION_ATTEMPTS_EXCEEDED before any RPC. A sliding log (a sorted set of attempt times,
  in one Lua script, on Redis's clock): exactly "N within the last hour", since this limit
  guards an ID number oracle. An attempt takes its place in the log when it starts and gives
  it back unless it is answered 422, so parallel attempts cannot overrun the limit.

- Per client address and per account, on password login: at most ``RATE_LIMIT_LOGINS_PER_ADDRESS``
  (60) and ``RATE_LIMIT_LOGINS_PER_ACCOUNT`` (20) attempts per ``RATE_LIMIT_LOGINS_WINDOW`` (60)
  seconds, else 429 LOGIN_ATTEMPTS_EXCEEDED; identity's lock after failed logins comes on top.

- Per account, on uploads: at most ``RATE_LIMIT_UPLOADS`` (200) stored per
  ``RATE_LIMIT_UPLOADS_WINDOW`` (a day) seconds, else 429 UPLOAD_LIMIT_EXCEEDED before the body
  is read; a refused upload gives its place back. With 10 MB an upload at most this bounds the
  rate at which one account can fill the store (2 GB a day), not the total: uploads no case
  uses are not removed yet.

Keys are ``<RATE_LIMIT_PREFIX>:address:<address>``, ``<RATE_LIMIT_PREFIX>:uscc:<code>``,
``…:login-address:<address>``, ``…:login-account:<sha256 of the account>``,
``…:qr-sessions:<address>`` and ``…:uploads:<account id>``.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import redis

from hrss_contracts.errors import CatalogueError
from hrss_gateway.addresses import client_address, parse_networks
from hrss_gateway.errors import RateLimited

log = logging.getLogger(__name__)

# A limiter waits on Redis at most this long: a stalled Redis must not hold every request.
REDIS_TIMEOUT = 1.0
# After Redis failed, the per-address check is skipped this long instead of each request
# waiting for it to fail again.
ADDRESS_CHECK_BACKOFF = 5.0

_RESERVE = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local window_ms = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms - window_ms)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + window_ms - now_ms
end
redis.call('ZADD', KEYS[1], now_ms, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window_ms)
return 0
"""


@dataclass(frozen=True)
class LimitSettings:
    prefix: str = "hrss:gateway:limits"
    posts_per_address: int = 300
    posts_window: int = 60
    rejections_per_uscc: int = 5
    rejections_window: int = 3600
    logins_per_address: int = 60
    logins_per_account: int = 20
    logins_window: int = 60
    qr_sessions_per_address: int = 60
    qr_sessions_window: int = 60
    uploads_per_account: int = 200
    uploads_window: int = 86400
    trusted_proxies: tuple[Any, ...] = ()

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LimitSettings:
        return cls(
            prefix=str(config.get("RATE_LIMIT_PREFIX", cls.prefix)),
            posts_per_address=int(config.get("RATE_LIMIT_POSTS", cls.posts_per_address)),
            posts_window=int(config.get("RATE_LIMIT_POSTS_WINDOW", cls.posts_window)),
            rejections_per_uscc=int(config.get("REGISTRATION_REJECTIONS", cls.rejections_per_uscc)),
            rejections_window=int(config.get("REGISTRATION_REJECTIONS_WINDOW", cls.rejections_window)),
            logins_per_address=int(config.get("RATE_LIMIT_LOGINS_PER_ADDRESS", cls.logins_per_address)),
            logins_per_account=int(config.get("RATE_LIMIT_LOGINS_PER_ACCOUNT", cls.logins_per_account)),
            logins_window=int(config.get("RATE_LIMIT_LOGINS_WINDOW", cls.logins_window)),
            qr_sessions_per_address=int(config.get("RATE_LIMIT_QR_SESSIONS", cls.qr_sessions_per_address)),
            qr_sessions_window=int(config.get("RATE_LIMIT_QR_SESSIONS_WINDOW", cls.qr_sessions_window)),
            uploads_per_account=int(config.get("RATE_LIMIT_UPLOADS", cls.uploads_per_account)),
            uploads_window=int(config.get("RATE_LIMIT_UPLOADS_WINDOW", cls.uploads_window)),
            trusted_proxies=parse_networks(config.get("TRUSTED_PROXIES")),
        )


class Limits:
    """The two limits over one Redis client (``decode_responses=True``)."""

    def __init__(self, client: redis.Redis, settings: LimitSettings) -> None:
        self.client, self.settings = client, settings
        self._reserve = client.register_script(_RESERVE)
        self._skip_address_checks_until = 0.0

    def check_client(self, environ: Mapping[str, Any]) -> None:
        """``check_address`` for the client of a request (``addresses.client_address``)."""
        self.check_address(client_address(environ, self.settings.trusted_proxies))

    def check_address(self, address: str) -> None:
        """Count one POST from ``address``; ``RateLimited`` (429) past the limit.

        Fails open: with Redis down, POSTs go on unlimited (logged). Every other safeguard
        still holds, and an outage of this counter should not stop an office's work; the
        per-USCC limit, which guards personal data, fails closed instead.
        """
        if time.monotonic() < self._skip_address_checks_until:
            return
        key = f"{self.settings.prefix}:address:{address}"
        try:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.set(key, 0, ex=self.settings.posts_window, nx=True)
                pipe.incr(key)
                pipe.ttl(key)
                _, count, ttl = pipe.execute()
        except redis.RedisError as exc:
            self._skip_address_checks_until = time.monotonic() + ADDRESS_CHECK_BACKOFF
            log.warning("per-address rate limit skipped for %.0f s: Redis failed (%s)", ADDRESS_CHECK_BACKOFF, exc)
            return
        if count > self.settings.posts_per_address:
            raise RateLimited("TOO_MANY_REQUESTS", retry_after=ttl if ttl > 0 else self.settings.posts_window)

    @contextlib.contextmanager
    def registration_attempt(self, uscc: str) -> Iterator[None]:
        """Around one registration for ``uscc``: ``RateLimited`` (429) before the block once
        the code had its share of 422s; a 422 leaving the block is counted, any other outcome
        is not.

        Fails closed: with Redis down the attempt is refused SERVICE_UNAVAILABLE (503), since
        unlimited attempts would reopen the ID number oracle (and identity, which registers
        through Redis too, could not register anyway).
        """
        key = f"{self.settings.prefix}:uscc:{uscc}"
        attempt = uuid.uuid4().hex
        window_ms = self.settings.rejections_window * 1000
        self._take(key, self.settings.rejections_per_uscc, window_ms, attempt, "REGISTRATION_ATTEMPTS_EXCEEDED")
        counted = False
        try:
            yield
        except CatalogueError as exc:
            counted = exc.status == 422
            raise
        finally:
            if not counted:
                self._give_back(key, attempt)

    def check_login(self, environ: Mapping[str, Any], account: str) -> None:
        """Count one password login from the request's address and for ``account``;
        ``RateLimited`` (429 LOGIN_ATTEMPTS_EXCEEDED) past either limit, before identity is
        asked. Sliding logs, as for registrations. Fails closed (503): identity keeps its
        sessions in the same Redis, so no login could succeed anyway."""
        address = client_address(environ, self.settings.trusted_proxies)
        account_key = hashlib.sha256(account.encode()).hexdigest()  # typed text, maybe an ID number
        window_ms = self.settings.logins_window * 1000
        for key, limit in (
            (f"{self.settings.prefix}:login-address:{address}", self.settings.logins_per_address),
            (f"{self.settings.prefix}:login-account:{account_key}", self.settings.logins_per_account),
        ):
            self._take(key, limit, window_ms, uuid.uuid4().hex, "LOGIN_ATTEMPTS_EXCEEDED")

    def check_qr_session(self, environ: Mapping[str, Any]) -> None:
        """Count one QR session opened from the request's address; 429 TOO_MANY_REQUESTS past
        ``RATE_LIMIT_QR_SESSIONS`` per ``RATE_LIMIT_QR_SESSIONS_WINDOW`` seconds (60 a minute:
        an office behind one address opens a code per login and per role switch)."""
        address = client_address(environ, self.settings.trusted_proxies)
        key = f"{self.settings.prefix}:qr-sessions:{address}"
        window_ms = self.settings.qr_sessions_window * 1000
        self._take(key, self.settings.qr_sessions_per_address, window_ms, uuid.uuid4().hex, "TOO_MANY_REQUESTS")

    @contextlib.contextmanager
    def upload_attempt(self, account_id: str) -> Iterator[Callable[[], None]]:
        """Around one upload of ``account_id``: 429 UPLOAD_LIMIT_EXCEEDED before the block once
        the account stored its share. The block calls what it is given once the bytes are kept;
        an upload that leaves without (refused, timed out) gives its place back. A sliding log,
        as for logins; fails closed (503)."""
        key = f"{self.settings.prefix}:uploads:{account_id}"
        attempt = uuid.uuid4().hex
        window_ms = self.settings.uploads_window * 1000
        self._take(key, self.settings.uploads_per_account, window_ms, attempt, "UPLOAD_LIMIT_EXCEEDED")
        kept = []
        try:
            yield lambda: kept.append(True)
        finally:
            if not kept:
                self._give_back(key, attempt)

    def _take(self, key: str, limit: int, window_ms: int, attempt: str, code: str) -> None:
        """Put ``attempt`` in the sliding log at ``key``, or raise ``code`` (429) saying when a
        place frees up; Redis failing is 503 (the sliding-log limits fail closed)."""
        try:
            wait_ms = int(self._reserve(keys=[key], args=[limit, window_ms, attempt]))
        except redis.RedisError as exc:
            raise CatalogueError("SERVICE_UNAVAILABLE") from exc
        if wait_ms > 0:
            raise RateLimited(code, retry_after=-(-wait_ms // 1000))

    def _give_back(self, key: str, attempt: str) -> None:
        try:
            self.client.zrem(key, attempt)
        except redis.RedisError as exc:  # the attempt stays counted: stricter, never looser
            log.warning("attempt not given back to its limit (%s): %s", key.rsplit(":", 2)[-2], exc)
