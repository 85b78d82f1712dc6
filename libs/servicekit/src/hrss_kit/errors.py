"""Translate a service's domain errors, and failures of its infrastructure, into catalogue errors,
once, at the entrypoint."""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from typing import Any

import amqp.exceptions
import kombu.exceptions
import psycopg2
import redis.exceptions
import sqlalchemy.exc
from marshmallow import ValidationError

from hrss_contracts.errors import CatalogueError
from hrss_contracts.schema import field_errors

__all__ = ["field_errors", "is_unavailable", "translate_errors", "unavailable_as_catalogue", "validation_failed"]

log = logging.getLogger(__name__)

Translation = Callable[[Exception], CatalogueError]


def validation_failed(exc: Exception) -> CatalogueError:
    assert isinstance(exc, ValidationError)
    return CatalogueError("VALIDATION_FAILED", fields=field_errors(exc.messages))


def translate_errors(table: dict[type[Exception], Translation]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate entrypoints: an exception whose type is in ``table`` (or a subclass) leaves as
    the catalogue error it maps to; ``ValidationError`` always leaves as VALIDATION_FAILED."""
    full: dict[type[Exception], Translation] = {ValidationError: validation_failed, **table}

    def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except tuple(full) as exc:
                for kind, translate in full.items():
                    if isinstance(exc, kind):
                        raise translate(exc) from exc
                raise

        return wrapper

    return decorator


# Failures of what a service stands on (Redis, its database, the broker), not of the request:
# the caller is told SERVICE_UNAVAILABLE (503, retry later), never INTERNAL_ERROR (500).
_UNAVAILABLE: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError,  # refused, reset, loading, authentication
    redis.exceptions.TimeoutError,
    redis.exceptions.OutOfMemoryError,  # at its memory limit (noeviction): refuses writes
    redis.exceptions.ReadOnlyError,  # a replica, after a failover
    sqlalchemy.exc.OperationalError,  # server gone or refusing, deadlock, statement cancelled
    sqlalchemy.exc.InterfaceError,  # the driver lost its connection
    sqlalchemy.exc.TimeoutError,  # the pool had no connection to give in time
    sqlalchemy.exc.DisconnectionError,
    # The driver's own, where SQLAlchemy does not wrap it: resetting a pooled connection's
    # isolation level on a server that just restarted raised a bare psycopg2 error (a 500 in
    # `make faults`' Postgres restart).
    psycopg2.OperationalError,
    psycopg2.InterfaceError,
    amqp.exceptions.ConnectionError,
    kombu.exceptions.OperationalError,
    ConnectionError,  # a socket refused, reset or broken under any client
    TimeoutError,  # socket.timeout
)


def is_unavailable(exc: BaseException) -> bool:
    """True when ``exc``, or an exception it was raised from or while handling, means a
    backing service cannot be reached now (``_UNAVAILABLE``, or a database error SQLAlchemy
    marked as an invalidated connection)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and not isinstance(current, CatalogueError):
        seen.add(id(current))
        if isinstance(current, _UNAVAILABLE):
            return True
        if isinstance(current, sqlalchemy.exc.DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, redis.exceptions.ResponseError) and str(current).startswith("MISCONF"):
            return True  # its snapshots fail, so it refuses writes
        current = current.__cause__ or current.__context__
    return False


def unavailable_as_catalogue(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate an entrypoint: an infrastructure failure leaves as SERVICE_UNAVAILABLE, which
    crosses RPC as itself (a 503 at the gateway); the cause is logged here, where it is known."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            log.warning("%s: unavailable infrastructure (%s: %s)", fn.__qualname__, type(exc).__name__, exc)
            raise CatalogueError("SERVICE_UNAVAILABLE") from exc

    # nameko checks a request's arguments against the signature (``inspect.getcallargs``,
    # which ignores ``__wrapped__``): keep the method's own, so a bad call is refused unrun.
    wrapper.__signature__ = inspect.signature(fn)  # type: ignore[attr-defined]
    return wrapper
