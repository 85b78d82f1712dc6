"""Random identifiers and small builders for the enterprise service's unit tests."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime

from hrss_contracts.examples import random_id_number, random_uscc
from hrss_contracts.fields import INSURANCE_TYPES
from hrss_enterprise.domain.model import InsuranceRelation, RegistrationApplication, SourceRecord, Unit

NOW = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


def random_unit_no() -> str:
    return f"U{random.randrange(10**10):010d}"


def random_name(prefix: str = "企业") -> str:
    return f"{prefix}{random.randrange(10**8):08d}"


def a_unit(unit_no: str | None = None, **agencies: str) -> Unit:
    """A unit with one relation per ``insurance=agency`` keyword, e.g. ``a_unit(i110="甲")``;
    only the platform's insurance types (110, 120, 210, 410) are accepted."""
    unknown = [k for k in agencies if k.removeprefix("i") not in INSURANCE_TYPES]
    if unknown:
        raise ValueError(f"not an insurance type: {unknown}")
    unit_no = unit_no or random_unit_no()
    return Unit(unit_no, tuple(InsuranceRelation(unit_no, k.removeprefix("i"), v) for k, v in agencies.items()))


def a_record(source: str, uscc: str | None = None, units: tuple[Unit, ...] = (), **overrides: object) -> SourceRecord:
    record = SourceRecord(
        source=source,
        uscc=uscc or random_uscc(),
        name=random_name(),
        address=f"哈尔滨市{random.randrange(1000)}号",
        legal_rep_name=random_name("法人"),
        legal_rep_id=random_id_number(),
        legal_rep_phone="13800000000",
        units=units,
    )
    return replace(record, **overrides)


def application_for(record: SourceRecord, **overrides: str) -> RegistrationApplication:
    """The application a legal representative who types exactly what ``record`` holds would send."""
    application = RegistrationApplication(
        uscc=record.uscc,
        name=record.name,
        legal_rep_name=record.legal_rep_name,
        legal_rep_id=record.legal_rep_id,
        phone=f"139{random.randrange(10**8):08d}",
    )
    return replace(application, **overrides)
