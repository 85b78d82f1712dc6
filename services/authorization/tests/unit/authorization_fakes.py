"""In-memory adapters of the authorization service's ports, for unit tests."""

from __future__ import annotations

import copy
import uuid

from hrss_authorization.domain.commands import FollowContactChange, FollowKeyInfoChange, RememberEnterprise
from hrss_authorization.domain.events import ClerkAuthorized, GrantChange
from hrss_authorization.domain.model import Actor, Attachment, Enterprise, InsuranceRelation
from hrss_authorization.service_layer.ports import (
    Attachments,
    AuditEntry,
    AuditLog,
    Enterprises,
    SourceDirectory,
    UnitOfWork,
    WindowLog,
)
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

    def has_relation(self, uscc: str, relation_id: str) -> bool:
        return any(e.uscc == uscc and relation_id in e.relations for e in self.rows.values())

    def holds(self, clerk_id: str, uscc: str, relation_id: str) -> bool:
        return any(
            e.uscc == uscc and clerk_id in e.clerks and relation_id in e.clerks[clerk_id].relation_ids
            for e in self.rows.values()
        )

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
            # as the SQL adapter: a contact change that came first is newer than the registration
            known.address, known.legal_rep_phone = command.address, known.legal_rep_phone or command.legal_rep_phone
            known.relations.update(relations)

    def follow_contact(self, command: FollowContactChange) -> bool:
        known = self.rows.get(command.enterprise_id)
        if known is not None:
            known.legal_rep_phone = command.legal_rep_phone
        return known is not None

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


class FakeAttachments(Attachments):
    def __init__(self) -> None:
        self.rows: dict[str, Attachment] = {}

    def add(self, attachment: Attachment) -> Attachment:
        return self.rows.setdefault(attachment.attachment_id, attachment)

    def owned_by(self, attachment_ids: list[str], owner: str) -> list[Attachment]:
        return [self.rows[a] for a in attachment_ids if a in self.rows and self.rows[a].owner == owner]


class FakeWindowLog(WindowLog):
    def __init__(self) -> None:
        self.submissions: list[tuple[str, Actor, tuple[str, ...], list[str]]] = []

    def record(self, enterprise_id: str, actor: Actor, attachment_ids: tuple[str, ...], clerk_ids: list[str]) -> str:
        self.submissions.append((enterprise_id, actor, attachment_ids, clerk_ids))
        return f"submission-{len(self.submissions)}"


class FakeSources(SourceDirectory):
    """The verification sources: code → legal representative's ID number; unit → code."""

    def __init__(
        self,
        records: dict[str, str] | None = None,
        units: dict[str, str] | None = None,
        registered: tuple[str, ...] = (),
    ) -> None:
        self.records, self.units, self.registered_codes = records or {}, units or {}, registered

    def registered(self, uscc: str | None, unit_no: str | None) -> bool:
        return (uscc or self.units.get(unit_no or "")) in self.registered_codes

    def reference(self, uscc: str | None, unit_no: str | None) -> tuple[str, str] | None:
        code = uscc or self.units.get(unit_no or "")
        return (code, self.records[code]) if code in self.records else None


class FakeUnitOfWork(UnitOfWork):
    """Keeps what it committed: ``committed`` holds the events of every commit."""

    def __init__(self, enterprises: list[Enterprise] | None = None) -> None:
        super().__init__()
        self.enterprises = FakeEnterprises(enterprises or [])
        self.audit = FakeAuditLog()
        self.attachments = FakeAttachments()
        self.windows = FakeWindowLog()
        self.committed: list[object] = []

    def __enter__(self) -> FakeUnitOfWork:
        self._snapshot = self._state()
        return self

    def _state(self) -> tuple[object, ...]:
        return (
            copy.deepcopy(self.enterprises.rows),
            list(self.audit.entries),
            dict(self.attachments.rows),
            list(self.windows.submissions),
        )

    def commit(self) -> None:
        self.committed.extend(self.events)
        self.events.clear()
        self._snapshot = self._state()

    def rollback(self) -> None:
        self.events.clear()
        rows, entries, attachments, submissions = copy.deepcopy(self._snapshot)
        self.enterprises.rows, self.audit.entries = rows, entries
        self.attachments.rows, self.windows.submissions = attachments, submissions


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


def registration_of(enterprise: Enterprise) -> RememberEnterprise:
    """What ``EnterpriseRegistered`` tells authorization of ``enterprise``."""
    return RememberEnterprise(
        enterprise.enterprise_id,
        enterprise.uscc,
        enterprise.name,
        enterprise.address,
        enterprise.legal_rep_name,
        enterprise.legal_rep_id,
        enterprise.legal_rep_phone or "",
        tuple(enterprise.relations.values()),
    )
