"""In-memory adapters of the authorization service's ports, for unit tests."""

from __future__ import annotations

import copy
import uuid

from hrss_authorization.domain.commands import FollowKeyInfoChange, RememberEnterprise
from hrss_authorization.domain.events import ClerkAuthorized, GrantChange
from hrss_authorization.domain.model import Enterprise, InsuranceRelation
from hrss_authorization.service_layer.ports import AuditEntry, AuditLog, Enterprises, UnitOfWork
from hrss_contracts.examples import random_id_number, random_uscc


class FakeEnterprises(Enterprises):
    def __init__(self, enterprises: list[Enterprise]) -> None:
        self.rows = {e.enterprise_id: e for e in enterprises}

    def get(self, uscc: str, for_update: bool = False) -> Enterprise | None:
        found = next((e for e in self.rows.values() if e.uscc == uscc), None)
        return copy.deepcopy(found)  # a copy, as a database hands out: nothing changes until saved

    def by_unit(self, unit_no: str) -> Enterprise | None:
        found = next((e for e in self.rows.values() if any(r.unit_no == unit_no for r in e.relations.values())), None)
        return copy.deepcopy(found)

    def save(self, enterprise: Enterprise) -> None:
        self.rows[enterprise.enterprise_id] = copy.deepcopy(enterprise)
        self.rows[enterprise.enterprise_id].events.clear()

    def remember(self, command: RememberEnterprise) -> None:
        known = self.rows.get(command.enterprise_id)
        relations = {r.relation_id: r for r in command.relations}
        if known is None:
            self.rows[command.enterprise_id] = Enterprise(
                command.enterprise_id,
                command.uscc,
                command.name,
                command.address,
                command.legal_rep_name,
                command.legal_rep_id,
                command.legal_rep_phone,
                relations,
            )
        else:
            known.address, known.legal_rep_phone = command.address, command.legal_rep_phone
            known.relations.update(relations)

    def follow_key_info(self, command: FollowKeyInfoChange) -> None:
        known = self.rows.get(command.enterprise_id)
        if known is None:
            known = self.rows[command.enterprise_id] = Enterprise(command.enterprise_id, "", "", None, "", "", None)
        known.uscc, known.name = command.uscc, command.name
        known.legal_rep_name, known.legal_rep_id = command.legal_rep_name, command.legal_rep_id


class FakeAuditLog(AuditLog):
    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    def record(self, enterprise_id: str, change: GrantChange) -> None:
        granted = isinstance(change, ClerkAuthorized)
        for r in change.relations:
            self.entries.append(
                AuditEntry(
                    enterprise_id,
                    change.clerk.clerk_id,
                    change.clerk.person.id_number,
                    change.clerk.person.name,
                    "granted" if granted else "revoked",
                    r.relation_id,
                    r.unit_no,
                    r.insurance,
                    r.agency,
                    change.channel,
                    change.actor.account,
                    change.actor.role,
                    change.actor.agency,
                    change.attachments if isinstance(change, ClerkAuthorized) else (),
                    change.at,
                )
            )

    def page(self, enterprise_id: str, clerk_id: str | None, page: int, page_size: int) -> tuple[list[AuditEntry], int]:
        found = [
            e for e in reversed(self.entries) if e.enterprise_id == enterprise_id and clerk_id in (None, e.clerk_id)
        ]
        return found[(page - 1) * page_size : page * page_size], len(found)


class FakeUnitOfWork(UnitOfWork):
    """Keeps what it committed: ``committed`` holds the events of every commit."""

    def __init__(self, enterprises: list[Enterprise] | None = None) -> None:
        super().__init__()
        self.enterprises = FakeEnterprises(enterprises or [])
        self.audit = FakeAuditLog()
        self.committed: list[object] = []

    def __enter__(self) -> FakeUnitOfWork:
        self._snapshot = (copy.deepcopy(self.enterprises.rows), list(self.audit.entries))
        return self

    def commit(self) -> None:
        self.committed.extend(self.events)
        self.events.clear()
        self._snapshot = (copy.deepcopy(self.enterprises.rows), list(self.audit.entries))

    def rollback(self) -> None:
        self.events.clear()
        self.enterprises.rows, self.audit.entries = copy.deepcopy(self._snapshot[0]), list(self._snapshot[1])


def an_enterprise(relations: int = 3) -> Enterprise:
    """A registered enterprise with ``relations`` relations over two units."""
    uscc = random_uscc()
    units = [f"U{uuid.uuid4().hex[:8]}", f"U{uuid.uuid4().hex[:8]}"]
    insurance = ("110", "210", "410", "120")
    made = [
        InsuranceRelation(f"R{uuid.uuid4().hex[:10]}", units[i % 2], insurance[i % 4], "哈尔滨市社会保险事业中心")
        for i in range(relations)
    ]
    return Enterprise(
        uscc,
        uscc,
        "黑龙江测试有限公司",
        "哈尔滨市",
        "张三",
        random_id_number(),
        "13800138000",
        {r.relation_id: r for r in made},
    )
