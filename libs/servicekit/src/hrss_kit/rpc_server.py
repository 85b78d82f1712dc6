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
import eventlet
import kombu
from kombu import Queue
from nameko.exceptions import ContainerBeingKilled, MalformedRequest, MethodNotFound, serialize
from nameko.extensions import Entrypoint, ProviderCollector, SharedExtension

from hrss_kit.rpc import RPC_EXCHANGE, reader_owned_connection

log = logging.getLogger(__name__)
HEADER_PREFIX = "nameko."


class RpcServer(SharedExtension, ProviderCollector):  # type: ignore[misc]
    """Consumes ``rpc-<service>`` (bound to ``<service>.*``), as nameko's RPC consumer does."""

    def setup(self) -> None:
        self.service = self.container.service_name
        self._write_lock = threading.Lock()
        self._ready = eventlet.event.Event()
        self._stopping = False
        self.channel: Any = None
        self.connection: kombu.Connection | None = None

    def start(self) -> None:
        if self.connection is None:
            self._connect()
            self._reader = self.container.spawn_managed_thread(self._read, identifier="rpc-server")

    def _connect(self) -> None:
        self.connection = reader_owned_connection(self.container.config["AMQP_URI"])
        self.channel = self.connection.channel()
        Queue(f"rpc-{self.service}", exchange=RPC_EXCHANGE, routing_key=f"{self.service}.*", durable=True)(
            self.channel
        ).declare()
        self.channel.basic_qos(0, self.container.max_workers, False)
        self.consumer_tag = self.channel.basic_consume(queue=f"rpc-{self.service}", callback=self._on_request)

    def _read(self) -> None:
        while not self._stopping:
            try:
                self.connection.drain_events(timeout=1)  # type: ignore[union-attr]
            except TimeoutError:
                continue
            except Exception:
                if self._stopping:
                    return
                log.warning("RPC server connection lost; reconnecting", exc_info=True)
                eventlet.sleep(1)
                try:
                    self._connect()
                except Exception:
                    log.exception("RPC server reconnect failed")

    def _on_request(self, message: amqp.Message) -> None:
        method = message.delivery_info["routing_key"].rsplit(".", 1)[-1]
        provider = next((p for p in self._providers if p.method_name == method), None)
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
        headers = message.properties.get("application_headers") or {}
        context = {k[len(HEADER_PREFIX) :]: v for k, v in headers.items() if k.startswith(HEADER_PREFIX)}
        try:
            self.container.spawn_worker(
                provider,
                body["args"],
                body["kwargs"],
                context_data=context,
                handle_result=partial(self._reply, message),
            )
        except ContainerBeingKilled:
            with self._write_lock:
                self.channel.basic_reject(message.delivery_tag, requeue=True)

    def _reply(self, message: amqp.Message, _worker_ctx: Any, result: Any, exc_info: Any) -> Any:
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
        with self._write_lock:
            # The channel the request came on: after a reconnect the broker has requeued it.
            if message.channel is self.channel:
                self.channel.basic_publish(
                    reply, exchange=RPC_EXCHANGE.name, routing_key=message.properties["reply_to"]
                )
                self.channel.basic_ack(message.delivery_tag)
        return result, exc_info

    def unregister_provider(self, provider: Any) -> None:
        super().unregister_provider(provider)
        if not self._providers and self.channel is not None:
            # The last entrypoint stopped: take no more requests; the ones in hand finish.
            # (nowait: only the reader green thread may read this socket.)
            with self._write_lock:
                self.channel.basic_cancel(self.consumer_tag, nowait=True)

    def stop(self) -> None:
        # The reader must be gone before the close handshake reads the socket itself.
        self._stopping = True
        if self.connection is not None:
            self._reader.kill()
            with contextlib.suppress(Exception):  # the broker may be gone already
                self.connection.release()
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
