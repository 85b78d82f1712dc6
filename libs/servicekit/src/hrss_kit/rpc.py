"""RPC: nameko's wire protocol, with timeouts on every call and catalogue errors rebuilt.

Server side, ``rpc`` marks a service method as callable (``rpc_server``: nameko's protocol,
replies without publisher confirms; a lost reply ends as the caller's timeout, never a wrong
answer). Events, by contrast, always go out confirmed (``outbox``).

Client side, ``ServiceRpc`` is a dependency whose calls all have a timeout, sharing one
transport per container: one connection, one reply queue, a green thread that reads replies.
``StandaloneRpc`` speaks the same protocol from a plain (non-eventlet) program.

**RPC is at least once.** A request whose server loses its broker connection mid-call is
requeued and may run again, here or on another replica, while the first run goes on. So a
method that writes is declared ``@rpc(idempotent=True)``: every call carries an idempotency
key derived from the caller's own request (``rpc_client``), and a repeat of a key waits for
and returns the first run's answer (``idempotency``). A request's deadline travels as a
relative time-to-live that the broker enforces (the AMQP ``expiration``), never as one
host's clock: a request still queued when its caller has given up is dropped, not run late.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hrss_contracts.errors import CatalogueError
from hrss_kit.broker import RPC_EXCHANGE, reader_owned_connection
from hrss_kit.errors import unavailable_as_catalogue
from hrss_kit.idempotency import once_per_key
from hrss_kit.rpc_errors import RemoteError, RpcTimeout, rebuild_error
from hrss_kit.rpc_server import KitRpc
from hrss_kit.rpc_transport import DEFAULT_TIMEOUT

__all__ = [
    "DEFAULT_TIMEOUT",
    "RPC_EXCHANGE",
    "RemoteError",
    "RpcTimeout",
    "reader_owned_connection",
    "rebuild_error",
    "rpc",
]


def rpc(fn: Callable[..., Any] | None = None, *, idempotent: bool | str = False, **kwargs: Any) -> Any:
    """``@rpc`` for service methods; catalogue errors are expected (logged as outcomes).

    A Redis, database or broker failure inside the method leaves as SERVICE_UNAVAILABLE
    (``hrss_kit.errors.is_unavailable``), so the caller answers 503, not 500.
    ``idempotent=True`` (every method that writes): a repeated idempotency key returns the
    first answer instead of running again; the service needs a ``Database`` named ``db``.
    ``idempotent="redis"``: the same, the answers kept in the service's ``Redis`` named
    ``redis`` (for a method whose effects are all in Redis: two Redis round trips a call
    instead of two database statements).
    """
    kwargs.setdefault("expected_exceptions", CatalogueError)

    def decorate(method: Callable[..., Any]) -> Any:
        body = once_per_key(method, "redis" if idempotent == "redis" else "database") if idempotent else method
        return KitRpc.decorator(**kwargs)(unavailable_as_catalogue(body))

    return decorate if fn is None else decorate(fn)
