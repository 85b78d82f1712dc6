"""The verification sources' records (企业职工养老保险, 机关事业单位养老保险, 市场监管) in and out of
their tables: what a registration is checked against."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from hrss_enterprise.adapters.orm import source_records, source_units
from hrss_enterprise.domain.model import InsuranceRelation, SourceRecord, Unit
from hrss_enterprise.service_layer.ports import SourceRepository


def units_to_json(items: tuple[Unit, ...] | list[Unit]) -> list[dict[str, Any]]:
    return [
        {"unit_no": u.unit_no, "relations": [{"insurance": r.insurance, "agency": r.agency} for r in u.relations]}
        for u in items
    ]


def units_from_json(items: list[dict[str, Any]]) -> tuple[Unit, ...]:
    return tuple(
        Unit(u["unit_no"], tuple(InsuranceRelation(u["unit_no"], r["insurance"], r["agency"]) for r in u["relations"]))
        for u in items
    )


class SqlSourceRepository(SourceRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, source: str, uscc: str) -> SourceRecord | None:
        row = self.session.execute(select(source_records).filter_by(source=source, uscc=uscc)).first()
        return self._record(row) if row else None

    def for_uscc(self, uscc: str) -> dict[str, SourceRecord]:
        rows = self.session.execute(select(source_records).filter_by(uscc=uscc)).all()
        return {row.source: self._record(row) for row in rows}

    def unit_holders(self, unit_nos: list[str]) -> dict[str, str]:
        rows = self.session.execute(
            select(source_units.c.unit_no, source_units.c.uscc).where(source_units.c.unit_no.in_(unit_nos))
        ).all()
        return {row.unit_no: row.uscc for row in rows}

    def save(self, record: SourceRecord, is_new: bool) -> None:
        values = {
            "name": record.name,
            "address": record.address,
            "legal_rep_name": record.legal_rep_name,
            "legal_rep_id": record.legal_rep_id,
            "legal_rep_phone": record.legal_rep_phone,
            "units": units_to_json(record.units),
            "updated_at": datetime.now(UTC),
        }
        key = {"source": record.source, "uscc": record.uscc}
        if is_new:
            self.session.execute(insert(source_records).values(**key, **values))
        else:
            self.session.execute(update(source_records).filter_by(**key).values(**values))
        self.session.execute(delete(source_units).filter_by(**key))
        if record.units:
            self.session.execute(insert(source_units), [{**key, "unit_no": u.unit_no} for u in record.units])

    @staticmethod
    def _record(row: Any) -> SourceRecord:
        return SourceRecord(
            row.source,
            row.uscc,
            row.name,
            row.address,
            row.legal_rep_name,
            row.legal_rep_id,
            row.legal_rep_phone,
            units_from_json(row.units),
        )
