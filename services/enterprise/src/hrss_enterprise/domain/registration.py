"""Manual 5.1: the decision on a registration, from the three sources' records."""

from __future__ import annotations

from datetime import datetime

from hrss_enterprise.domain.errors import NotVerified, RegistrationMismatch
from hrss_enterprise.domain.model import (
    PENSION_SOURCES,
    REFERENCE_ORDER,
    Enterprise,
    InsuranceRelation,
    RegistrationApplication,
    SourceRecord,
    Unit,
)

# Field of the application → field of the record it must equal.
COMPARED_FIELDS = (("name", "name"), ("legal_rep_name", "legal_rep_name"), ("legal_rep_id", "legal_rep_id"))


def reference_record(records: dict[str, SourceRecord]) -> SourceRecord:
    """The record the application must match: a pension record where one exists."""
    for source in REFERENCE_ORDER:
        if source in records:
            return records[source]
    raise NotVerified()


def mismatched_fields(application: RegistrationApplication, record: SourceRecord) -> list[str]:
    """Names of the application's fields that differ; never the record's values."""
    return [mine for mine, theirs in COMPARED_FIELDS if getattr(application, mine) != getattr(record, theirs)]


def decide(application: RegistrationApplication, records: dict[str, SourceRecord], now: datetime) -> Enterprise:
    """Register, or raise ``NotVerified`` / ``RegistrationMismatch``."""
    reference = reference_record(records)
    differing = mismatched_fields(application, reference)
    if differing:
        raise RegistrationMismatch(differing)
    return Enterprise(
        uscc=application.uscc,
        name=application.name,
        address=reference.address or _first_address(records),
        legal_rep_name=application.legal_rep_name,
        legal_rep_id=application.legal_rep_id,
        legal_rep_phone=application.phone,
        registered_at=now,
        units=_all_units(records),
    )


def _first_address(records: dict[str, SourceRecord]) -> str | None:
    return next((r.address for r in records.values() if r.address), None)


def _all_units(records: dict[str, SourceRecord]) -> list[Unit]:
    """Every unit number of every pension source with all its relations, each once; where
    both pension sources name the same relation, the enterprise pension's agency wins."""
    relations: dict[str, dict[str, InsuranceRelation]] = {}
    for source in PENSION_SOURCES:
        for unit in records[source].units if source in records else ():
            by_type = relations.setdefault(unit.unit_no, {})
            for relation in unit.relations:
                by_type.setdefault(relation.insurance, relation)
    return [
        Unit(unit_no, tuple(sorted(by_type.values(), key=lambda r: r.insurance)))
        for unit_no, by_type in sorted(relations.items())
    ]
