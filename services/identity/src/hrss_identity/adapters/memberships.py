"""The membership read model in identity's tables (``legal_representatives``,
``enterprise_codes``, ``clerk_memberships``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from hrss_contracts.id_documents import RESIDENT_ID
from hrss_contracts.names import normalise_name
from hrss_identity.adapters.orm import accounts, clerk_memberships, enterprise_codes, legal_representatives
from hrss_identity.domain.model import (
    CLERK,
    ENTERPRISE,
    LEGAL,
    ClerkMembership,
    LegalRepresentative,
    Membership,
    clerk_account_id,
    legal_account_id,
)
from hrss_identity.service_layer.ports import Memberships
from hrss_kit.sql import insert_ignore

reps, codes, clerks = legal_representatives, enterprise_codes, clerk_memberships

# Every QR login runs one of these twice (at the confirm and when the token is collected):
# built once, they cost a third of the CPU of a statement built per call.
_LEGAL_ENTERPRISES = (
    select(reps.c.enterprise_id, reps.c.uscc, reps.c.enterprise_name, accounts.c.account_id)
    # The enterprise account's login name is the code the enterprise registered with.
    .select_from(
        reps.outerjoin(accounts, and_(accounts.c.login_name == reps.c.enterprise_id, accounts.c.kind == ENTERPRISE))
    )
    .where(reps.c.legal_rep_id == bindparam("id_number"), reps.c.legal_rep_name == bindparam("name"))
    .order_by(reps.c.uscc)
)
_CLERK_ENTERPRISES = (
    select(clerks.c.clerk_id, reps.c.uscc, reps.c.enterprise_name)
    .join(codes, codes.c.uscc == clerks.c.uscc)
    .join(reps, reps.c.enterprise_id == codes.c.enterprise_id)
    .where(
        clerks.c.id_number == bindparam("id_number"),
        clerks.c.id_type == bindparam("id_type"),
        clerks.c.name == bindparam("name"),
    )
    .order_by(reps.c.uscc, clerks.c.clerk_id)
)


class SqlMemberships(Memberships):
    def __init__(self, session: Session) -> None:
        self.session = session

    def legal_enterprises(self, id_number: str, name: str) -> list[Membership]:
        rows = self.session.execute(_LEGAL_ENTERPRISES, {"id_number": _id(id_number), "name": normalise_name(name)})
        return [
            Membership(r.uscc, r.enterprise_name, legal_account_id(r.enterprise_id, r.account_id), LEGAL) for r in rows
        ]

    def clerk_enterprises(self, id_number: str, name: str, id_type: str = RESIDENT_ID) -> list[Membership]:
        rows = self.session.execute(
            _CLERK_ENTERPRISES, {"id_number": _id(id_number), "id_type": id_type, "name": normalise_name(name)}
        )
        return [Membership(r.uscc, r.enterprise_name, clerk_account_id(r.clerk_id), CLERK) for r in rows]

    def legal_representative(self, enterprise_id: str) -> LegalRepresentative | None:
        row = self.session.execute(select(reps).filter_by(enterprise_id=enterprise_id)).first()
        if row is None:
            return None
        return LegalRepresentative(
            row.enterprise_id, row.uscc, row.enterprise_name, row.legal_rep_id, row.legal_rep_name
        )

    def save_legal_representative(self, representative: LegalRepresentative, former_uscc: str | None) -> None:
        values = {
            "uscc": representative.uscc,
            "enterprise_name": representative.enterprise_name,
            "legal_rep_id": representative.id_number,
            "legal_rep_name": representative.name,
        }
        # The kit orders an aggregate's events (its version row is locked): no concurrent insert.
        self._upsert(reps, "enterprise_id", representative.enterprise_id, values)
        known = {representative.enterprise_id, representative.uscc} | ({former_uscc} if former_uscc else set())
        for code in sorted(known):  # one order, so two transactions never wait on each other
            insert_ignore(self.session, codes, {"uscc": code, "enterprise_id": representative.enterprise_id})

    def clerk(self, clerk_id: str) -> ClerkMembership | None:
        row = self.session.execute(select(clerks).filter_by(clerk_id=clerk_id)).first()
        return _clerk(row) if row is not None else None

    def clerks_of(self, enterprise_id: str) -> list[ClerkMembership]:
        rows = self.session.execute(
            select(clerks)
            .join(codes, codes.c.uscc == clerks.c.uscc)
            .where(codes.c.enterprise_id == enterprise_id)
            .order_by(clerks.c.clerk_id)
        )
        return [_clerk(row) for row in rows]

    def save_clerk(self, clerk: ClerkMembership) -> None:
        values = {
            "uscc": clerk.uscc,
            "id_type": clerk.id_type,
            "id_number": clerk.id_number,
            "name": clerk.name,
            "phone": clerk.phone,
        }
        self._upsert(clerks, "clerk_id", clerk.clerk_id, values)

    def remove_clerk(self, clerk_id: str) -> None:
        self.session.execute(delete(clerks).filter_by(clerk_id=clerk_id))

    def _upsert(self, table: Any, key: str, value: str, values: dict[str, Any]) -> None:
        if self.session.execute(update(table).where(table.c[key] == value).values(**values)).rowcount == 0:
            self.session.execute(insert(table).values({key: value, **values}))


def _id(id_number: str) -> str:
    return id_number.strip().upper()


def _clerk(row: Any) -> ClerkMembership:
    return ClerkMembership(row.clerk_id, row.uscc, row.id_number, row.name, row.phone, row.id_type)
