"""The legal representative's clerks (manual 3.1.1 授权登录): list, add, modify, delete, and
单位授权. Each change is one transaction on the enterprise, locked while it lasts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hrss_authorization.domain import commands
from hrss_authorization.domain.errors import EnterpriseNotFound
from hrss_authorization.domain.events import ClerkAuthorizationRevoked, ClerkAuthorized
from hrss_authorization.domain.model import Clerk, Enterprise, InsuranceRelation
from hrss_authorization.service_layer.ports import UnitOfWork


def relations(uscc: str, uow: UnitOfWork, clerk_id: str | None = None) -> list[InsuranceRelation]:
    """The enterprise's insurance relations, by unit number and insurance type; with
    ``clerk_id``, only those granted to that clerk of the enterprise (none for another's)."""
    with uow:
        enterprise = registered_enterprise(uow, uscc)
        found = list(enterprise.relations.values())
        if clerk_id is not None:
            clerk = enterprise.clerks.get(clerk_id)
            found = [r for r in found if clerk is not None and r.relation_id in clerk.relation_ids]
        return sorted(found, key=lambda r: (r.unit_no, r.insurance, r.relation_id))


def clerks(uscc: str, uow: UnitOfWork) -> list[Clerk]:
    with uow:
        return sorted(registered_enterprise(uow, uscc).clerks.values(), key=lambda c: (c.person.name, c.clerk_id))


def add(command: commands.AddClerk, uow: UnitOfWork) -> Clerk:
    with uow:
        enterprise = registered_enterprise(uow, command.uscc, for_update=True)
        clerk = enterprise.add_clerk(str(uuid.uuid4()), command.person, _now())
        save_and_commit(uow, enterprise)
        return clerk


def update(command: commands.UpdateClerk, uow: UnitOfWork) -> Clerk:
    with uow:
        enterprise = registered_enterprise(uow, command.uscc, for_update=True)
        clerk = enterprise.update_clerk(command.clerk_id, command.person, _now())
        save_and_commit(uow, enterprise)
        return clerk


def remove(command: commands.RemoveClerk, uow: UnitOfWork) -> None:
    with uow:
        enterprise = registered_enterprise(uow, command.uscc, for_update=True)
        enterprise.remove_clerk(command.clerk_id, command.actor, _now())
        save_and_commit(uow, enterprise)


def set_grants(command: commands.SetGrants, uow: UnitOfWork) -> Clerk:
    with uow:
        enterprise = registered_enterprise(uow, command.uscc, for_update=True)
        clerk = enterprise.set_grants(command.clerk_id, command.relation_ids, command.actor, _now())
        save_and_commit(uow, enterprise)
        return clerk


def registered_enterprise(uow: UnitOfWork, uscc: str, for_update: bool = False) -> Enterprise:
    """The enterprise whose code is ``uscc`` today; ``EnterpriseNotFound`` if none is registered."""
    enterprise = uow.enterprises.get(uscc, for_update=for_update)
    if enterprise is None:
        raise EnterpriseNotFound(uscc)
    return enterprise


def save_and_commit(uow: UnitOfWork, enterprise: Enterprise) -> None:
    """Save the clerks, write each grant change to the audit trail, publish, commit."""
    uow.enterprises.save(enterprise)
    for event in enterprise.events:
        if isinstance(event, ClerkAuthorized | ClerkAuthorizationRevoked):
            uow.audit.record(enterprise.enterprise_id, event)
        uow.publish(event)
    enterprise.events.clear()
    uow.commit()


def _now() -> datetime:
    return datetime.now(UTC)
