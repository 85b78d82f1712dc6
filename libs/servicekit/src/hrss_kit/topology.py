"""Where events go: exchanges, the consumers' queues and their bindings.

Queues exist before events do (DESIGN): a consuming service declares its queues when it
starts, when it is deployed (``hrss-migrate --amqp-uri``) and before its catch-up asks for a
replay (``catchup``), and the relay publishes ``mandatory``, so an event nobody consumes
stays in the log instead of vanishing.

Each consumer queue has two bindings: the publisher's event exchange (``<source>.events``,
routing key = event type), as nameko's ``event_handler`` binds it, and the replay exchange
(routing key ``<consumer service>.<source>.<event type>``), through which a publisher re-sends
its event log to one consumer only (``hrssctl events replay-log``, and a consumer's catch-up).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
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


def declare_queues(amqp_uri: str, queues: Iterable[Queue]) -> None:
    """Declare ``queues`` with their bindings (and exchanges) on a connection of their own.

    Short-lived and never read from, so without heartbeats (nothing would answer them).
    """
    with kombu.Connection(amqp_uri, heartbeat=0) as connection:
        channel = connection.channel()
        for queue in queues:
            queue(channel).declare()
        with contextlib.suppress(Exception):
            channel.close()


def declare_exchange(channel: Any, exchange: Exchange) -> None:
    exchange(channel).declare()
