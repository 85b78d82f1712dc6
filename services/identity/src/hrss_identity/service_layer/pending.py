"""Registrations whose outcome identity awaits: the ``EnterpriseRegistered`` handler's side,
and the resolution of rows an attempt left behind (see ``registration`` for the saga)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from hrss_contracts.masking import mask_uscc
from hrss_identity.domain.commands import CreateAccountOfRegisteredEnterprise, ResolvePendingRegistrations
from hrss_identity.domain.errors import EnterpriseUnanswered
from hrss_identity.domain.model import PendingRegistration
from hrss_identity.service_layer.accounts import add_enterprise_account
from hrss_identity.service_layer.ports import EnterpriseDirectory, UnitOfWork

log = logging.getLogger(__name__)

RESOLVE_BATCH = 100


def on_enterprise_registered(command: CreateAccountOfRegisteredEnterprise, uow: UnitOfWork) -> None:
    """The account of a registered enterprise, with the password its registration left.

    Runs inside the event handler's transaction (``uow`` joins it). A worker still holding the
    password (``awaits_password``) creates the account itself; the row only learns the news.
    """
    uscc = command.uscc
    with uow:
        if uow.accounts.by_login_name(uscc) is not None:
            uow.commit()  # created already, by the registration or an earlier delivery
            return
        row = uow.pending.lock(uscc)
        if uow.accounts.by_login_name(uscc) is not None:
            pass  # created while we waited for the row's lock
        elif row is None:
            log_lost_password(uscc, "no registration of it is pending")
        elif row.awaits_password:
            row.mark_accepted(datetime.now(UTC))
            uow.pending.save(row)
        else:
            add_enterprise_account(uow, uscc, row.password_hash)
            if not row.deciding:  # a deciding row (no password) is its worker's to remove
                uow.pending.remove(uscc)
        uow.commit()


def resolve(
    uow: UnitOfWork, enterprises: EnterpriseDirectory, uscc: str, expected: PendingRegistration | None = None
) -> None:
    """Settle the row an earlier attempt of ``uscc`` left, by asking the enterprise whether it
    registered the code. Its answer is final: a request older than its caller's timeout is
    dropped by the enterprise, never decided late. ``expected``: act only if the row is still
    that one. ``EnterpriseUnanswered`` when the enterprise cannot say; nothing changes then.
    """
    registered = enterprises.is_registered(uscc)
    with uow:
        row = uow.pending.lock(uscc)
        if row is None or (expected is not None and row != expected):
            return
        if uow.accounts.by_login_name(uscc) is not None or not registered:
            uow.pending.remove(uscc)
        elif not row.awaits_password:
            add_enterprise_account(uow, uscc, row.password_hash)
            uow.pending.remove(uscc)
        elif row.accepted:
            log_lost_password(uscc, "its worker died holding the password")
            uow.pending.remove(uscc)
        else:
            return  # its EnterpriseRegistered is yet to be handled; keep the row for it
        uow.commit()


def resolve_stale(command: ResolvePendingRegistrations, uow: UnitOfWork, enterprises: EnterpriseDirectory) -> int:
    """Resolve the rows untouched since ``command.older_than``; returns how many were looked at.

    Rows are not simply deleted at an age: after a long identity outage, the event that needs
    a row's hash may still be queued. Stops at the first row the enterprise cannot answer for.
    """
    with uow:
        stale = uow.pending.last_touched_before(command.older_than, RESOLVE_BATCH)
    for row in stale:
        try:
            resolve(uow, enterprises, row.uscc, expected=row)
        except EnterpriseUnanswered:
            log.warning("pending registrations not resolved: the enterprise service did not answer")
            break
    return len(stale)


def log_lost_password(uscc: str, why: str) -> None:
    log.error(
        "enterprise %s is registered but has no account: %s; its legal representative's next registration creates it",
        mask_uscc(uscc),
        why,
    )
