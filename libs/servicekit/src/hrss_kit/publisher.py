"""A confirmed, ``mandatory`` publisher: the broker says whether each event reached a queue.

Used by the outbox relay and by replays of the event log. One green thread owns it (it reads
its own connection for confirms, returns and heartbeats), so nothing else may use it.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import time
from dataclasses import dataclass
from typing import Any

import amqp
import kombu
from amqp.exceptions import MessageNacked

from hrss_kit.broker import drop
from hrss_kit.topology import DEFAULT_HEARTBEAT, declare_exchange

log = logging.getLogger(__name__)


class Unroutable(Exception):
    """No queue is bound for the event: nobody consumes it (yet)."""


@dataclass(frozen=True)
class Outgoing:
    """One event to publish: its JSON ``body``, where it goes, and its ``message_id``."""

    body: str
    exchange: kombu.Exchange
    routing_key: str
    message_id: str


class ConfirmedPublisher:
    """Publishes persistent messages with ``mandatory`` and waits for the broker's confirms.

    A batch is written whole, then its confirms are awaited together (one wait for many
    events instead of one round trip each). RabbitMQ sends ``basic.return`` before the
    ``basic.ack`` of an unroutable mandatory message, so once a message's ack is in we know
    whether it was returned.
    """

    def __init__(self, amqp_uri: str, heartbeat: float = DEFAULT_HEARTBEAT, confirm_timeout: float = 10) -> None:
        self.amqp_uri, self.heartbeat, self.confirm_timeout = amqp_uri, heartbeat, confirm_timeout
        self._connection: kombu.Connection | None = None
        self._channel: Any = None
        self._declared: set[str] = set()
        self._returned: set[str] = set()
        self._next_tag = 1  # the broker numbers a confirmed channel's publishes 1, 2, …
        self._unconfirmed: dict[int, str] = {}  # delivery tag → message id
        self._acked: set[str] = set()

    def _ensure_channel(self) -> Any:
        if self._channel is None:
            connection = kombu.Connection(self.amqp_uri, heartbeat=self.heartbeat)
            try:
                connection.connect()
                channel = connection.channel()
                channel.confirm_select()
                channel.events["basic_return"].add(self._on_return)
                channel.events["basic_ack"].add(self._on_ack)
                channel.events["basic_nack"].add(self._on_nack)
            except Exception:
                drop(connection, handshake=False)
                raise
            self._connection, self._channel, self._next_tag = connection, channel, 1
        return self._channel

    def _on_return(self, _exc: Any, _exchange: Any, _routing_key: Any, message: amqp.Message) -> None:
        self._returned.add(message.properties.get("message_id", ""))

    def _confirmed(self, delivery_tag: int, multiple: bool) -> list[str]:
        tags = [t for t in self._unconfirmed if t <= delivery_tag] if multiple else [delivery_tag]
        return [self._unconfirmed.pop(t) for t in tags if t in self._unconfirmed]

    def _on_ack(self, delivery_tag: int, multiple: bool) -> None:
        self._acked.update(self._confirmed(delivery_tag, multiple))

    def _on_nack(self, delivery_tag: int, multiple: bool) -> None:
        for message_id in self._confirmed(delivery_tag, multiple):
            log.warning("the broker refused event %s (nack); it is sent again later", message_id)

    def publish(self, body: str, exchange: kombu.Exchange, routing_key: str, message_id: str) -> None:
        """Returns once the broker has the message in at least one queue; raises
        ``Unroutable`` when no queue is bound, anything else when the broker failed."""
        outcome = self.publish_many([Outgoing(body, exchange, routing_key, message_id)])
        if not outcome[message_id]:
            raise Unroutable(routing_key)

    def publish_many(self, messages: list[Outgoing]) -> dict[str, bool]:
        """Publish ``messages`` and wait for their confirms; returns message id → True (in a
        queue) or False (returned: no queue is bound). A message the broker refused (nack)
        is absent; ``MessageNacked`` when it refused them all. Raises when the broker failed
        before confirming any; after some, returns those (the rest are unknown, to be sent
        again)."""
        if not messages:
            return {}  # nothing to say: no reason to need the broker
        channel = self._ensure_channel()
        self._acked.clear()
        nacked = False
        try:
            for m in messages:
                if m.exchange.name not in self._declared:
                    declare_exchange(channel, m.exchange)
                    self._declared.add(m.exchange.name)
                message = amqp.Message(
                    m.body,
                    content_type="application/json",
                    content_encoding="utf-8",
                    delivery_mode=2,
                    message_id=m.message_id,
                )
                channel.basic_publish(
                    message,
                    exchange=m.exchange.name,
                    routing_key=m.routing_key,
                    mandatory=True,
                    timeout=self.confirm_timeout,
                )
                self._unconfirmed[self._next_tag] = m.message_id
                self._next_tag += 1
            self._await_confirms()
            nacked = len(self._acked) < len(messages)
        except BaseException as exc:
            # What was confirmed is known, returns included; read it before the connection
            # (and what it heard) is dropped.
            outcome = self._outcome()
            self.close(handshake=False)
            if not outcome or not isinstance(exc, Exception):
                raise
            log.warning(
                "the broker failed after confirming %d of %d events", len(outcome), len(messages), exc_info=True
            )
            return outcome
        outcome = self._outcome()
        if nacked and not outcome:  # the broker refused them all: let the caller back off
            raise MessageNacked(f"the broker refused all {len(messages)} events")
        return outcome

    def _outcome(self) -> dict[str, bool]:
        outcome = {message_id: message_id not in self._returned for message_id in self._acked}
        self._returned.difference_update(outcome)
        self._acked.clear()
        return outcome

    def _await_confirms(self) -> None:
        # A broker that stops confirming (a resource alarm) must not hold the relay, and on
        # Postgres its row locks, for ever: fail, back off, try again.
        assert self._connection is not None
        deadline = time.monotonic() + self.confirm_timeout
        while self._unconfirmed:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{len(self._unconfirmed)} events not confirmed in {self.confirm_timeout} s")
            self._connection.drain_events(timeout=remaining)

    def keep_alive(self) -> None:
        """Read what the broker sent (heartbeats) and send ours; a broker silent for two
        heartbeats closes the connection, to be reopened by the next publish."""
        if self._connection is None:
            return
        try:
            with contextlib.suppress(socket.timeout, TimeoutError):
                self._connection.drain_events(timeout=0)
            self._connection.heartbeat_check()
        except Exception as exc:
            log.warning("event publisher connection lost (%s); it reconnects at the next event", exc)
            self.close(handshake=False)

    def close(self, handshake: bool = True) -> None:
        drop(self._connection, handshake)
        self._connection = self._channel = None
        self._declared.clear()
        self._returned.clear()
        self._unconfirmed.clear()
