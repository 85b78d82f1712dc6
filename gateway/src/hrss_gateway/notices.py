"""Identity's announcements on Redis, heard by each gateway process over one subscription.

Identity announces on Redis channels what a gateway may have to act on at once: a QR session
that changed (``qr_watch``), sessions that ended before their time (``session_cache``). Each
gateway process subscribes with one connection, whatever the number of listeners. A listener
is told what it hears (``heard``), that the subscription broke (``lost``: announcements may
pass unheard until it is back) and that it is back (``resumed``: what passed meanwhile is
unknown, so whatever depended on hearing it is re-read).

A subscription can die without a word (a connection a firewall dropped, a Redis that failed
over): the process publishes a probe to itself every ``PROBE_SECONDS`` (so its Redis user needs
PUBLISH and SUBSCRIBE on ``<prefix>:gateway-probe:*`` as well as SUBSCRIBE on identity's
channels). A subscription counts as working once it has heard its first probe, and as broken
(it is made again) when probes went out ``STALE_SECONDS`` after the last thing it heard, or
when they cannot be sent at all. A process that merely stalled sent nothing meanwhile, so a
stall alone breaks nothing.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections import defaultdict
from typing import Any, Protocol

import eventlet
from nameko.extensions import SharedExtension

from hrss_kit.redis import REDIS_URL_KEY
from hrss_kit.redis import client as redis_client

log = logging.getLogger(__name__)
RECONNECT_SECONDS = 1.0
PROBE_SECONDS, STALE_SECONDS = 0.25, 1.0


class Stale(Exception):
    """The subscription heard nothing, its own probes included, for ``STALE_SECONDS``."""


class Listener(Protocol):
    def heard(self, message: str) -> None: ...

    def lost(self) -> None: ...

    def resumed(self) -> None: ...


class IdentityNotices(SharedExtension):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.listeners: dict[str, list[Listener]] = defaultdict(list)

    def listen(self, channel: str, listener: Listener) -> None:
        """From a listener's ``setup``: ``listener`` hears ``channel`` from the start on."""
        self.listeners[channel].append(listener)

    def setup(self) -> None:
        config = self.container.config
        self.client = redis_client(config[REDIS_URL_KEY], timeout=2)
        # This process's own: no other gateway hears its probes.
        self.probe_channel = f"{config.get('IDENTITY_REDIS_PREFIX', 'identity')}:gateway-probe:{uuid.uuid4().hex}"
        self._stopped = False
        self._pubsub: Any = None
        self.sent_at = 0.0  # when the last probe went out (monotonic)
        self.failing = False  # probes cannot be sent

    def start(self) -> None:
        self._thread = self.container.spawn_managed_thread(self._listen)
        self._prober = self.container.spawn_managed_thread(self._probe)

    def stop(self) -> None:
        self._stopped = True
        with contextlib.suppress(Exception):
            if self._pubsub is not None:
                self._pubsub.close()
        with contextlib.suppress(Exception):
            self._thread.kill()
        with contextlib.suppress(Exception):
            self._prober.kill()
        self.client.close()

    kill = stop

    def _listen(self) -> None:
        while not self._stopped:
            try:
                self._pubsub = self.client.pubsub(ignore_subscribe_messages=True)
                self._pubsub.subscribe(self.probe_channel, *self.listeners)
                heard_at, working = time.monotonic(), False
                while not self._stopped:
                    message = self._pubsub.get_message(timeout=PROBE_SECONDS)
                    if message is None:  # the wait's timer may fire before the hub sees the socket
                        message = self._pubsub.get_message(timeout=0)
                    if message is None:
                        if self.failing or self.sent_at - heard_at > STALE_SECONDS:
                            raise Stale("probes unsent" if self.failing else f"nothing heard for {STALE_SECONDS:g} s")
                        continue
                    heard_at = time.monotonic()
                    if not working:  # its first probe back: the subscription stands
                        working = True
                        self._tell_all("resumed")
                    for listener in self.listeners.get(str(message.get("channel", "")), ()):
                        listener.heard(str(message.get("data", "")))
            except Exception as exc:  # Redis went away: listeners fall back until it is back
                if self._stopped:
                    return
                self._tell_all("lost")
                with contextlib.suppress(Exception):
                    self._pubsub.close()
                log.warning("identity's announcements lost (%s); resubscribing in %.0f s", exc, RECONNECT_SECONDS)
                eventlet.sleep(RECONNECT_SECONDS)

    def _probe(self) -> None:
        while not self._stopped:
            try:
                self.client.publish(self.probe_channel, "probe")
                self.sent_at, self.failing = time.monotonic(), False
            except Exception as exc:  # the subscription counts as broken until one goes out
                if not self.failing:
                    log.warning("cannot probe identity's announcements (%s)", exc)
                self.failing = True
            eventlet.sleep(PROBE_SECONDS)

    def _tell_all(self, what: str) -> None:
        for listeners in self.listeners.values():
            for listener in listeners:
                getattr(listener, what)()
