"""Browsers waiting for their QR session to change (``GET …/qr-sessions/{qr_id}?wait=N``).

Identity announces every change of a QR session on one Redis channel (its id as the message).
Each gateway process listens on it (``notices``: one connection, whatever the number of waiting
browsers), and wakes the requests waiting for that id; with several gateways and several
identity replicas every gateway hears every change. If the subscription breaks, waiters fall
back on their own timeout and re-read the session: slower, never wrong; once it is back, every
waiter re-reads at once (a change may have passed unheard).

A wait holds one of the gateway's workers: at most ``PER_SESSION`` at once for one session and
``PER_ADDRESS`` for one client address (an office's browsers), so one client cannot hold them all.
"""

from __future__ import annotations

import contextlib
import threading
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from nameko.extensions import DependencyProvider, SharedExtension

from hrss_contracts.qr_login import qr_changed_channel
from hrss_gateway.addresses import client_address, parse_networks
from hrss_gateway.errors import RateLimited
from hrss_gateway.notices import IdentityNotices

PER_SESSION, PER_ADDRESS = 2, 50


class QrChanges(SharedExtension):  # type: ignore[misc]
    notices = IdentityNotices()

    def setup(self) -> None:
        config = self.container.config
        self.waiters: dict[str, set[threading.Event]] = defaultdict(set)
        self.per_address: dict[str, int] = defaultdict(int)
        self.trusted_proxies = parse_networks(config.get("TRUSTED_PROXIES"))
        self.notices.listen(qr_changed_channel(str(config.get("IDENTITY_REDIS_PREFIX", "identity"))), self)

    def heard(self, qr_id: str) -> None:
        for event in list(self.waiters.get(qr_id, ())):
            event.set()

    def lost(self) -> None:
        """Waiters time out and re-read meanwhile."""

    def resumed(self) -> None:
        for qr_id in list(self.waiters):  # what changed while nobody listened is re-read
            self.heard(qr_id)

    @contextlib.contextmanager
    def watching(self, qr_id: str, environ: Mapping[str, Any]) -> Iterator[threading.Event]:
        """An event set whenever ``qr_id`` changes, from now on (register, then read);
        ``RateLimited`` SLOW_DOWN past the waits one session or one address may hold."""
        address = client_address(environ, self.trusted_proxies)
        if len(self.waiters.get(qr_id, ())) >= PER_SESSION or self.per_address[address] >= PER_ADDRESS:
            raise RateLimited("SLOW_DOWN", retry_after=2)
        event = threading.Event()
        self.waiters[qr_id].add(event)
        self.per_address[address] += 1
        try:
            yield event
        finally:
            self.waiters[qr_id].discard(event)
            if not self.waiters[qr_id]:
                del self.waiters[qr_id]
            self.per_address[address] -= 1
            if not self.per_address[address]:
                del self.per_address[address]


class QrWatch(DependencyProvider):  # type: ignore[misc]
    """``with self.qr_watch(qr_id) as changed: …``"""

    changes = QrChanges()

    def get_dependency(self, worker_ctx: Any) -> Any:
        return self.changes.watching
