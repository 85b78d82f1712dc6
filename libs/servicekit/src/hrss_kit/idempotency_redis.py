"""Idempotent RPC with the claim and the answer kept in Redis, for a method whose effects are in
Redis too (``@rpc(idempotent="redis")``; the service needs a ``Redis`` named ``redis``).

The protocol is ``idempotency``'s (claim with a lease, renew while running, store the answer,
release on an unexpected failure), on one key per request: ``SET NX PX`` claims (a lease that
runs out lets a twin take over), a stored answer replaces the claim (only this run's own) and
is kept for the lease plus ten minutes. Two round trips to Redis instead of two autocommitted
statements: the answer is as durable as the effects it answers for, which is the point of
keeping it there. It is not written in the same step as them, though: a Redis failure between
the two leaves a repeat to run again (and find, say, a single-use token already used).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
import uuid
from datetime import timedelta
from typing import Any

import eventlet

from hrss_contracts.errors import CatalogueError

# An answer is kept for as long as a repeat can come: a request is dropped from its queue once
# its caller's timeout (the lease) is over, but one already handed to a server may still run.
ANSWER_MARGIN = timedelta(minutes=10)
WAIT_STEP = 0.05
_RUNNING, _DONE = "running:", "done:"
# Only the run that holds the claim may extend or drop it.
_RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"
# The answer replaces this run's own claim only: after a takeover the twin's answer stands.
_STORE = (
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end "
    "return 0"
)


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
        """Keep the answer in place of the claim. An answer that is not JSON (or a store that
        fails) releases the claim and raises: a repeat runs again rather than wait on a claim
        nobody will answer."""
        try:
            text = _DONE + json.dumps(answer)  # ASCII escapes: any str survives, a lone surrogate too
            ttl_ms = int((self.lease + ANSWER_MARGIN).total_seconds() * 1000)
            self.client.eval(_STORE, 1, self.key, self.claim, text, ttl_ms)
        except Exception:
            with contextlib.suppress(Exception):
                self.release()
            raise

    def release(self) -> None:
        self.client.eval(_RELEASE, 1, self.key, self.claim)
