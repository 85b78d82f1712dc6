"""A confirmed, ``mandatory`` publisher: the broker says whether each event reached a queue.

Used by the outbox relay and by replays of the event log. One green thread owns it (it reads
its own connection for confirms, returns and heartbeats), so nothing else may use it.
"""

from __future__ import annotations

import contextlib
import logging
import socket
from typing import Any

import amqp
import kombu

from hrss_kit.broker import drop
from hrss_kit.topology import DEFAULT_HEARTBEAT, declare_exchange

log = logging.getLogger(__name__)


class Unroutable(Exception):
    """No queue is bound for the event: nobody consumes it (yet)."""


class ConfirmedPublisher:
    """Publishes persistent messages with ``mandatory`` and waits for each confirm.

    RabbitMQ sends ``basic.return`` before the ``basic.ack`` of an unroutable mandatory
    message, so once the ack is in we know whether the message was returned.
    """

    def __init__(self, amqp_uri: str, heartbeat: float = DEFAULT_HEARTBEAT, confirm_timeout: float = 10) -> None:
        self.amqp_uri, self.heartbeat, self.confirm_timeout = amqp_uri, heartbeat, confirm_timeout
        self._connection: kombu.Connection | None = None
        self._channel: Any = None
        self._declared: set[str] = set()
        self._returned: set[str] = set()

    def _ensure_channel(self) -> Any:
        if self._channel is None:
            connection = kombu.Connection(self.amqp_uri, heartbeat=self.heartbeat)
            try:
                connection.connect()
                channel = connection.channel()
                channel.confirm_select()
                channel.events["basic_return"].add(self._on_return)
            except Exception:
                drop(connection, handshake=False)
                raise
            self._connection, self._channel = connection, channel
        return self._channel

    def _on_return(self, _exc: Any, _exchange: Any, _routing_key: Any, message: amqp.Message) -> None:
        self._returned.add(message.properties.get("message_id", ""))

    def publish(self, body: str, exchange: kombu.Exchange, routing_key: str, message_id: str) -> None:
        """Returns once the broker has the message in at least one queue; raises
        ``Unroutable`` when no queue is bound, anything else when the broker failed."""
        channel = self._ensure_channel()
        try:
            if exchange.name not in self._declared:
                declare_exchange(channel, exchange)
                self._declared.add(exchange.name)
            message = amqp.Message(
                body,
                content_type="application/json",
                content_encoding="utf-8",
                delivery_mode=2,
                message_id=message_id,
            )
            channel.basic_publish_confirm(
                message,
                exchange=exchange.name,
                routing_key=routing_key,
                mandatory=True,
                # A broker that stops confirming (a resource alarm) must not hold the relay,
                # and on Postgres its row locks, for ever: fail, back off, try again.
                confirm_timeout=self.confirm_timeout,
                timeout=self.confirm_timeout,
            )
        except Exception:
            self.close(handshake=False)
            raise
        if message_id in self._returned:
            self._returned.discard(message_id)
            raise Unroutable(routing_key)

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
