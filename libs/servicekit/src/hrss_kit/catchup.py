"""A consumer that joins late catches up by itself.

When a service starts, each ``(source, event type)`` its reliable handlers consume that its
database has no ``catch_ups`` row for is new to it: it asks the publisher, over RPC, to replay
that part of its event log to this service's queues (``OperationsMixin.replay_log``), then
records the catch-up. Events published meanwhile arrive live as well; the handlers are
idempotent and read models keep the newest sequence, so the overlap is harmless. A publisher
that is not up yet is asked again, backing off, until it answers or the service stops; the
other publishers' catch-ups do not wait for it.

Before it asks, it declares the queues of the handlers it catches up itself. nameko's queue
consumer declares them too, but at the same time and one by one, and the broker reports a
replayed event routed once *any* queue took it: a replay that came while only one of two
handlers of a type had its queue would be recorded for both, and the other would never see
the log. Declared first, every queue is there: an event committed before is in the replay,
one published after reaches the queue live.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import eventlet
from nameko.extensions import ProviderCollector, SharedExtension
from sqlalchemy import select

from hrss_kit.database import container_database
from hrss_kit.rpc_transport import RpcTransport
from hrss_kit.sql import insert_ignore
from hrss_kit.topology import declare_queues

log = logging.getLogger(__name__)
CATCH_UP_KEY = "EVENT_CATCH_UP"  # false: a service that must not replay anything (some tests)
REPLAY_TIMEOUT = 600.0


class CatchUp(SharedExtension, ProviderCollector):  # type: ignore[misc]
    def start(self) -> None:
        self._thread = None
        if self._providers and self.container.config.get(CATCH_UP_KEY, True):
            self._thread = self.container.spawn_managed_thread(self._run, identifier="event-catch-up")

    def stop(self) -> None:
        if self._thread is not None:
            self._thread.kill()  # nothing is half-written: each catch-up is recorded after it ends
        super().stop()

    kill = stop

    def _database(self) -> Any:
        return container_database(self.container)

    def subscriptions(self) -> set[tuple[str, str, str]]:
        """``(consumer, source, event type)`` of each reliable handler (consumer: service.method)."""
        return {_subscription(p) for p in self._providers}

    def pending(self) -> dict[tuple[str, str], list[Any]]:
        """``(source, event type)`` → the handlers (entrypoints) that have never caught up on it
        (a handler added to a service later catches up even if its neighbours did long ago)."""
        database = self._database()
        catch_ups = database.metadata.tables["catch_ups"]
        with database.engine.connect() as conn:
            rows = conn.execute(select(catch_ups.c.consumer, catch_ups.c.source, catch_ups.c.event_type))
            done = {tuple(row) for row in rows}
        pending: dict[tuple[str, str], list[Any]] = {}
        for provider in sorted(self._providers, key=_subscription):
            if _subscription(provider) not in done:
                pending.setdefault((provider.source_service, provider.event_type), []).append(provider)
        return pending

    def _run(self) -> None:
        delay = 1.0
        while True:
            try:
                pending = self.pending()
                if pending:
                    self._catch_up(pending)
                return
            except Exception as exc:
                log.warning("event catch-up not done yet (%s); asking again in %.0f s", exc, delay)
                eventlet.sleep(delay)
                delay = min(delay * 2, 60.0)

    def _catch_up(self, pending: dict[tuple[str, str], list[Any]]) -> None:
        # Every queue a replay must reach exists before any replay is asked for (see above).
        declare_queues(self.container.config["AMQP_URI"], [p.queue for ps in pending.values() for p in ps])
        transport = RpcTransport.for_container(self.container.config)
        unanswered = []
        try:
            for (source, event_type), providers in pending.items():
                # Each on its own: a publisher that is down, or not built yet (a service may
                # subscribe to events of one still to come), holds back none of the others.
                try:
                    self._replay(transport, source, event_type, [p.consumer_name for p in providers])
                except Exception as exc:
                    unanswered.append(f"{source} {event_type}: {exc}")
        finally:
            transport.close()
        if unanswered:
            raise RuntimeError("; ".join(unanswered))

    def _replay(self, transport: RpcTransport, source: str, event_type: str, consumers: list[str]) -> None:
        service = self.container.service_name
        database = self._database()
        catch_ups = database.metadata.tables["catch_ups"]
        # One replay of the type reaches every queue of this service for it; handlers that had
        # it already skip the copies (they are idempotent).
        counts = transport.call(source, "replay_log", {"to": service, "event_type": event_type}, timeout=REPLAY_TIMEOUT)
        if counts.get("not_consumed"):  # the queues were declared just now: someone deleted them
            raise RuntimeError(f"no queue of {service} is bound for {source} {event_type}")
        with database.engine.begin() as conn:
            for consumer in consumers:
                row = {"consumer": consumer, "source": source, "event_type": event_type}
                insert_ignore(conn, catch_ups, {**row, "completed_at": datetime.now(UTC), "events": counts["sent"]})
        log.info("caught up on %s %s for %s: %s", source, event_type, ", ".join(consumers), counts)


def _subscription(provider: Any) -> tuple[str, str, str]:
    return provider.consumer_name, provider.source_service, provider.event_type
