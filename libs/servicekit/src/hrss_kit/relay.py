"""Runs the outbox relay inside a service process: woken by commits, polling as a fallback."""

from __future__ import annotations

import logging
import threading
import time

from hrss_kit.outbox_relay import OutboxRelay

log = logging.getLogger(__name__)


class RelayRunner:
    """Publishes as soon as a commit wrote outbox rows (``wake``); otherwise polls every
    ``poll_interval`` seconds, which catches rows left by a process that died before its
    relay ran, and keeps its broker connection's heartbeats going. With eventlet's monkey
    patch ``threading.Event`` is green."""

    trim_every = 3600.0  # seconds between two trims of the log to its retention

    def __init__(self, relay: OutboxRelay, poll_interval: float = 1.0, max_backoff: float = 10.0) -> None:
        self.relay = relay
        self.poll_interval = poll_interval
        self.max_backoff = max_backoff
        self._wake = threading.Event()
        self._stopped = False

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()

    def run(self) -> None:
        backoff = self.poll_interval
        next_trim = time.monotonic()
        while not self._stopped:
            self._wake.wait(timeout=backoff)
            self._wake.clear()
            if self._stopped:
                break
            try:
                self.relay.keep_alive()
                self.drain()
                if time.monotonic() >= next_trim:
                    next_trim = time.monotonic() + self.trim_every
                    self.relay.trim()
            except Exception:
                log.exception("outbox relay failed; retrying in %.1f s", backoff)
                backoff = min(backoff * 2, self.max_backoff)
                continue
            backoff = self.poll_interval
        self.relay.close()

    def drain(self) -> None:
        while self.relay.publish_pending() >= self.relay.batch_size:
            pass
