"""Deploy-time set-up on the broker: a consuming service's queues exist before any producer
publishes (``hrss-migrate --amqp-uri``, and ``hrssctl platform run`` before it starts anything)."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator

from hrss_kit.inbox import ReliableEventHandler
from hrss_kit.topology import consumer_queue, declare_queues


def subscriptions(service_cls: type) -> Iterator[tuple[str, str, str]]:
    """``(method, source, event_type)`` of each reliable handler of a nameko service class."""
    for method, member in inspect.getmembers(service_cls, callable):
        for entrypoint in getattr(member, "nameko_entrypoints", ()):
            if isinstance(entrypoint, ReliableEventHandler):
                yield method, entrypoint.source_service, entrypoint.event_type


def declare_consumer_queues(service_cls: type, amqp_uri: str) -> list[str]:
    """Declare every queue ``service_cls`` consumes, with its bindings; returns their names.

    Run at deploy time, before any producer starts, so no event committed from then on can
    find its consumer's queue missing.
    """
    name = service_cls.name  # type: ignore[attr-defined]
    queues = [
        consumer_queue(name, method, source, event_type) for method, source, event_type in subscriptions(service_cls)
    ]
    declare_queues(amqp_uri, queues)
    return [queue.name for queue in queues]


def service_class(package: str) -> type | None:
    """The nameko service class of a service package laid out as the house does
    (``<package>.entrypoints.service``), or None when it has none."""
    try:
        module = importlib.import_module(f"{package}.entrypoints.service")
    except ModuleNotFoundError:
        return None
    for _, member in inspect.getmembers(module, inspect.isclass):
        if member.__module__ == module.__name__ and isinstance(getattr(member, "name", None), str):
            return member
    return None
