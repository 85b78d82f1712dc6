"""Which of the services a container calls are up, known before a call waits on one.

A service that is down still has its queue: a request to it waits out the caller's whole
timeout (15 s for a registration) before the answer is 503. ``Liveness`` pings every watched
service once a second with a short timeout of its own. A service is *down* while its last
ping went unanswered and none of the container's calls to it has been answered for
``QUIET_FOR`` seconds: calls to it then fail at once (``RpcTimeout``, a 503), so a caller
learns within about two seconds of a service going down, whatever its calls' timeouts. A
service that is only busy (its ping waits behind real work) keeps answering those calls, so
it is not taken for dead.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import eventlet
from nameko.extensions import SharedExtension

from hrss_kit.rpc_transport import RpcTransport

log = logging.getLogger(__name__)
PING_EVERY = 1.0
PING_TIMEOUT = 2.0
QUIET_FOR = 3.0


class Liveness(SharedExtension):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        # Here, not in ``setup``: the dependencies that ``watch`` may be set up before this.
        self.watched: set[str] = set()
        self._down: dict[str, float] = {}  # service → since when (monotonic)
        self._thread: Any = None

    def watch(self, service: str) -> None:
        self.watched.add(service)

    def is_down(self, service: str, calls: RpcTransport | None = None) -> bool:
        """Down: its last ping unanswered, and (given the transport of the real calls) no
        answer to any of them for ``QUIET_FOR`` seconds."""
        if service not in self._down:
            return False
        return calls is None or not calls.heard_from(service, QUIET_FOR)

    def start(self) -> None:
        if self.watched and self._thread is None:
            self._thread = self.container.spawn_managed_thread(self._run, identifier="rpc-liveness")

    def stop(self) -> None:
        if self._thread is not None:
            self._thread.kill()
            self._thread = None
        super().stop()

    def _run(self) -> None:
        transport = RpcTransport.for_container(self.container.config)
        services = sorted(self.watched)
        pool = eventlet.GreenPool(len(services))
        try:
            while True:
                answers = pool.imap(lambda service: self._ping(transport, service), services)
                for service, answered in zip(services, answers, strict=True):
                    self._note(service, answered)
                eventlet.sleep(PING_EVERY)
        finally:
            transport.close()

    @staticmethod
    def _ping(transport: RpcTransport, service: str) -> bool:
        try:
            return bool(transport.call(service, "ping", {}, timeout=PING_TIMEOUT) == "ok")
        except Exception:
            return False

    def _note(self, service: str, answered: bool) -> None:
        if answered and service in self._down:
            log.info("%s answers again after %.1f s", service, time.monotonic() - self._down.pop(service))
        elif not answered and service not in self._down:
            self._down[service] = time.monotonic()
            log.warning("%s did not answer its ping; calls to it fail at once until it does", service)
