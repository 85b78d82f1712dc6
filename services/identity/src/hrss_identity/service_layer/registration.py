"""Use case: register an enterprise and create its account (DESIGN flow 1).

Identity leads: it refuses a code whose account exists, asks the enterprise service to
decide, then creates the account. The ``EnterpriseRegistered`` handler creates it too
(``ensure_account``), so an account exists even if identity dies between the enterprise's
commit and its own; whichever path comes first creates it, with the password hash the
registration left pending, and the other finds it done.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hrss_identity.domain.errors import AccountExists, EnterpriseUnanswered, RegistrationInProgress
from hrss_identity.domain.events import AccountCreated
from hrss_identity.domain.model import Account
from hrss_identity.service_layer.ports import (
    EnterpriseDirectory,
    PasswordHasher,
    PendingPasswords,
    RegistrationLocks,
    UnitOfWork,
)


def register(
    application: dict[str, Any],
    uow: UnitOfWork,
    enterprises: EnterpriseDirectory,
    hasher: PasswordHasher,
    locks: RegistrationLocks,
    pending: PendingPasswords,
) -> dict[str, Any]:
    uscc = application["uscc"]
    password = application.get("password")
    with locks.hold(uscc) as held:
        if not held:
            raise RegistrationInProgress()
        with uow:
            if uow.accounts.by_login_name(uscc) is not None:
                raise AccountExists()
        password_hash = hasher.hash(password) if password else None
        if password_hash:
            pending.put(uscc, password_hash)
        try:
            enterprise = enterprises.register({k: v for k, v in application.items() if k != "password"})
        except EnterpriseUnanswered:
            # The enterprise may still decide (its reply may be what was lost): the pending
            # password stays for the EnterpriseRegistered handler until its time-to-live.
            raise
        except Exception:
            pending.discard(uscc)
            raise
        try:
            _create_account(uow, uscc, password_hash)
        finally:
            pending.discard(uscc)
    return enterprise


def ensure_account(uow: UnitOfWork, uscc: str, pending: PendingPasswords) -> None:
    """The account of a registered enterprise exists, with the pending password if any.

    Runs inside the event handler's transaction (``uow`` joins it).
    """
    account = Account.for_enterprise(uscc, pending.get(uscc), datetime.now(UTC))
    if uow.accounts.add_if_absent(account):
        uow.publish(AccountCreated(account))
    uow.commit()


def _create_account(uow: UnitOfWork, uscc: str, password_hash: str | None) -> None:
    with uow:
        account = Account.for_enterprise(uscc, password_hash, datetime.now(UTC))
        if uow.accounts.add_if_absent(account):
            uow.publish(AccountCreated(account))
        else:
            # The EnterpriseRegistered handler was quicker. It used the pending hash, unless
            # it read it before we wrote it; then the account still lacks the password.
            existing = uow.accounts.by_login_name(uscc)
            assert existing is not None
            if password_hash and existing.password_hash != password_hash:
                if existing.has_password:
                    raise AccountExists()
                uow.accounts.set_password_hash(existing.account_id, password_hash)
        uow.commit()
