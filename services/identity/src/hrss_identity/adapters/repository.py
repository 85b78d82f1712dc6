"""Accounts in and out of the identity service's tables."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hrss_identity.adapters.orm import accounts
from hrss_identity.domain.model import Account
from hrss_identity.service_layer.ports import AccountRepository
from hrss_kit.sql import insert_ignore


class SqlAccountRepository(AccountRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_login_name(self, login_name: str) -> Account | None:
        row = self.session.execute(select(accounts).filter_by(login_name=login_name)).first()
        if row is None:
            return None
        return Account(
            row.account_id, row.login_name, row.kind, row.uscc, row.password_hash, row.created_at, row.agency
        )

    def add_if_absent(self, account: Account) -> bool:
        return insert_ignore(
            self.session,
            accounts,
            {
                "account_id": account.account_id,
                "login_name": account.login_name,
                "kind": account.kind,
                "uscc": account.uscc,
                "password_hash": account.password_hash,
                "created_at": account.created_at,
                "agency": account.agency,
            },
        )

    def set_password_hash(self, account_id: str, password_hash: str) -> None:
        self.session.execute(update(accounts).filter_by(account_id=account_id).values(password_hash=password_hash))

    def follow_enterprise(self, account_id: str, uscc: str, clear_password: bool) -> None:
        values: dict[str, Any] = {"login_name": uscc, "uscc": uscc}
        if clear_password:
            values["password_hash"] = None
        self.session.execute(update(accounts).filter_by(account_id=account_id).values(**values))
