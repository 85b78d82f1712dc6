"""RPC methods every service offers to operators and to the gateway's health check."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from hrss_kit.retry import list_failed, replay_parked
from hrss_kit.rpc import rpc


class OperationsMixin:
    """Mixed into each nameko service class that has a ``Database`` dependency ``db``."""

    name: str

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
    def replay_parked(self, event_id: str | None = None) -> int:
        """Put parked events back in line; the retry poller runs them within a second."""
        db = self.db  # type: ignore[attr-defined]
        return replay_parked(db.engine, db.tables["failed_events"], event_id)
