"""AMQP connections for the kit's RPC: one reader green thread per connection, writers
that never read, heartbeats checked by the reader, and reconnection with backoff."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import eventlet
import kombu
from kombu import Exchange

log = logging.getLogger(__name__)

RPC_EXCHANGE = Exchange("nameko-rpc", type="topic", durable=True)


def reader_owned_connection(amqp_uri: str, heartbeat: float = 0) -> kombu.Connection:
    """A connection on which only one green thread reads; the others only write.

    py-amqp's ``basic_publish`` reads the socket itself (``drain_events(timeout=0)``) when
    the connection negotiated ``connection.blocked``: a publishing worker could then take a
    frame meant for the reader and run its callback while holding the write lock. Turning the
    flag off after the handshake keeps publishes write-only; a blocked broker simply stops
    reading, and our writes wait.
    """
    connection = kombu.Connection(amqp_uri, heartbeat=heartbeat)
    connection.connect()
    connection.connection.client_properties.setdefault("capabilities", {})["connection.blocked"] = False
    return connection


def open_consumer(
    amqp_uri: str,
    queue: kombu.Queue,
    callback: Callable[[Any], None],
    prefetch: int = 0,
    no_ack: bool = False,
    heartbeat: float = 0,
) -> tuple[kombu.Connection, Any, str]:
    """A reader-owned connection whose py-amqp channel consumes ``queue`` into ``callback``.

    py-amqp's channel directly: kombu's Producer and Consumer cost more CPU per message than
    the rest of an RPC, and nothing they add is needed. Nothing is left open on failure.
    """
    connection = reader_owned_connection(amqp_uri, heartbeat)
    try:
        channel = connection.channel()
        queue(channel).declare()
        if prefetch:
            channel.basic_qos(0, prefetch, False)
        consumer_tag = channel.basic_consume(queue=queue.name, callback=callback, no_ack=no_ack)
    except Exception:
        with contextlib.suppress(Exception):
            connection.release()
        raise
    return connection, channel, consumer_tag


def reconnect(connect: Callable[[], None], stopped: Callable[[], bool], what: str) -> None:
    """Call ``connect`` until it succeeds (backing off to 10 s) or ``stopped()``."""
    delay = 0.5
    while not stopped():
        try:
            connect()
            log.info("%s reconnected", what)
            return
        except Exception as exc:
            log.warning("%s reconnect failed (%s); retrying in %.1f s", what, exc, delay)
            eventlet.sleep(delay)
            delay = min(delay * 2, 10.0)


class HeartbeatClock:
    """Called by a connection's reader after each read: about once a second it sends our
    heartbeat if one is due and raises (``ConnectionForced``) when the broker has been silent
    for two heartbeats, so a broker that vanished without a word is noticed and left.

    The heartbeat frame is a write: it takes the connection's write lock like any other.
    """

    def __init__(self, connection: kombu.Connection, write_lock: threading.Lock, every: float = 1.0) -> None:
        self.connection, self.write_lock, self.every = connection, write_lock, every
        self._next = 0.0

    def tick(self) -> None:
        now = time.monotonic()
        if now < self._next:
            return
        self._next = now + self.every
        with self.write_lock:
            self.connection.heartbeat_check()


def drop(connection: kombu.Connection | None, handshake: bool = True) -> None:
    """Close ``connection`` without ever waiting on a broker that is gone.

    A connection found dead (heartbeats missed, a socket error) is dropped at once, without
    the AMQP close handshake, which would wait for a reply that never comes. A healthy one
    gets two seconds for the handshake, then is dropped all the same.
    """
    if connection is None:
        return
    if handshake:
        try:
            with eventlet.Timeout(2):
                connection.release()
            return
        except (Exception, eventlet.Timeout):
            pass
    with contextlib.suppress(Exception):
        connection.collect()


def keep_reading(
    connection: Callable[[], kombu.Connection],
    heartbeat: Callable[[], HeartbeatClock],
    stopped: Callable[[], bool],
    reconnect_: Callable[[], None],
    what: str,
) -> None:
    """The loop of a connection's one reader: frames go to their callbacks, heartbeats are
    checked about once a second, and any failure means the connection is lost: ``reconnect_``
    (unless ``stopped()``). The getters are called anew each turn, as a reconnect replaces both.
    """
    while not stopped():
        try:
            with contextlib.suppress(TimeoutError):
                connection().drain_events(timeout=1)
            heartbeat().tick()
        except Exception:
            if stopped():
                return
            log.warning("%s lost; reconnecting", what, exc_info=True)
            reconnect_()
