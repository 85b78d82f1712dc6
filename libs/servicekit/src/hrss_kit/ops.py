"""RPC methods every service offers to operators and to the gateway's health check."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from hrss_contracts.errors import CatalogueError
from hrss_kit.idempotency import IdempotencyKey
from hrss_kit.replay import replay_log
from hrss_kit.retry import list_failed, replay_parked
from hrss_kit.rpc import rpc


class OperationsMixin:
    """Mixed into each nameko service class that has a ``Database`` dependency ``db``."""

    name: str
    idempotency_key = IdempotencyKey()

    @rpc
    def ping(self) -> str:
        """ "ok" when the service and its database answer (the gateway's ``/healthz``)."""
        with self.db.transaction() as session:  # type: ignore[attr-defined]
            session.execute(text("SELECT 1"))
        return "ok"

    @rpc
    def failed_events(self, status: str | None = "parked") -> list[dict[str, Any]]:
        """Events whose handling failed: ``parked`` (given up) or ``retrying``."""
        db = self.db  # type: ignore[attr-defined]
        return [{"service": self.name, **row} for row in list_failed(db.engine, db.tables["failed_events"], status)]

    @rpc
    def replay_log(self, to: str, event_type: str | None = None, since: str | None = None) -> dict[str, int]:
        """Re-send this service's event log (all, one type, or from ``since``, ISO 8601) to the
        queues of service ``to`` only: ``{"sent": n, "not_consumed": m}``."""
        db = self.db  # type: ignore[attr-defined]
        return replay_log(db.engine, db.tables["outbox"], db.amqp_uri, to, event_type, _instant(since))

    @rpc
    def replay_parked(self, event_id: str | None = None) -> int:
        """Put parked events back in line; the retry poller runs them within a second."""
        db = self.db  # type: ignore[attr-defined]
        return replay_parked(db.engine, db.tables["failed_events"], event_id)


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise CatalogueError("VALIDATION_FAILED", fields={"since": ["时间格式应为 ISO 8601"]}) from None
    if instant.tzinfo is None:
        raise CatalogueError("VALIDATION_FAILED", fields={"since": ["时间须带时区, 例如 2026-11-28T00:00:00+08:00"]})
    return instant.astimezone(UTC)  # SQLite compares times as stored: in UTC, without a zone
