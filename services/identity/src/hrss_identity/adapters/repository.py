"""Accounts in and out of the identity service's tables."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, literal, select, union_all, update
from sqlalchemy.orm import Session

from hrss_identity.adapters.orm import accounts, enterprise_codes
from hrss_identity.domain.model import ENTERPRISE, Account
from hrss_identity.service_layer.ports import AccountRepository
from hrss_kit.sql import insert_ignore

# The account named so, else (a code the enterprise has or had) the enterprise's account: one
# round trip, each branch on its own index, built once (every registration asks it twice).
_NAMED = bindparam("login_name")
_BY_LOGIN_NAME = (
    union_all(
        select(accounts, literal(0).label("rank")).where(accounts.c.login_name == _NAMED),
        select(accounts, literal(1).label("rank")).where(
            accounts.c.login_name.in_(
                select(enterprise_codes.c.enterprise_id).where(enterprise_codes.c.uscc == _NAMED)
            ),
            accounts.c.kind == ENTERPRISE,
        ),
    )
    .order_by("rank")
    .limit(1)
)


class SqlAccountRepository(AccountRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_login_name(self, login_name: str) -> Account | None:
        """The account named ``login_name``; or, for a code an enterprise has today or had before
        单位关键信息维护, that enterprise's account (its login name stays the code it registered
        with, which is what every other record of it keys on)."""
        row = self.session.execute(_BY_LOGIN_NAME, {"login_name": login_name}).first()
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
        values: dict[str, Any] = {"uscc": uscc}
        if clear_password:
            values["password_hash"] = None
        self.session.execute(update(accounts).filter_by(account_id=account_id).values(**values))
