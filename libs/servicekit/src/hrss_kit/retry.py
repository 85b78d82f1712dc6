"""Retries of failed event handling, and the operator's view of parked events."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import eventlet
from nameko.extensions import ProviderCollector, SharedExtension
from sqlalchemy import Engine, Table, select, update

from hrss_kit.database import container_database
from hrss_kit.retry_policy import PARKED, RETRYING, RetryPolicy

log = logging.getLogger(__name__)

__all__ = ["PARKED", "RETRYING", "RetryPolicy", "RetryPoller", "list_failed", "replay_parked"]


class RetryPoller(SharedExtension, ProviderCollector):  # type: ignore[misc]
    """Re-runs due failed events through their own entrypoint, so the retry is an ordinary
    worker with its dependencies; shared by all reliable handlers of a container."""

    lease = timedelta(seconds=60)

    def start(self) -> None:
        self.poll_seconds = float(self.container.config.get("EVENT_RETRY_POLL_SECONDS", 1.0))
        self._poller = self.container.spawn_managed_thread(self._run, identifier="event-retry-poller")

    def stop(self) -> None:
        self._poller.kill()  # it holds nothing between polls
        super().stop()

    kill = stop  # or it polls on, into a database pool the container's kill disposed

    def _database(self) -> Any:
        return container_database(self.container)

    def _run(self) -> None:
        while True:
            eventlet.sleep(self.poll_seconds)
            try:
                self.retry_due()
            except Exception:
                log.exception("event retry poll failed")

    def retry_due(self) -> int:
        providers = {p.consumer_name: p for p in self._providers}
        if not providers:
            return 0
        database = self._database()
        engine: Engine = database.engine
        failed: Table = database.metadata.tables["failed_events"]
        now = datetime.now(UTC)
        with engine.connect() as conn:
            due = conn.execute(
                select(failed.c.consumer, failed.c.event_id, failed.c.body, failed.c.next_attempt_at)
                .where(
                    failed.c.status == RETRYING, failed.c.next_attempt_at <= now, failed.c.consumer.in_(list(providers))
                )
                .order_by(failed.c.next_attempt_at)
                .limit(50)
            ).all()
        spawned = 0
        for row in due:
            with engine.begin() as conn:
                # Claim the row (a lease) so no other poller, here or in a replica, runs it too.
                claimed = conn.execute(
                    update(failed)
                    .where(
                        failed.c.consumer == row.consumer,
                        failed.c.event_id == row.event_id,
                        failed.c.status == RETRYING,
                        failed.c.next_attempt_at == row.next_attempt_at,
                    )
                    .values(next_attempt_at=now + self.lease)
                ).rowcount
            if claimed:
                provider = providers[row.consumer]
                self.container.spawn_worker(
                    provider,
                    (json.loads(row.body),),
                    {"retry": True},
                    handle_result=lambda _ctx, result, exc_info: (result, exc_info),
                )
                spawned += 1
        return spawned


def list_failed(engine: Engine, failed: Table, status: str | None = PARKED) -> list[dict[str, Any]]:
    query = select(failed).order_by(failed.c.last_failed_at)
    if status:
        query = query.where(failed.c.status == status)
    with engine.connect() as conn:
        return [
            {
                "consumer": r.consumer,
                "event_id": r.event_id,
                "event_type": r.event_type,
                "attempts": r.attempts,
                "status": r.status,
                "last_error": r.last_error.strip().splitlines()[-1],
                "last_failed_at": r.last_failed_at.isoformat(),
            }
            for r in conn.execute(query)
        ]


def replay_parked(engine: Engine, failed: Table, event_id: str | None = None) -> int:
    """Put parked events (all, or one) back in line for an immediate retry."""
    query = update(failed).where(failed.c.status == PARKED)
    if event_id:
        query = query.where(failed.c.event_id == event_id)
    with engine.begin() as conn:
        return conn.execute(query.values(status=RETRYING, attempts=0, next_attempt_at=datetime.now(UTC))).rowcount
