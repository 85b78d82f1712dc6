"""The read model of registered enterprises, kept from the enterprise service's events inside
each handler's transaction (``uow`` joins it), and the grant history's pages."""

from __future__ import annotations

from hrss_authorization.domain import commands
from hrss_authorization.domain.errors import NotYetKnown
from hrss_authorization.service_layer.clerks import registered_enterprise
from hrss_authorization.service_layer.ports import AuditEntry, UnitOfWork


def remember(command: commands.RememberEnterprise, uow: UnitOfWork) -> None:
    with uow:
        uow.enterprises.remember(command)
        uow.commit()


def follow_key_info(command: commands.FollowKeyInfoChange, uow: UnitOfWork) -> None:
    with uow:
        uow.enterprises.follow_key_info(command)
        uow.commit()


def follow_contact(command: commands.FollowContactChange, uow: UnitOfWork) -> None:
    """NotYetKnown (the event is retried) when the registration has not arrived yet: a contact
    change comes after it, and the registration's phone must not overwrite the newer one."""
    with uow:
        if not uow.enterprises.follow_contact(command):
            raise NotYetKnown()
        uow.commit()


def audit(query: commands.AuditQuery, uow: UnitOfWork) -> tuple[list[AuditEntry], int]:
    with uow:
        enterprise = registered_enterprise(uow, query.uscc)
        # Scoped to the enterprise: another enterprise's clerk id finds nothing. A deleted
        # clerk's history stays listable.
        return uow.audit.page(enterprise.enterprise_id, query.clerk_id, query.page, query.page_size)
