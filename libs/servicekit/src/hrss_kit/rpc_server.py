"""The server side of the kit's ``rpc``: a service's RPC queue on a channel of its own.

nameko's stock path hands each request through kombu's consumer, a green thread of the
queue consumer and then the worker's; replies go out with a publisher confirm each. Here a
request goes from py-amqp's channel straight to ``spawn_worker``, and the reply and the ack
leave on the same channel with no confirm. The wire protocol is nameko's, so nameko's own
proxies can call these services and the kit's client can call stock nameko services.

Trade-off: a reply lost without a confirm (or a request, which is sent transient) ends as
the caller's timeout, a 503; it never gives a wrong answer. Events never take this path.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from functools import partial
from typing import Any

import amqp
import kombu
from kombu import Queue
from nameko.exceptions import ContainerBeingKilled, MalformedRequest, MethodNotFound, serialize
from nameko.extensions import Entrypoint, ProviderCollector, SharedExtension

from hrss_kit.broker import RPC_EXCHANGE, HeartbeatClock, drop, keep_reading, open_consumer, reconnect
from hrss_kit.topology import heartbeat

CALLER_TIMEOUT = "caller_timeout"  # seconds the caller waits: the worker's context data

log = logging.getLogger(__name__)
HEADER_PREFIX = "nameko."


class RpcServer(SharedExtension, ProviderCollector):  # type: ignore[misc]
    """Consumes ``rpc-<service>`` (bound to ``<service>.*``), as nameko's RPC consumer does."""

    def setup(self) -> None:
        self.service = self.container.service_name
        self._write_lock = threading.Lock()
        self._stopping = False
        self.channel: Any = None
        self.connection: kombu.Connection | None = None

    def start(self) -> None:
        if self.connection is None:
            self._connect()
            self._reader = self.container.spawn_managed_thread(self._read, identifier="rpc-server")

    def _connect(self) -> None:
        """Open, declare, consume; the attributes change only once all of it succeeded."""
        queue = Queue(f"rpc-{self.service}", exchange=RPC_EXCHANGE, routing_key=f"{self.service}.*", durable=True)
        connection, self.channel, self.consumer_tag = open_consumer(
            self.container.config["AMQP_URI"],
            queue,
            self._on_request,
            prefetch=self.container.max_workers,
            heartbeat=heartbeat(self.container.config),
        )
        self.connection, self._heartbeat = connection, HeartbeatClock(connection, self._write_lock)

    def _read(self) -> None:
        keep_reading(
            lambda: self.connection,
            lambda: self._heartbeat,
            lambda: self._stopping,
            self._reconnect,
            "RPC server connection",
        )

    def _reconnect(self) -> None:
        # Requests in hand cannot be answered on a dead channel; the broker requeues them.
        with self._write_lock:
            self.channel = None
        drop(self.connection, handshake=False)  # it is dead: no close handshake to wait on
        reconnect(self._connect, lambda: self._stopping, "RPC server")

    def _on_request(self, message: amqp.Message) -> None:
        # Runs inside the reader: whatever goes wrong with one request must not look like a
        # lost connection, so nothing may escape.
        try:
            self._dispatch(message)
        except Exception:
            log.exception("RPC request could not be handled; rejected")
            self._settle(message, requeue=False)

    def _dispatch(self, message: amqp.Message) -> None:
        method = message.delivery_info["routing_key"].rsplit(".", 1)[-1]
        provider = next((p for p in self._providers if p.method_name == method), None)
        if provider is None and not self._providers:
            self._settle(message, requeue=True)  # stopping: another replica, or our restart, answers
            return
        try:
            if provider is None:
                raise MethodNotFound(method)
            body = json.loads(message.body)
            if not isinstance(body, dict) or "args" not in body or "kwargs" not in body:
                raise MalformedRequest("Message missing `args` or `kwargs`")
            provider.check_signature(body["args"], body["kwargs"])
        except Exception as exc:
            self._reply(message, None, None, (type(exc), exc, None))
            return
        # A request its caller stopped waiting for never gets here: its ``expiration`` (the
        # caller's timeout, relative) made the broker drop it from the queue.
        headers = message.properties.get("application_headers") or {}
        context = {k[len(HEADER_PREFIX) :]: v for k, v in headers.items() if k.startswith(HEADER_PREFIX)}
        context.pop(CALLER_TIMEOUT, None)  # ours to set, never a header's
        expiration = message.properties.get("expiration")
        if expiration and str(expiration).isdigit():  # the caller's timeout, in ms (relative)
            context[CALLER_TIMEOUT] = min(max(int(expiration) / 1000, 0.5), 3600.0)
        try:
            self.container.spawn_worker(
                provider,
                body["args"],
                body["kwargs"],
                context_data=context,
                handle_result=partial(self._reply, message),
            )
        except ContainerBeingKilled:
            self._settle(message, requeue=True)

    def _settle(self, message: amqp.Message, requeue: bool) -> None:
        with self._write_lock, contextlib.suppress(Exception):
            if message.channel is self.channel:
                self.channel.basic_reject(message.delivery_tag, requeue=requeue)

    def _reply(self, message: amqp.Message, _worker_ctx: Any, result: Any, exc_info: Any) -> Any:
        """nameko's ``handle_result``: must never raise, or nameko kills the container."""
        error = serialize(exc_info[1]) if exc_info is not None else None
        try:
            body = json.dumps({"result": result, "error": error})
        except (TypeError, ValueError):
            body = json.dumps({"result": None, "error": serialize(TypeError("unserialisable result"))})
        reply = amqp.Message(
            body,
            content_type="application/json",
            content_encoding="utf-8",
            correlation_id=message.properties.get("correlation_id"),
        )
        reply_to = message.properties.get("reply_to")
        with self._write_lock:
            # Only on the channel the request came on: after a reconnect the broker requeued it.
            if message.channel is not self.channel:
                return result, exc_info
            try:
                if reply_to:
                    self.channel.basic_publish(reply, exchange=RPC_EXCHANGE.name, routing_key=reply_to)
                self.channel.basic_ack(message.delivery_tag)
            except Exception:
                log.warning("RPC reply not sent (connection lost); the request is requeued", exc_info=True)
        return result, exc_info

    def unregister_provider(self, provider: Any) -> None:
        super().unregister_provider(provider)
        if not self._providers and self.channel is not None:
            # The last entrypoint stopped: take no more requests; the ones in hand finish.
            # (nowait: only the reader green thread may read this socket.)
            with self._write_lock, contextlib.suppress(Exception):
                self.channel.basic_cancel(self.consumer_tag, nowait=True)

    def stop(self) -> None:
        # The reader must be gone before the close handshake reads the socket itself.
        self._stopping = True
        if self.connection is not None:
            self._reader.kill()
            drop(self.connection)  # the broker may be gone already
            self.connection = None
        super().stop()

    def kill(self) -> None:
        self.stop()


class KitRpc(Entrypoint):  # type: ignore[misc]
    server = RpcServer()

    def setup(self) -> None:
        self.server.register_provider(self)

    def stop(self) -> None:
        self.server.unregister_provider(self)
        super().stop()
