"""Accounts: who may log in, and how."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

ENTERPRISE = "enterprise"


@dataclass
class Account:
    """An enterprise account (login name: the USCC) or an agency staff account.

    ``password_hash`` is None for an enterprise registered without a password: its legal
    representative logs in by scanning (manual 5.2.1.5).
    """

    account_id: str
    login_name: str
    kind: str
    uscc: str | None
    password_hash: str | None
    created_at: datetime

    @classmethod
    def for_enterprise(cls, uscc: str, password_hash: str | None, now: datetime) -> Account:
        return cls(str(uuid.uuid4()), uscc, ENTERPRISE, uscc, password_hash, now)

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None
