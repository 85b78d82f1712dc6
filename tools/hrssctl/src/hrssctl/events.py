"""``hrssctl events tail|failed|replay``: the event bus as the agency system sees it."""

from __future__ import annotations

import json
import sys
import uuid
from typing import Any, TextIO

import kombu
from kombu import Queue, binding

from hrss_contracts.masking import mask_document_number, mask_id_numbers_in_text
from hrss_kit.rpc_client import StandaloneRpc
from hrss_kit.topology import event_exchange

# The fields that hold a person's document number (of any 证件类型): masked by name, since a
# passport's or a permit's number has no shape the text masking would know.
DOCUMENT_FIELDS = frozenset({"id_number", "legal_rep_id", "clerk_id_number"})


def format_event(envelope: dict[str, Any]) -> str:
    """One line: time, type, source, aggregate id, data (document numbers masked)."""
    data = envelope.get("data", {})
    if isinstance(data, dict):
        data = {
            k: mask_document_number(v) if k in DOCUMENT_FIELDS and isinstance(v, str) else v for k, v in data.items()
        }
    data = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return mask_id_numbers_in_text(
        f"{envelope.get('occurred_at', '-')} {envelope.get('event_type', '?')} "
        f"source={envelope.get('source', '?')} aggregate={envelope.get('aggregate_id', '?')} data={data}"
    )


def tail(
    amqp_uri: str, sources: tuple[str, ...], out: TextIO = sys.stdout, limit: int | None = None, ready: Any = None
) -> int:
    """Print every event of ``sources`` as it passes, until interrupted (or ``limit`` events).

    Its queue is its own (exclusive, deleted on exit), so tailing takes nothing from the
    services' queues.
    """
    seen = 0
    with kombu.Connection(amqp_uri, heartbeat=0) as connection:
        channel = connection.channel()
        name = f"hrssctl-tail-{uuid.uuid4().hex[:8]}"
        bindings = [binding(event_exchange(source), routing_key="#") for source in sources]
        queues = [Queue(name, bindings=bindings, exclusive=True, auto_delete=True)]

        def on_message(body: Any, message: Any) -> None:
            nonlocal seen
            seen += 1
            print(format_event(body if isinstance(body, dict) else {"data": body}), file=out, flush=True)

        with kombu.Consumer(channel, queues=queues, callbacks=[on_message], no_ack=True, accept=["json"]):
            if ready is not None:
                ready()
            while limit is None or seen < limit:
                try:
                    connection.drain_events(timeout=1)
                except TimeoutError:
                    continue
    return seen


def format_failed(row: dict[str, Any]) -> str:
    """One line per failed event, ID numbers masked wherever they are: the error text of a
    handler often quotes the event's data, and an id field may hold anything."""
    return mask_id_numbers_in_text(
        f"{row['last_failed_at']} {row['service']} {row['status']} {row['event_type']} {row['event_id']} "
        f"consumer={row['consumer']} attempts={row['attempts']} error={row['last_error']}"
    )


def failed(amqp_uri: str, services: tuple[str, ...], status: str, out: TextIO = sys.stdout) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with StandaloneRpc(amqp_uri) as rpc:
        for service in services:
            rows += rpc.service(service).failed_events(status=status)
    for row in rows:
        print(format_failed(row), file=out)
    if not rows:
        print(f"no {status} events", file=out)
    return rows


def replay(amqp_uri: str, services: tuple[str, ...], event_id: str | None, out: TextIO = sys.stdout) -> int:
    total = 0
    with StandaloneRpc(amqp_uri) as rpc:
        for service in services:
            total += rpc.service(service).replay_parked(event_id=event_id)
    print(f"{total} parked event(s) put back for retry", file=out)
    return total


# A long log takes a while to send; the publisher answers once every event is confirmed.
REPLAY_LOG_TIMEOUT = 600.0


def replay_log(
    amqp_uri: str,
    source: str,
    to: str,
    event_type: str | None = None,
    since: str | None = None,
    out: TextIO = sys.stdout,
) -> int:
    """``source``'s event log (all, one type, or from ``since``) re-sent to ``to``'s queues only;
    the exit status: 1 when no queue of ``to`` took any of the events (a misspelt name?)."""
    with StandaloneRpc(amqp_uri) as rpc:
        counts: dict[str, int] = rpc.service(source, timeout=REPLAY_LOG_TIMEOUT).replay_log(
            to=to, event_type=event_type, since=since
        )
    print(
        f"{counts['sent']} event(s) of {source} re-sent to {to}"
        + (f"; {counts['not_consumed']} of types {to} does not consume" if counts["not_consumed"] else ""),
        file=out,
    )
    if counts["not_consumed"] and not counts["sent"]:
        print(f"hrssctl: no queue of '{to}' consumes any of these events: is the name right?", file=sys.stderr)
        return 1
    return 0
