"""Enterprises in and out of their tables: the read model's rows, the clerks and grants."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from hrss_authorization.adapters.orm import clerks, enterprises, grants, insurance_relations
from hrss_authorization.domain.commands import FollowContactChange, FollowKeyInfoChange, RememberEnterprise
from hrss_authorization.domain.model import Clerk, Enterprise, InsuranceRelation, Person
from hrss_authorization.service_layer.ports import Enterprises
from hrss_kit.sql import insert_ignore

KEY_INFO = ("uscc", "name", "legal_rep_name", "legal_rep_id")


class SqlEnterprises(Enterprises):
    def __init__(self, session: Session) -> None:
        self.session = session
        self._loaded: dict[str, dict[str, Clerk]] = {}  # enterprise id → its clerks as read

    def get(self, uscc: str, for_update: bool = False) -> Enterprise | None:
        query = select(enterprises).filter_by(uscc=uscc)
        row = self.session.execute(query.with_for_update() if for_update else query).first()
        return self._load(row) if row else None

    def by_unit(self, unit_no: str) -> Enterprise | None:
        holder = select(insurance_relations.c.enterprise_id).filter_by(unit_no=unit_no).limit(1).scalar_subquery()
        row = self.session.execute(select(enterprises).where(enterprises.c.enterprise_id == holder)).first()
        return self._load(row) if row else None

    def has_relation(self, uscc: str, relation_id: str) -> bool:
        query = (
            select(insurance_relations.c.relation_id)
            .join(enterprises, enterprises.c.enterprise_id == insurance_relations.c.enterprise_id)
            .where(enterprises.c.uscc == uscc, insurance_relations.c.relation_id == relation_id)
        )
        return self.session.execute(query).first() is not None

    def holds(self, clerk_id: str, uscc: str, relation_id: str) -> bool:
        query = (
            select(grants.c.relation_id)
            .join(clerks, clerks.c.clerk_id == grants.c.clerk_id)
            .join(enterprises, enterprises.c.enterprise_id == clerks.c.enterprise_id)
            .where(grants.c.clerk_id == clerk_id, grants.c.relation_id == relation_id, enterprises.c.uscc == uscc)
        )
        return self.session.execute(query).first() is not None

    def _load(self, row: Any) -> Enterprise:
        relations = self.session.execute(select(insurance_relations).filter_by(enterprise_id=row.enterprise_id)).all()
        held: dict[str, set[str]] = {}
        for clerk_id, relation_id in self.session.execute(
            select(grants.c.clerk_id, grants.c.relation_id)
            .join(clerks, clerks.c.clerk_id == grants.c.clerk_id)
            .where(clerks.c.enterprise_id == row.enterprise_id)
        ):
            held.setdefault(clerk_id, set()).add(relation_id)
        people = self.session.execute(select(clerks).filter_by(enterprise_id=row.enterprise_id)).all()
        loaded = {
            c.clerk_id: Clerk(
                c.clerk_id, Person(c.id_number, c.name, c.phone, c.id_type), frozenset(held.get(c.clerk_id, ()))
            )
            for c in people
        }
        self._loaded[row.enterprise_id] = dict(loaded)
        return Enterprise(
            row.enterprise_id,
            row.uscc,
            row.name,
            row.address,
            row.legal_rep_name,
            row.legal_rep_id,
            row.legal_rep_phone,
            relations={
                r.relation_id: InsuranceRelation(r.relation_id, r.unit_no, r.insurance, r.agency) for r in relations
            },
            clerks=loaded,
        )

    def save(self, enterprise: Enterprise) -> None:
        before = self._loaded.get(enterprise.enterprise_id, {})
        now = datetime.now(UTC)
        for clerk_id in before.keys() - enterprise.clerks.keys():
            self.session.execute(delete(grants).filter_by(clerk_id=clerk_id))
            self.session.execute(delete(clerks).filter_by(clerk_id=clerk_id))
        for clerk_id, clerk in enterprise.clerks.items():
            old = before.get(clerk_id)
            person = {
                "id_type": clerk.person.id_type,
                "id_number": clerk.person.id_number,
                "name": clerk.person.name,
                "phone": clerk.person.phone,
            }
            if old is None:
                self.session.execute(
                    insert(clerks).values(
                        clerk_id=clerk_id, enterprise_id=enterprise.enterprise_id, added_at=now, **person
                    )
                )
            elif old.person != clerk.person:
                self.session.execute(update(clerks).filter_by(clerk_id=clerk_id).values(**person))
            previous = old.relation_ids if old else frozenset()
            if previous - clerk.relation_ids:
                self.session.execute(
                    delete(grants).where(
                        grants.c.clerk_id == clerk_id, grants.c.relation_id.in_(previous - clerk.relation_ids)
                    )
                )
            for relation_id in sorted(clerk.relation_ids - previous):
                self.session.execute(insert(grants).values(clerk_id=clerk_id, relation_id=relation_id, granted_at=now))
        self._loaded[enterprise.enterprise_id] = dict(enterprise.clerks)

    def remember(self, command: RememberEnterprise) -> None:
        rest = {"address": command.address, "legal_rep_phone": command.legal_rep_phone}
        key_info = {field: getattr(command, field) for field in KEY_INFO}
        if not insert_ignore(self.session, enterprises, {"enterprise_id": command.enterprise_id, **key_info, **rest}):
            # A key-information change came first: it is newer than the registration's; so is a
            # contact change that followed it.
            phone = func.coalesce(enterprises.c.legal_rep_phone, command.legal_rep_phone)
            self.session.execute(
                update(enterprises)
                .filter_by(enterprise_id=command.enterprise_id)
                .values(address=command.address, legal_rep_phone=phone)
            )
        for relation in command.relations:
            values = {"unit_no": relation.unit_no, "insurance": relation.insurance, "agency": relation.agency}
            row = {"relation_id": relation.relation_id, "enterprise_id": command.enterprise_id, **values}
            if not insert_ignore(self.session, insurance_relations, row):
                self.session.execute(
                    update(insurance_relations).filter_by(relation_id=relation.relation_id).values(**values)
                )

    def follow_contact(self, command: FollowContactChange) -> bool:
        changed = self.session.execute(
            update(enterprises)
            .filter_by(enterprise_id=command.enterprise_id)
            .values(legal_rep_phone=command.legal_rep_phone)
        ).rowcount
        return bool(changed)

    def follow_key_info(self, command: FollowKeyInfoChange) -> None:
        key_info = {field: getattr(command, field) for field in KEY_INFO}
        changed = self.session.execute(
            update(enterprises).filter_by(enterprise_id=command.enterprise_id).values(**key_info)
        ).rowcount
        if not changed:  # its registration has not come yet (remember fills in the rest)
            self.session.execute(insert(enterprises).values(enterprise_id=command.enterprise_id, **key_info))
