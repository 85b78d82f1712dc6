"""In-memory implementations of the service layer's ports, for unit tests (no mocks)."""

from __future__ import annotations

import copy
from datetime import datetime

from hrss_enterprise.domain.errors import AlreadyRegistered
from hrss_enterprise.domain.events import Event
from hrss_enterprise.domain.model import Enterprise, SourceRecord
from hrss_enterprise.service_layer.ports import DecisionLog, EnterpriseRepository, SourceRepository, UnitOfWork


class FakeSourceRepository(SourceRepository):
    def __init__(self, records: list[SourceRecord] | None = None) -> None:
        self.records: dict[tuple[str, str], SourceRecord] = {(r.source, r.uscc): r for r in records or []}

    def get(self, source: str, uscc: str) -> SourceRecord | None:
        return self.records.get((source, uscc))

    def for_uscc(self, uscc: str) -> dict[str, SourceRecord]:
        return {source: record for (source, code), record in self.records.items() if code == uscc}

    def unit_holders(self, unit_nos: list[str]) -> dict[str, str]:
        return {
            unit.unit_no: record.uscc
            for record in self.records.values()
            for unit in record.units
            if unit.unit_no in unit_nos
        }

    def save(self, record: SourceRecord, is_new: bool) -> None:
        assert is_new == ((record.source, record.uscc) not in self.records), "is_new disagrees with the store"
        self.records[(record.source, record.uscc)] = record


class FakeEnterpriseRepository(EnterpriseRepository):
    """Keyed by the enterprise's id (the code it registered with), as the table is."""

    def __init__(self, enterprises: list[Enterprise] | None = None) -> None:
        self.enterprises: dict[str, Enterprise] = {e.enterprise_id: e for e in enterprises or []}
        self.codes: dict[str, str] = {e.uscc: e.enterprise_id for e in self.enterprises.values()}
        self.key_info_cases: dict[str, str] = {}

    def add(self, enterprise: Enterprise) -> None:
        assert enterprise.enterprise_id not in self.enterprises, "enterprise added twice"
        if enterprise.uscc in self.codes:
            raise AlreadyRegistered()
        self.enterprises[enterprise.enterprise_id] = copy.deepcopy(enterprise)
        self.codes[enterprise.uscc] = enterprise.enterprise_id

    def get(self, uscc: str) -> Enterprise | None:
        found = next((e for e in self.enterprises.values() if e.uscc == uscc), None)
        if found is None and uscc in self.codes:
            found = self.enterprises.get(self.codes[uscc])
        return copy.deepcopy(found)

    def key_info_outcome(self, case_no: str) -> str | None:
        return self.key_info_cases.get(case_no)

    def record_key_info_outcome(self, case_no: str, enterprise_id: str, outcome: str) -> None:
        assert case_no not in self.key_info_cases
        self.key_info_cases[case_no] = outcome

    def get_by_id(self, enterprise_id: str, for_update: bool = False) -> Enterprise | None:
        return copy.deepcopy(self.enterprises.get(enterprise_id))

    def code_taken(self, uscc: str, by_other_than: str) -> bool:
        return self.codes.get(uscc, by_other_than) != by_other_than

    def save_key_info(self, enterprise: Enterprise) -> None:
        self.enterprises[enterprise.enterprise_id] = copy.deepcopy(enterprise)
        self.codes.setdefault(enterprise.uscc, enterprise.enterprise_id)

    def save_contact(self, enterprise: Enterprise) -> None:
        self.enterprises[enterprise.enterprise_id] = copy.deepcopy(enterprise)

    def uscc_of_unit(self, unit_no: str) -> str | None:
        return self.unit_holders([unit_no]).get(unit_no)

    def unit_holders(self, unit_nos: list[str]) -> dict[str, str]:
        return {
            unit.unit_no: enterprise.enterprise_id
            for enterprise in self.enterprises.values()
            for unit in enterprise.units
            if unit.unit_no in unit_nos
        }


class FakeDecisionLog(DecisionLog):
    def __init__(self) -> None:
        self.decisions: list[tuple[str, str, list[str], datetime]] = []

    def record(self, uscc: str, outcome: str, mismatched_fields: list[str], decided_at: datetime) -> None:
        self.decisions.append((uscc, outcome, list(mismatched_fields), decided_at))


class FakeUnitOfWork(UnitOfWork):
    """Events move to ``published`` only on commit, as the outbox would publish them."""

    def __init__(self, records: list[SourceRecord] | None = None, enterprises: list[Enterprise] | None = None) -> None:
        super().__init__()
        self.sources = FakeSourceRepository(records)
        self.enterprises = FakeEnterpriseRepository(enterprises)
        self.decisions = FakeDecisionLog()
        self.committed = False
        self.published: list[Event] = []

    def commit(self) -> None:
        self.committed = True
        self.published.extend(self.events)
        self.events.clear()

    def rollback(self) -> None:
        self.events.clear()
