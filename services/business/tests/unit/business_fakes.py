"""In-memory adapters of the business service's ports, for unit tests."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from hrss_business.adapters.repository import CHINA
from hrss_business.domain.cases import Case, Material, Relation
from hrss_business.domain.commands import Viewer
from hrss_business.domain.errors import IllegalTransition
from hrss_business.service_layer.ports import CaseQuery, Cases, CaseSummary, Enterprises, Grants, Scope, UnitOfWork

AGENCY = "哈尔滨市社会保险事业中心"


class FakeCases(Cases):
    def __init__(self, grants: FakeGrants, enterprises: FakeEnterprises | None = None) -> None:
        self.enterprises = enterprises
        self.rows: dict[str, Case] = {}
        self.materials: dict[tuple[str, str], Material] = {}
        self.counters: dict[str, int] = {}
        self.grants = grants

    def next_case_no(self, at: datetime) -> str:
        day = at.astimezone(CHINA).strftime("%Y%m%d")
        self.counters[day] = self.counters.get(day, 0) + 1
        return f"YW{day}{self.counters[day]:06d}"

    def add(self, case: Case) -> None:
        case.version = 1
        self._store(case)

    def get(self, case_no: str, for_update: bool = False) -> Case | None:
        return copy.deepcopy(self.rows.get(case_no))  # as a database hands out: a copy

    def save(self, case: Case) -> None:
        stored = self.rows[case.case_no]
        if stored.version != case.version:
            raise IllegalTransition(case.case_no, stored.status, case.new_steps[-1].action)
        case.version += 1
        self._store(case)

    def material(self, case_no: str, attachment_id: str) -> Material | None:
        return self.materials.get((case_no, attachment_id))

    def page(self, scope: Scope, query: CaseQuery) -> tuple[list[CaseSummary], int]:
        def inside(case: Case) -> bool:
            if scope.agency is not None:
                return case.relation.agency == scope.agency
            if scope.clerk_id is not None:
                return self.grants.holds(scope.clerk_id, case.relation.relation_id)
            return self.enterprises is not None and self.enterprises.enterprise_id(scope.uscc or "") == (
                case.relation.enterprise_id
            )

        found = [
            c
            for c in self.rows.values()
            if inside(c)
            and (query.status is None or c.status == query.status)
            and (query.item_code is None or c.item_code == query.item_code)
        ]
        found.sort(key=lambda c: c.case_no, reverse=True)
        start = (query.page - 1) * query.page_size
        return [summary_of(c) for c in found[start : start + query.page_size]], len(found)

    def _store(self, case: Case) -> None:
        kept = copy.deepcopy(case)
        kept.new_steps.clear()
        self.rows[case.case_no] = kept
        for material in case.materials:
            self.materials[(case.case_no, material.attachment_id)] = material


def summary_of(case: Case) -> CaseSummary:
    assert case.submitted_at is not None and case.updated_at is not None
    return CaseSummary(
        case.case_no,
        case.item_code,
        case.item_name,
        case.status,
        case.uscc,
        case.relation.unit_no,
        case.relation.insurance,
        case.relation.agency,
        case.applicant.shown,
        case.submitted_at,
        case.updated_at,
    )


class FakeEnterprises(Enterprises):
    def __init__(self, grants: FakeGrants | None = None) -> None:
        self.grants = grants
        self.codes: dict[str, str] = {}  # uscc → enterprise id
        self.relations: dict[str, Relation] = {}

    def enterprise_id(self, uscc: str) -> str | None:
        return self.codes.get(uscc)

    def relation(self, relation_id: str) -> Relation | None:
        return self.relations.get(relation_id)

    def relation_for(self, relation_id: str, uscc: str, clerk_id: str | None) -> tuple[Relation, bool] | None:
        relation = self.relations.get(relation_id)
        if relation is None or self.codes.get(uscc) != relation.enterprise_id:
            return None
        return relation, clerk_id is not None and self.grants is not None and self.grants.holds(clerk_id, relation_id)

    def remember(self, enterprise_id: str, uscc: str, name: str, relations: tuple[Relation, ...]) -> None:
        if enterprise_id not in self.codes.values():
            self.codes[uscc] = enterprise_id
        for relation in relations:
            self.relations[relation.relation_id] = relation

    def follow_key_info(self, enterprise_id: str, uscc: str, name: str) -> None:
        self.codes = {code: e for code, e in self.codes.items() if e != enterprise_id}
        self.codes[uscc] = enterprise_id


class FakeGrants(Grants):
    def __init__(self) -> None:
        self.held: dict[str, frozenset[str]] = {}

    def holds(self, clerk_id: str, relation_id: str) -> bool:
        return relation_id in self.held.get(clerk_id, frozenset())

    def replace(self, clerk_id: str, relation_ids: frozenset[str]) -> None:
        self.held[clerk_id] = relation_ids


class FakeUnitOfWork(UnitOfWork):
    """Shares its stores between units of work, as one database would; events published on commit."""

    def __init__(self) -> None:
        super().__init__()
        self.grants = FakeGrants()
        self.enterprises = FakeEnterprises(self.grants)
        self.cases = FakeCases(self.grants, self.enterprises)
        self.published: list[Any] = []
        self.commits = 0

    def commit(self) -> None:
        self.published.extend(self.events)
        self.events.clear()
        self.commits += 1

    def rollback(self) -> None:
        self.events.clear()


class FakeUploads:
    """Attachments by owner; ``owned`` answers like the authorization service's registry."""

    def __init__(self) -> None:
        self.by_owner: dict[str, dict[str, Material]] = {}
        self.asked = 0

    def upload(self, owner: str, attachment_id: str, content_type: str = "application/pdf") -> str:
        self.by_owner.setdefault(owner, {})[attachment_id] = Material(
            "", attachment_id, f"{attachment_id}.pdf", content_type, 2048, "ab" * 32
        )
        return attachment_id

    def owned(self, owner: str, attachment_ids: list[str]) -> dict[str, Material]:
        self.asked += 1
        mine = self.by_owner.get(owner, {})
        return {a: mine[a] for a in attachment_ids if a in mine}


def legal(uscc: str) -> Viewer:
    return Viewer(f"enterprise:{uscc}", uscc, "legal", uscc=uscc)


def clerk(clerk_id: str, uscc: str) -> Viewer:
    return Viewer(f"clerk:{clerk_id}", f"clerk-{clerk_id}", "clerk", uscc=uscc)


def staff(agency: str = AGENCY) -> Viewer:
    return Viewer("staff-1", "window01", "agency", agency=agency)


class FakeEffects:
    """单位关键信息维护's change, as the enterprise service would make it: refused for codes in
    ``taken``; ``failing`` raises as an unanswered call would."""

    def __init__(self) -> None:
        self.applied: list[str] = []
        self.closed: list[str] = []
        self.taken: set[str] = set()
        self.failing: Exception | None = None

    def applies_to(self, item_code: str) -> bool:
        return item_code == "unit-key-info"

    def apply(self, case: Case) -> None:
        from hrss_business.domain.errors import EffectRefused

        if case.form["uscc"] in self.taken or case.case_no in self.closed:
            raise EffectRefused("单位关键信息维护未能生效:变更后的统一社会信用代码已被其他单位注册,请核对后重新提交!")
        if case.case_no not in self.applied:
            self.applied.append(case.case_no)
        if self.failing is not None:  # applied, but the answer is lost
            raise self.failing

    def close(self, case: Case) -> bool:
        if case.case_no in self.applied:
            return True
        self.closed.append(case.case_no)
        return False
