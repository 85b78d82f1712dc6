"""Use case: register an enterprise (manual 5.1, DESIGN flow 1)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime

from hrss_enterprise.domain import registration
from hrss_enterprise.domain.errors import AlreadyRegistered, NotVerified, RegistrationMismatch
from hrss_enterprise.domain.events import EnterpriseRegistered, RegistrationRejected
from hrss_enterprise.domain.model import Enterprise, RegistrationApplication
from hrss_enterprise.service_layer.ports import UnitOfWork

log = logging.getLogger(__name__)


def register(application: RegistrationApplication, uow: UnitOfWork) -> Enterprise:
    """Register the enterprise or raise why not; a refusal is recorded and published.

    Repeating the registration that created an enterprise returns it again: identity may
    have died between our commit and its own, and its retry must be able to finish.
    """
    now = datetime.now(UTC)
    with uow:
        existing = uow.enterprises.get(application.uscc)
        if existing is not None:
            # Only the registration that created it repeats; its code today (after 单位关键信息维护)
            # is no registration of its own.
            if existing.enterprise_id == application.uscc and existing.registered_as(application):
                return existing
            raise AlreadyRegistered()
        try:
            enterprise = registration.decide(application, uow.sources.for_uscc(application.uscc), now)
        except (NotVerified, RegistrationMismatch) as refusal:
            fields = refusal.fields if isinstance(refusal, RegistrationMismatch) else []
            reason = "mismatch" if fields else "not_verified"
            uow.decisions.record(application.uscc, reason, fields, now)
            uow.publish(RegistrationRejected(application.uscc, reason, tuple(fields), now))
            uow.commit()
            raise
        enterprise = _without_units_held_elsewhere(enterprise, uow)
        uow.enterprises.add(enterprise)
        uow.decisions.record(application.uscc, "registered", [], now)
        uow.publish(EnterpriseRegistered(enterprise))
        uow.commit()
        return enterprise


def _without_units_held_elsewhere(enterprise: Enterprise, uow: UnitOfWork) -> Enterprise:
    """A unit number another registered enterprise holds stays with it (no operation moves a unit
    between enterprises; 信用代码维护 only aligns a unit's code with its own enterprise's);
    registering must not fail on it, and leaves it out."""
    holders = uow.enterprises.unit_holders([u.unit_no for u in enterprise.units])
    taken = {no for no, uscc in holders.items() if uscc != enterprise.uscc}
    if not taken:
        return enterprise
    log.warning("units %s of %s are held by other enterprises; left out", sorted(taken), enterprise.uscc)
    return replace(enterprise, units=[u for u in enterprise.units if u.unit_no not in taken])
