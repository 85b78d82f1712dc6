"""RPC: nameko's wire protocol, with timeouts on every call and catalogue errors rebuilt.

Server side, ``rpc`` marks a service method as callable (``rpc_server``: nameko's protocol,
replies without publisher confirms; a lost reply ends as the caller's timeout, never a wrong
answer). Events, by contrast, always go out confirmed (``outbox``).

Client side, ``ServiceRpc`` is a dependency whose calls all have a timeout, sharing one
transport per container: one connection, one reply queue, a green thread that reads replies.
``StandaloneRpc`` speaks the same protocol from a plain (non-eventlet) program.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

import eventlet
import kombu
from kombu import Exchange

from hrss_contracts.errors import CATALOGUE, CatalogueError

log = logging.getLogger(__name__)

RPC_EXCHANGE = Exchange("nameko-rpc", type="topic", durable=True)
DEFAULT_TIMEOUT = 5.0
# Epoch seconds after which the caller no longer waits for the answer.
DEADLINE_HEADER = "hrss.deadline"


def reader_owned_connection(amqp_uri: str) -> kombu.Connection:
    """A connection on which only one green thread reads; the others only write.

    py-amqp's ``basic_publish`` reads the socket itself (``drain_events(timeout=0)``) when
    the connection negotiated ``connection.blocked``: a publishing worker could then take a
    frame meant for the reader and run its callback while holding the write lock. Turning the
    flag off after the handshake keeps publishes write-only; a blocked broker simply stops
    reading, and our writes wait.
    """
    connection = kombu.Connection(amqp_uri, heartbeat=0)
    connection.connect()
    connection.connection.client_properties.setdefault("capabilities", {})["connection.blocked"] = False
    return connection


def open_consumer(
    amqp_uri: str, queue: kombu.Queue, callback: Callable[[Any], None], prefetch: int = 0, no_ack: bool = False
) -> tuple[kombu.Connection, Any, str]:
    """A reader-owned connection whose py-amqp channel consumes ``queue`` into ``callback``.

    py-amqp's channel directly: kombu's Producer and Consumer cost more CPU per message than
    the rest of an RPC, and nothing they add is needed. Nothing is left open on failure.
    """
    connection = reader_owned_connection(amqp_uri)
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
        if code in CATALOGUE:  # a code from a newer catalogue than ours is an unknown error
            return CatalogueError(code, fields, params)
    return RemoteError(f"{error.get('exc_type')}: {error.get('value')}")


def rpc(fn: Callable[..., Any] | None = None, **kwargs: Any) -> Any:
    """``@rpc`` for service methods; catalogue errors are expected (logged as outcomes)."""
    from hrss_kit.rpc_server import KitRpc  # here, not above: rpc_server imports this module

    kwargs.setdefault("expected_exceptions", CatalogueError)
    if fn is None:
        return KitRpc.decorator(**kwargs)
    return KitRpc.decorator(**kwargs)(fn)
