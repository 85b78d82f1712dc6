"""The RPC transport: one AMQP connection carrying requests out and replies back."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from typing import Any

import amqp
import amqp.exceptions
import eventlet
import eventlet.event
from kombu import Queue

from hrss_kit.broker import RPC_EXCHANGE, HeartbeatClock, drop, keep_reading, open_consumer, reconnect
from hrss_kit.rpc_errors import RpcTimeout, rebuild_error
from hrss_kit.topology import heartbeat

DEFAULT_TIMEOUT = 5.0

log = logging.getLogger(__name__)


class _Pending:
    """One call's reply. Inside a service the caller waits on a green event (much cheaper
    than a monkey-patched ``threading.Event``); a standalone caller reads until ``done``."""

    __slots__ = ("waiter", "body", "done", "service")

    def __init__(self, green: bool, service: str = "") -> None:
        self.service = service
        self.waiter = eventlet.event.Event() if green else None
        self.body: dict[str, Any] | None = None
        self.done = False

    def finish(self, body: dict[str, Any] | None = None) -> None:
        self.body, self.done = body, True
        if self.waiter is not None and not self.waiter.ready():
            self.waiter.send(True)


class RpcTransport:
    """One AMQP connection carrying requests out and replies back.

    With ``background=True`` (inside a service, under eventlet) a green thread reads replies
    and any returned (unroutable) request; callers wait on their own event. Otherwise each
    call reads the connection itself until its reply arrives.
    """

    def __init__(self, amqp_uri: str, background: bool, heartbeat: float = 0) -> None:
        self.amqp_uri = amqp_uri
        self.background = background
        # Heartbeats need a reader: only the background reader keeps them (a standalone
        # caller reads only while it waits for a reply).
        self.heartbeat = heartbeat if background else 0
        self.reply_key = uuid.uuid4().hex
        self._pending: dict[str, _Pending] = {}
        self.last_reply: dict[str, float] = {}  # service → when it last answered (monotonic)
        self._write_lock = threading.Lock()
        self._stopped = False
        self._broken = False
        self._connect()

    @classmethod
    def for_container(cls, config: dict[str, Any]) -> RpcTransport:
        """A background transport inside a service, with the service's heartbeat."""
        return cls(config["AMQP_URI"], background=True, heartbeat=heartbeat(config))

    def _connect(self) -> None:
        """Open, declare, consume; the attributes change only once all of it succeeded."""
        queue = Queue(
            f"rpc.reply-hrss-{self.reply_key}",
            exchange=RPC_EXCHANGE,
            routing_key=self.reply_key,
            auto_delete=True,
            exclusive=True,
        )
        connection, channel, _ = open_consumer(
            self.amqp_uri, queue, self._on_reply, no_ack=True, heartbeat=self.heartbeat
        )
        channel.events["basic_return"].add(self._on_return)
        self.connection, self.channel = connection, channel
        self._heartbeat = HeartbeatClock(connection, self._write_lock)
        if self.background and not hasattr(self, "_reader"):
            self._reader = eventlet.spawn(self._read_forever)

    def _on_reply(self, message: amqp.Message) -> None:
        pending = self._pending.pop(message.properties.get("correlation_id"), None)
        if pending is not None:
            self.last_reply[pending.service] = time.monotonic()
            try:
                pending.finish(json.loads(message.body))
            except ValueError:
                pending.finish()  # not JSON: treated as no answer

    def heard_from(self, service: str, within: float) -> bool:
        """Whether ``service`` answered a call on this transport in the last ``within`` seconds."""
        return time.monotonic() - self.last_reply.get(service, float("-inf")) < within

    def _on_return(self, _exc: Any, _exchange: Any, _routing_key: Any, message: amqp.Message) -> None:
        # Nobody consumes that routing key: no such service is running. Fail fast.
        pending = self._pending.pop(message.properties.get("correlation_id"), None)
        if pending is not None:
            pending.finish()

    def _read_forever(self) -> None:
        """The one reader of the connection (background mode), reconnecting as long as needed."""
        keep_reading(
            lambda: self.connection,
            lambda: self._heartbeat,
            lambda: self._stopped,
            self._reconnect,
            "RPC reply connection",
        )

    def _reconnect(self) -> None:
        self._fail_all()
        drop(self.connection, handshake=False)  # it is dead: no close handshake to wait on
        reconnect(self._connect, lambda: self._stopped, "RPC reply connection")

    def _fail_all(self) -> None:
        pending, self._pending = self._pending, {}
        for p in pending.values():
            p.finish()

    def call(
        self,
        service: str,
        method: str,
        kwargs: dict[str, Any],
        timeout: float = DEFAULT_TIMEOUT,
        headers: dict[str, Any] | None = None,
    ) -> Any:
        if self._broken and not self.background:
            drop(self.connection, handshake=False)
            self._broken = False
            self._connect()
        correlation_id = uuid.uuid4().hex
        pending = self._pending[correlation_id] = _Pending(self.background, service)
        try:
            # Not persistent: a request lost with a broker restart ends as the caller's timeout.
            request = amqp.Message(
                json.dumps({"args": [], "kwargs": kwargs}),
                content_type="application/json",
                content_encoding="utf-8",
                correlation_id=correlation_id,
                reply_to=self.reply_key,
                # The broker drops a request still queued when its caller has given up, rather
                # than let it run late (the caller already answered 503): a relative TTL, so
                # no two hosts' clocks are compared.
                expiration=str(max(1, int(timeout * 1000))),
                application_headers=headers or {},
                delivery_mode=1,
            )
            with self._write_lock:
                self.channel.basic_publish(
                    request, exchange=RPC_EXCHANGE.name, routing_key=f"{service}.{method}", mandatory=True
                )
            if self.background:
                pending.waiter.wait(timeout)  # type: ignore[union-attr]
            else:
                self._read_until(pending, timeout)
        except (OSError, amqp.exceptions.AMQPError) as exc:
            # The broker connection failed: unavailable now, reconnected for the next call.
            self._broken = True
            raise RpcTimeout(service, method) from exc
        finally:
            self._pending.pop(correlation_id, None)
        if pending.body is None:
            raise RpcTimeout(service, method)
        if pending.body.get("error"):
            raise rebuild_error(pending.body["error"])
        return pending.body.get("result")

    def _read_until(self, pending: _Pending, timeout: float) -> None:

        deadline = time.monotonic() + timeout
        while not pending.done:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            try:
                self.connection.drain_events(timeout=min(left, 1.0))
            except TimeoutError:
                continue

    def close(self) -> None:
        self._stopped = True
        if self.background:
            self._reader.kill()  # before the close handshake reads the socket itself
        drop(self.connection, handshake=self.background)  # a standalone caller has no green timeout
