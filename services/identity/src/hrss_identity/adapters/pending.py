"""Pending registrations in identity's own database (``pending_registrations``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from hrss_identity.adapters.orm import pending_registrations as table
from hrss_identity.domain.model import PendingRegistration
from hrss_identity.service_layer.ports import PendingRegistrationRepository
from hrss_kit.sql import insert_ignore


class SqlPendingRegistrations(PendingRegistrationRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def lock(self, uscc: str) -> PendingRegistration | None:
        # FOR UPDATE on Postgres; SQLite ignores it, its one writer at a time orders the paths.
        row = self.session.execute(select(table).filter_by(uscc=uscc).with_for_update()).first()
        return _pending(row) if row is not None else None

    def add(self, pending: PendingRegistration) -> bool:
        return insert_ignore(self.session, table, _values(pending))

    def save(self, pending: PendingRegistration) -> None:
        self.session.execute(update(table).filter_by(uscc=pending.uscc).values(**_values(pending)))

    def remove(self, uscc: str) -> None:
        self.session.execute(delete(table).filter_by(uscc=uscc))

    def take(self, uscc: str, attempt: str) -> PendingRegistration | None:
        row = self.session.execute(delete(table).filter_by(uscc=uscc, attempt=attempt).returning(table)).first()
        return _pending(row) if row is not None else None

    def last_touched_before(self, cutoff: datetime, limit: int) -> list[PendingRegistration]:
        query = select(table).where(table.c.updated_at < cutoff).order_by(table.c.updated_at).limit(limit)
        return [_pending(row) for row in self.session.execute(query)]


def _values(pending: PendingRegistration) -> dict[str, Any]:
    return {
        "uscc": pending.uscc,
        "attempt": pending.attempt,
        "state": pending.state,
        "with_password": pending.with_password,
        "password_hash": pending.password_hash,
        "accepted": pending.accepted,
        "updated_at": pending.updated_at,
    }


def _pending(row: Any) -> PendingRegistration:
    # SQLite keeps no offset; every time written here is UTC.
    updated_at = row.updated_at if row.updated_at.tzinfo else row.updated_at.replace(tzinfo=UTC)
    return PendingRegistration(
        row.uscc, row.attempt, row.state, row.with_password, row.password_hash, row.accepted, updated_at
    )
