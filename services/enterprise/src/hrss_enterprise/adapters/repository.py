"""Repositories: registered enterprises and the registration decisions in and out of their
tables (the verification sources' records: ``sources``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, insert, literal, or_, select, union_all, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hrss_enterprise.adapters.orm import (
    enterprise_codes,
    enterprises,
    insurance_relations,
    key_info_cases,
    registration_decisions,
    units,
)
from hrss_enterprise.domain.errors import AlreadyRegistered
from hrss_enterprise.domain.model import Enterprise, InsuranceRelation, Unit
from hrss_enterprise.service_layer.ports import DecisionLog, EnterpriseRepository
from hrss_kit.sql import insert_ignore

# Every registration runs these; built once, they cost a fraction of the CPU of statements built
# per call. An enterprise by its code of today, else by one it had before: one round trip.
_INSERT_ENTERPRISE, _INSERT_CODE = insert(enterprises), insert(enterprise_codes)
_CODE = bindparam("code")
_BY_CODE = (
    union_all(
        select(enterprises, literal(0).label("rank")).where(enterprises.c.code == _CODE),
        select(enterprises, literal(1).label("rank")).where(
            enterprises.c.uscc
            == select(enterprise_codes.c.enterprise_id).where(enterprise_codes.c.code == _CODE).scalar_subquery()
        ),
    )
    .order_by("rank")
    .limit(1)
)


class SqlEnterpriseRepository(EnterpriseRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, enterprise: Enterprise) -> None:
        try:
            self.session.execute(
                _INSERT_ENTERPRISE,
                {
                    "uscc": enterprise.enterprise_id,
                    "code": enterprise.uscc,
                    "name": enterprise.name,
                    "address": enterprise.address,
                    "legal_rep_name": enterprise.legal_rep_name,
                    "legal_rep_id": enterprise.legal_rep_id,
                    "legal_rep_phone": enterprise.legal_rep_phone,
                    "registered_at": enterprise.registered_at,
                },
            )
            # Every code it holds is kept: no other enterprise may register or take one.
            self.session.execute(_INSERT_CODE, {"code": enterprise.uscc, "enterprise_id": enterprise.enterprise_id})
        except IntegrityError as exc:
            # Registered concurrently by another request (a redelivery, a late retry), or a
            # code another enterprise held before a 单位关键信息维护.
            raise AlreadyRegistered() from exc
        if enterprise.units:
            self.session.execute(
                insert(units),
                [
                    {
                        "unit_no": u.unit_no,
                        "uscc": enterprise.enterprise_id,
                        "credit_code": enterprise.credit_code_of(u),
                    }
                    for u in enterprise.units
                ],
            )
        relations = [
            {"relation_id": r.relation_id, "unit_no": r.unit_no, "insurance": r.insurance, "agency": r.agency}
            for r in enterprise.relations
        ]
        if relations:
            self.session.execute(insert(insurance_relations), relations)

    def get(self, uscc: str) -> Enterprise | None:
        """The enterprise whose credit code is ``uscc`` today, or was before a change."""
        row = self.session.execute(_BY_CODE, {"code": uscc}).first()
        return self._load(row) if row else None

    def get_by_id(self, enterprise_id: str, for_update: bool = False) -> Enterprise | None:
        query = select(enterprises).filter_by(uscc=enterprise_id)
        row = self.session.execute(query.with_for_update() if for_update else query).first()
        return self._load(row) if row else None

    def code_taken(self, uscc: str, by_other_than: str) -> bool:
        """Whether an enterprise other than ``by_other_than`` has or has had the code ``uscc``."""
        query = select(enterprise_codes.c.code).where(
            enterprise_codes.c.code == uscc, enterprise_codes.c.enterprise_id != by_other_than
        )
        return self.session.execute(query).first() is not None

    def key_info_outcome(self, case_no: str) -> str | None:
        return self.session.execute(select(key_info_cases.c.outcome).filter_by(case_no=case_no)).scalar()

    def record_key_info_outcome(self, case_no: str, enterprise_id: str, outcome: str) -> None:
        self.session.execute(
            insert(key_info_cases).values(
                case_no=case_no, enterprise_id=enterprise_id, outcome=outcome, at=datetime.now(UTC)
            )
        )

    def save_key_info(self, enterprise: Enterprise) -> None:
        insert_ignore(
            self.session, enterprise_codes, {"code": enterprise.uscc, "enterprise_id": enterprise.enterprise_id}
        )
        self.session.execute(
            update(enterprises)
            .filter_by(uscc=enterprise.enterprise_id)
            .values(
                code=enterprise.uscc,
                name=enterprise.name,
                legal_rep_name=enterprise.legal_rep_name,
                legal_rep_id=enterprise.legal_rep_id,
            )
        )
        for unit in enterprise.units:
            self.session.execute(
                update(units)
                .where(
                    units.c.unit_no == unit.unit_no,
                    or_(units.c.credit_code.is_(None), units.c.credit_code != enterprise.credit_code_of(unit)),
                )
                .values(credit_code=enterprise.credit_code_of(unit))
            )

    def save_contact(self, enterprise: Enterprise) -> None:
        self.session.execute(
            update(enterprises)
            .filter_by(uscc=enterprise.enterprise_id)
            .values(legal_rep_phone=enterprise.legal_rep_phone)
        )

    def _load(self, row: Any) -> Enterprise:
        enterprise_id = row.uscc
        relation_rows = self.session.execute(
            select(insurance_relations)
            .join(units)
            .where(units.c.uscc == enterprise_id)
            .order_by(insurance_relations.c.unit_no, insurance_relations.c.insurance)
        ).all()
        unit_rows = self.session.execute(
            select(units.c.unit_no, units.c.credit_code).filter_by(uscc=enterprise_id).order_by(units.c.unit_no)
        ).all()
        return Enterprise(
            row.code or enterprise_id,
            row.name,
            row.address,
            row.legal_rep_name,
            row.legal_rep_id,
            row.legal_rep_phone,
            row.registered_at,
            [
                Unit(
                    u.unit_no,
                    tuple(
                        InsuranceRelation(r.unit_no, r.insurance, r.agency)
                        for r in relation_rows
                        if r.unit_no == u.unit_no
                    ),
                    u.credit_code if u.credit_code != enterprise_id else None,  # None: as registered
                )
                for u in unit_rows
            ],
            enterprise_id,
        )

    def uscc_of_unit(self, unit_no: str) -> str | None:
        return self.session.execute(select(units.c.uscc).filter_by(unit_no=unit_no)).scalar()

    def unit_holders(self, unit_nos: list[str]) -> dict[str, str]:
        rows = self.session.execute(select(units.c.unit_no, units.c.uscc).where(units.c.unit_no.in_(unit_nos)))
        return {row.unit_no: row.uscc for row in rows}


class SqlDecisionLog(DecisionLog):
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, uscc: str, outcome: str, mismatched_fields: list[str], decided_at: datetime) -> None:
        self.session.execute(
            insert(registration_decisions).values(
                uscc=uscc,
                outcome=outcome,
                mismatched_fields=mismatched_fields,
                decided_at=decided_at,
            )
        )
