"""Use case: import records of a verification source (单位数据同步)."""

from __future__ import annotations

from dataclasses import dataclass, field

from hrss_enterprise.domain.errors import RecordRefused
from hrss_enterprise.domain.model import SourceRecord
from hrss_enterprise.domain.sources import ADDED, UNCHANGED, change_of, check_record
from hrss_enterprise.service_layer.ports import UnitOfWork


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[dict[str, object]] = field(default_factory=list)

    def refuse(self, line: int, uscc: object, reason: str) -> None:
        self.refused.append({"line": line, "uscc": uscc, "reason": reason})

    def as_dict(self) -> dict[str, object]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged, "refused": self.refused}


def import_records(records: list[tuple[int, SourceRecord]], report: ImportReport, uow: UnitOfWork) -> ImportReport:
    """Upsert each valid record; one that breaks a rule is refused, the others still land.

    ``records`` pairs each record with its line in the operator's file. Importing the same
    file again changes nothing and reports every record unchanged.
    """
    with uow:
        for line, record in records:
            try:
                check_record(record, uow.sources.unit_holders([u.unit_no for u in record.units]))
            except RecordRefused as refusal:
                report.refuse(line, record.uscc, refusal.reason)
                continue
            existing = uow.sources.get(record.source, record.uscc)
            change = change_of(existing, record)
            if change == UNCHANGED:
                report.unchanged += 1
                continue
            uow.sources.save(record, is_new=change == ADDED)
            if change == ADDED:
                report.added += 1
            else:
                report.updated += 1
        uow.commit()
    return report
