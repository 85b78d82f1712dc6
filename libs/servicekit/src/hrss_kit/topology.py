"""Where events go: exchanges, the consumers' queues and their bindings.

Queues exist before events do (DESIGN): a consuming service declares its queues when it
starts and when it is deployed (``hrss-migrate --amqp-uri``), and the relay publishes
``mandatory``, so an event nobody consumes stays in the log instead of vanishing.

Each consumer queue has two bindings: the publisher's event exchange (``<source>.events``,
routing key = event type), as nameko's ``event_handler`` binds it, and the replay exchange
(routing key ``<consumer service>.<source>.<event type>``), through which a publisher re-sends
its event log to one consumer only (``hrssctl events replay-log``, and a consumer's catch-up).
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Iterator
from typing import Any

import kombu
from kombu import Exchange, Queue, binding

# Seconds; a silent broker is noticed within two of them (AMQP heartbeats).
DEFAULT_HEARTBEAT = 15.0
HEARTBEAT_KEY = "HEARTBEAT"  # nameko's own key: its consumers use the same value

REPLAY_EXCHANGE = Exchange("hrss.replay", type="topic", durable=True, delivery_mode=2)


def heartbeat(config: dict[str, Any]) -> float:
    return float(config.get(HEARTBEAT_KEY, DEFAULT_HEARTBEAT))


def event_exchange(source: str) -> Exchange:
    """The exchange nameko's ``event_handler`` binds to; declared exactly as nameko does."""
    return Exchange(f"{source}.events", type="topic", durable=True, delivery_mode=2, auto_delete=None)


def replay_key(consumer_service: str, source: str, event_type: str) -> str:
    return f"{consumer_service}.{source}.{event_type}"


def consumer_queue(service: str, method: str, source: str, event_type: str) -> Queue:
    """The durable queue of ``service.method`` for ``source``'s ``event_type``, with both bindings.

    The name is nameko's (``evt-<source>-<type>--<service>.<method>``), so a service moving to
    the kit keeps its queue and whatever waits in it.
    """
    return Queue(
        f"evt-{source}-{event_type}--{service}.{method}",
        bindings=[
            binding(event_exchange(source), routing_key=event_type),
            binding(REPLAY_EXCHANGE, routing_key=replay_key(service, source, event_type)),
        ],
        durable=True,
        auto_delete=False,
    )


def subscriptions(service_cls: type) -> Iterator[tuple[str, str, str]]:
    """``(method, source, event_type)`` of each reliable handler of a nameko service class."""
    from hrss_kit.inbox import ReliableEventHandler

    for method, member in inspect.getmembers(service_cls, callable):
        for entrypoint in getattr(member, "nameko_entrypoints", ()):
            if isinstance(entrypoint, ReliableEventHandler):
                yield method, entrypoint.source_service, entrypoint.event_type


def declare_exchange(channel: Any, exchange: Exchange) -> None:
    exchange(channel).declare()


def declare_consumer_queues(service_cls: type, amqp_uri: str) -> list[str]:
    """Declare every queue ``service_cls`` consumes, with its bindings; returns their names.

    Run at deploy time, before any producer starts, so no event committed from then on can
    find its consumer's queue missing.
    """
    names = []
    with kombu.Connection(amqp_uri, heartbeat=0) as connection:
        channel = connection.channel()
        for method, source, event_type in subscriptions(service_cls):
            queue = consumer_queue(service_cls.name, method, source, event_type)  # type: ignore[attr-defined]
            queue(channel).declare()
            names.append(queue.name)
        with contextlib.suppress(Exception):
            channel.close()
    return names
