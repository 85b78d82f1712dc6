"""修改资料 → 联系电话: the legal representative's contact phone, changed by them. One
transaction on the enterprise, locked, with its ``EnterpriseContactChanged``; the same phone
again changes nothing and announces nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from hrss_enterprise.domain.errors import EnterpriseNotFound
from hrss_enterprise.domain.events import EnterpriseContactChanged
from hrss_enterprise.domain.model import Enterprise
from hrss_enterprise.service_layer.ports import UnitOfWork


@dataclass(frozen=True)
class ChangeContact:
    uscc: str  # the enterprise's code today (the legal representative's session's)
    phone: str


def change_contact(command: ChangeContact, uow: UnitOfWork) -> Enterprise:
    with uow:
        found = uow.enterprises.get(command.uscc)
        enterprise = uow.enterprises.get_by_id(found.enterprise_id, for_update=True) if found else None
        if enterprise is None:
            raise EnterpriseNotFound()
        if enterprise.change_contact(command.phone):
            uow.enterprises.save_contact(enterprise)
            uow.publish(EnterpriseContactChanged(enterprise, datetime.now(UTC)))
            uow.commit()
        return enterprise
