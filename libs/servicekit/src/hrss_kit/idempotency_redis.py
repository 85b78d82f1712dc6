"""Idempotent RPC with the claim and the answer kept in Redis, for a method whose effects are in
Redis too (``@rpc(idempotent="redis")``; the service needs a ``Redis`` named ``redis``).

The protocol is ``idempotency``'s (claim with a lease, renew while running, store the answer,
release on an unexpected failure), on one key per request: ``SET NX PX`` claims (a lease that
runs out lets a twin take over), a stored answer replaces the claim and is kept a day. Two
round trips to Redis instead of two autocommitted statements: the answer is as durable as the
effects it answers for, which is the point of keeping it there.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from datetime import timedelta
from typing import Any

import eventlet

from hrss_contracts.errors import CatalogueError

ANSWER_TTL = timedelta(days=1)
WAIT_STEP = 0.05
_RUNNING, _DONE = "running:", "done:"
# Only the run that holds the claim may extend or drop it.
_RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


class RedisRequests:
    """One key's claim or answer under ``hrss:rpc:<service.method>:<sha256 of the key>``."""

    def __init__(self, client: Any, method: str, key: str, lease: timedelta) -> None:
        self.client, self.lease = client, lease
        self.key = f"hrss:rpc:{method}:{hashlib.sha256(key.encode()).hexdigest()}"
        self.claim = f"{_RUNNING}{uuid.uuid4().hex}"

    def claim_or_wait(self) -> dict[str, Any] | None:
        """None once this run holds the key; the first run's answer when there is one."""
        give_up = time.monotonic() + self.lease.total_seconds()
        lease_ms = int(self.lease.total_seconds() * 1000)
        pause = WAIT_STEP
        while True:
            if self.client.set(self.key, self.claim, nx=True, px=lease_ms):
                return None
            held = self.client.get(self.key)
            if held is None:
                continue  # the other run's lease ran out between the two: claim again
            if held.startswith(_DONE):
                return dict(json.loads(held[len(_DONE) :]))
            if time.monotonic() > give_up:
                raise CatalogueError("SERVICE_UNAVAILABLE")
            eventlet.sleep(pause)
            pause = min(pause * 2, 0.5)

    def keep_leasing(self) -> None:
        every = self.lease.total_seconds() / 3
        while True:
            eventlet.sleep(every)
            try:
                self.client.eval(_RENEW, 1, self.key, self.claim, int(self.lease.total_seconds() * 1000))
            except Exception:  # Redis is away: the next renewal tries again
                continue

    def store(self, answer: dict[str, Any]) -> None:
        ttl_ms = int(ANSWER_TTL.total_seconds() * 1000)
        self.client.set(self.key, _DONE + json.dumps(answer, ensure_ascii=False), px=ttl_ms)

    def release(self) -> None:
        self.client.eval(_RELEASE, 1, self.key, self.claim)
