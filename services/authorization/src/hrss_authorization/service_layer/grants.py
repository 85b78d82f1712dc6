"""The grant check others rely on: one indexed query, no aggregate loaded. A revocation is
honoured as soon as its transaction commits (nothing here is cached)."""

from __future__ import annotations

from hrss_authorization.domain.commands import GrantCheck
from hrss_authorization.service_layer.ports import UnitOfWork

LEGAL, CLERK = "legal", "clerk"


def may_act(check: GrantCheck, uow: UnitOfWork) -> bool:
    with uow:
        if check.role == LEGAL:
            return uow.enterprises.has_relation(check.uscc, check.relation_id)
        if check.role == CLERK and check.clerk_id:
            return uow.enterprises.holds(check.clerk_id, check.uscc, check.relation_id)
        return False
