"""Creating the enterprise account: the one step every path of the registration saga shares."""

from __future__ import annotations

from datetime import UTC, datetime

from hrss_identity.domain.errors import AccountExists
from hrss_identity.domain.events import AccountCreated
from hrss_identity.domain.model import Account
from hrss_identity.service_layer.ports import UnitOfWork


def add_enterprise_account(uow: UnitOfWork, uscc: str, password_hash: str | None) -> None:
    """Create the account with ``password_hash`` inside ``uow``'s transaction; the caller commits.

    An account that exists already keeps its password; one without a password gets this one.
    A different password it already has is not replaced: ``AccountExists``.
    """
    account = Account.for_enterprise(uscc, password_hash, datetime.now(UTC))
    if uow.accounts.add_if_absent(account):
        uow.publish(AccountCreated(account))
        return
    existing = uow.accounts.by_login_name(uscc)
    assert existing is not None
    if password_hash and existing.password_hash != password_hash:
        if existing.has_password:
            raise AccountExists()
        uow.accounts.set_password_hash(existing.account_id, password_hash)
