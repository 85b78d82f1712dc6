"""RPC: nameko's wire protocol, with timeouts on every call and catalogue errors rebuilt.

Server side, ``rpc`` is nameko's entrypoint with one change: replies are published without
publisher confirms on a long-lived connection. A confirm costs a broker round trip per reply;
a reply lost without one makes the caller time out (503), it never makes it wrong. Events,
by contrast, always go out confirmed (``outbox``).

Client side, ``ServiceRpc`` is a dependency whose calls all have a timeout, sharing one
transport per container: one connection, one reply queue, a green thread that reads replies.
``StandaloneRpc`` speaks the same protocol from a plain (non-eventlet) program.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

import amqp
import kombu
from kombu import Exchange
from nameko.exceptions import serialize
from nameko.rpc import Rpc, RpcConsumer

from hrss_contracts.errors import CatalogueError

log = logging.getLogger(__name__)

RPC_EXCHANGE = Exchange("nameko-rpc", type="topic", durable=True)
DEFAULT_TIMEOUT = 5.0


class RpcTimeout(CatalogueError):
    """The service did not answer in time, or no such service is running (503)."""

    def __init__(self, service: str = "", method: str = "") -> None:
        super().__init__("SERVICE_UNAVAILABLE", params={})
        self.service, self.method = service, method

    def __str__(self) -> str:
        return f"SERVICE_UNAVAILABLE: {self.service}.{self.method} did not answer"


class RemoteError(Exception):
    """An unexpected exception inside the called service (a bug there: 500 here)."""


# Exceptions that cross RPC as themselves: ``args`` are ``(code, fields, params)``.
CATALOGUE_ERROR_PATHS = {"hrss_contracts.errors.CatalogueError", "hrss_kit.rpc.RpcTimeout"}


def rebuild_error(error: dict[str, Any]) -> Exception:
    """Turn nameko's serialised exception back into the exception the caller can handle."""
    if error.get("exc_path") in CATALOGUE_ERROR_PATHS:
        code, fields, params = (list(error.get("exc_args") or []) + [None, None, None])[:3]
        return CatalogueError(code, fields, params)
    return RemoteError(f"{error.get('exc_type')}: {error.get('value')}")


class _ReplyingConsumer(RpcConsumer):  # type: ignore[misc]
    """Sends RPC replies on one connection, without confirms (see module docstring)."""

    def setup(self) -> None:
        super().setup()
        self._reply_lock = threading.Lock()
        self._reply_conn: kombu.Connection | None = None
        self._reply_channel: Any = None

    def stop(self) -> None:
        super().stop()
        if self._reply_conn is not None:
            self._reply_conn.release()

    def _channel(self) -> Any:
        if self._reply_channel is None:
            self._reply_conn = kombu.Connection(self.container.config["AMQP_URI"], heartbeat=0)
            self._reply_conn.connect()
            self._reply_channel = self._reply_conn.channel()
        return self._reply_channel

    def handle_result(self, message: Any, result: Any, exc_info: Any) -> Any:
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
        with self._reply_lock:
            for attempt in (1, 2):
                try:
                    self._channel().basic_publish(
                        reply, exchange=RPC_EXCHANGE.name, routing_key=message.properties["reply_to"]
                    )
                    break
                except Exception:
                    self._reply_channel = None  # the connection broke: reconnect once
                    if attempt == 2:
                        raise
        self.queue_consumer.ack_message(message)
        return result, exc_info


class ServiceRpcEntrypoint(Rpc):  # type: ignore[misc]
    rpc_consumer = _ReplyingConsumer()


def rpc(fn: Callable[..., Any] | None = None, **kwargs: Any) -> Any:
    """``@rpc`` for service methods; catalogue errors are expected (logged as outcomes)."""
    kwargs.setdefault("expected_exceptions", CatalogueError)
    if fn is None:
        return ServiceRpcEntrypoint.decorator(**kwargs)
    return ServiceRpcEntrypoint.decorator(**kwargs)(fn)
