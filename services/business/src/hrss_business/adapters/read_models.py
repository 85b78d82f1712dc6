"""The read models the business rules stand on, in and out of their tables: registered
enterprises with their relations, and the clerks' grants."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, delete, insert, literal, select, update
from sqlalchemy.orm import Session

from hrss_business.adapters.orm import clerk_grants, enterprises, insurance_relations
from hrss_business.domain.cases import Relation
from hrss_business.service_layer.ports import Enterprises, Grants
from hrss_kit.sql import insert_ignore


def _relation_for(held: ColumnElement[bool]) -> Select[Any]:
    r = insurance_relations
    return (
        select(r, held.label("held"))
        .join(enterprises, enterprises.c.enterprise_id == r.c.enterprise_id)
        .where(r.c.relation_id == bindparam("relation_id"), enterprises.c.uscc == bindparam("uscc"))
    )


# Built once: every submission and every case shown asks, twice for a submission, and building
# the statement anew (and its cache key) cost more than running it.
_RELATION_FOR_LEGAL = _relation_for(literal(False))
_RELATION_FOR_CLERK = _relation_for(
    select(clerk_grants.c.clerk_id)
    .where(
        clerk_grants.c.clerk_id == bindparam("clerk_id"),
        clerk_grants.c.relation_id == insurance_relations.c.relation_id,
    )
    .exists()
)


class SqlEnterprises(Enterprises):
    def __init__(self, session: Session) -> None:
        self.session = session

    def enterprise_id(self, uscc: str) -> str | None:
        found = self.session.execute(select(enterprises.c.enterprise_id).filter_by(uscc=uscc)).scalar()
        return str(found) if found is not None else None

    def relation(self, relation_id: str) -> Relation | None:
        row = self.session.execute(select(insurance_relations).filter_by(relation_id=relation_id)).first()
        return Relation(row.relation_id, row.enterprise_id, row.unit_no, row.insurance, row.agency) if row else None

    def relation_for(self, relation_id: str, uscc: str, clerk_id: str | None) -> tuple[Relation, bool] | None:
        statement = _RELATION_FOR_CLERK if clerk_id is not None else _RELATION_FOR_LEGAL
        row = self.session.execute(statement, {"relation_id": relation_id, "uscc": uscc, "clerk_id": clerk_id}).first()
        if row is None:
            return None
        return Relation(row.relation_id, row.enterprise_id, row.unit_no, row.insurance, row.agency), bool(row.held)

    def remember(self, enterprise_id: str, uscc: str, name: str, relations: tuple[Relation, ...]) -> None:
        # A key-information change that came first is newer than the registration: keep it. A
        # code another enterprise holds here is not skipped: the insert fails, and the event is
        # retried (then parked for an operator) rather than the enterprise silently left out.
        known = self.session.execute(select(enterprises.c.enterprise_id).filter_by(enterprise_id=enterprise_id)).first()
        if known is None:
            self.session.execute(insert(enterprises).values(enterprise_id=enterprise_id, uscc=uscc, name=name))
        for relation in relations:
            values = {"unit_no": relation.unit_no, "insurance": relation.insurance, "agency": relation.agency}
            row = {"relation_id": relation.relation_id, "enterprise_id": enterprise_id, **values}
            if not insert_ignore(self.session, insurance_relations, row):
                self.session.execute(
                    update(insurance_relations).filter_by(relation_id=relation.relation_id).values(**values)
                )

    def follow_key_info(self, enterprise_id: str, uscc: str, name: str) -> None:
        changed = self.session.execute(
            update(enterprises).filter_by(enterprise_id=enterprise_id).values(uscc=uscc, name=name)
        ).rowcount
        if not changed:  # its registration has not come yet
            self.session.execute(insert(enterprises).values(enterprise_id=enterprise_id, uscc=uscc, name=name))


class SqlGrants(Grants):
    def __init__(self, session: Session) -> None:
        self.session = session

    def holds(self, clerk_id: str, relation_id: str) -> bool:
        query = select(clerk_grants.c.clerk_id).filter_by(clerk_id=clerk_id, relation_id=relation_id)
        return self.session.execute(query).first() is not None

    def replace(self, clerk_id: str, relation_ids: frozenset[str]) -> None:
        self.session.execute(delete(clerk_grants).filter_by(clerk_id=clerk_id))
        if relation_ids:
            self.session.execute(
                insert(clerk_grants), [{"clerk_id": clerk_id, "relation_id": r} for r in sorted(relation_ids)]
            )
