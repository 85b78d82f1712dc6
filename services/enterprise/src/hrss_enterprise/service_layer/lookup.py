"""Use cases of the agency window: find a registered enterprise, or what the sources hold of one,
by code or unit number."""

from __future__ import annotations

from hrss_enterprise.domain.errors import EnterpriseNotFound
from hrss_enterprise.domain.model import Enterprise, SourceRecord
from hrss_enterprise.domain.registration import reference_record
from hrss_enterprise.service_layer.ports import UnitOfWork


def find_enterprise(uow: UnitOfWork, uscc: str | None = None, unit_no: str | None = None) -> Enterprise:
    with uow:
        if uscc is None and unit_no is not None:
            enterprise_id = uow.enterprises.uscc_of_unit(unit_no)
            enterprise = uow.enterprises.get_by_id(enterprise_id) if enterprise_id else None
        else:
            enterprise = uow.enterprises.get(uscc) if uscc else None
        if enterprise is None:
            raise EnterpriseNotFound()
        return enterprise


def source_reference(uow: UnitOfWork, uscc: str | None = None, unit_no: str | None = None) -> SourceRecord:
    """What the verification sources hold for an enterprise, by code or unit number: the record a
    registration is checked against (the pension record where there is one). The agency window
    names its code and legal representative when the enterprise never registered (manual 5.3)."""
    with uow:
        if uscc is None and unit_no is not None:
            uscc = uow.sources.unit_holders([unit_no]).get(unit_no)
        records = uow.sources.for_uscc(uscc) if uscc else {}
        if not records:
            raise EnterpriseNotFound()
        return reference_record(records)
