"""单位数据同步: rules for importing the verification sources' records."""

from __future__ import annotations

from hrss_enterprise.domain.errors import RecordRefused
from hrss_enterprise.domain.model import MARKET, SourceRecord

ADDED, UPDATED, UNCHANGED = "added", "updated", "unchanged"


def check_record(record: SourceRecord, unit_holders: dict[str, str]) -> None:
    """Refuse a record the platform could not rely on.

    ``unit_holders`` maps each of the record's unit numbers that any source already holds to
    the code it is held under; a unit number belongs to one enterprise only.
    """
    if record.source == MARKET and record.units:
        raise RecordRefused("units: 营商登记记录不含单位编号")
    for unit in record.units:
        holder = unit_holders.get(unit.unit_no)
        if holder is not None and holder != record.uscc:
            raise RecordRefused(f"units: 单位编号 {unit.unit_no} 已属于另一统一社会信用代码")


def change_of(existing: SourceRecord | None, incoming: SourceRecord) -> str:
    """Whether importing ``incoming`` adds, updates or leaves the source's record as it is."""
    if existing is None:
        return ADDED
    return UNCHANGED if existing == incoming else UPDATED
