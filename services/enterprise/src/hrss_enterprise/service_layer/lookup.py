"""Use case: find a registered enterprise by code or unit number (for the agency window)."""

from __future__ import annotations

from hrss_enterprise.domain.errors import EnterpriseNotFound
from hrss_enterprise.domain.model import Enterprise
from hrss_enterprise.service_layer.ports import UnitOfWork


def find_enterprise(uow: UnitOfWork, uscc: str | None = None, unit_no: str | None = None) -> Enterprise:
    with uow:
        if uscc is None and unit_no is not None:
            uscc = uow.enterprises.uscc_of_unit(unit_no)
        enterprise = uow.enterprises.get(uscc) if uscc else None
        if enterprise is None:
            raise EnterpriseNotFound()
        return enterprise
