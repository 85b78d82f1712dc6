"""Accounts: who may log in, and how; and registrations whose outcome identity awaits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

ENTERPRISE, AGENCY = "enterprise", "agency"


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
    agency: str | None = None

    @classmethod
    def for_enterprise(cls, uscc: str, password_hash: str | None, now: datetime) -> Account:
        return cls(str(uuid.uuid4()), uscc, ENTERPRISE, uscc, password_hash, now)

    @classmethod
    def for_agency_staff(cls, login_name: str, agency: str, password_hash: str, now: datetime) -> Account:
        return cls(str(uuid.uuid4()), login_name, AGENCY, None, password_hash, now, agency)

    @property
    def role(self) -> str:
        """The role a password login gives: an enterprise account is its legal representative's."""
        return "agency" if self.kind == AGENCY else "legal"

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None


DECIDING, UNANSWERED = "deciding", "unanswered"


@dataclass
class PendingRegistration:
    """A registration of ``uscc`` whose account is not created yet (one row per code).

    ``DECIDING``: attempt ``attempt`` is waiting for the enterprise service. If it carries a
    password (``with_password``), the password is in that worker's memory only, so nobody else
    may create the account; ``accepted`` records that the enterprise's ``EnterpriseRegistered``
    arrived meanwhile, and the worker creates the account once it has the hash.

    ``UNANSWERED``: the enterprise gave no decision in time; ``password_hash`` (None: no
    password) is what the account gets if the enterprise's acceptance arrives later.
    """

    uscc: str
    attempt: str
    state: str
    with_password: bool
    password_hash: str | None
    accepted: bool
    updated_at: datetime

    @classmethod
    def begin(cls, uscc: str, with_password: bool, now: datetime) -> PendingRegistration:
        return cls(uscc, str(uuid.uuid4()), DECIDING, with_password, None, False, now)

    @property
    def deciding(self) -> bool:
        return self.state == DECIDING

    @property
    def awaits_password(self) -> bool:
        """Only the deciding worker knows the password the account must get."""
        return self.deciding and self.with_password

    def settle_unanswered(self, password_hash: str | None, now: datetime) -> None:
        self.state, self.password_hash, self.updated_at = UNANSWERED, password_hash, now

    def mark_accepted(self, now: datetime) -> None:
        self.accepted, self.updated_at = True, now


@dataclass(frozen=True)
class Session:
    """Who a session's token stands for: an account in a role, for an enterprise (``uscc``) or
    an agency. ``id_number`` and ``name`` are the person's where the platform knows them."""

    account_id: str
    login_name: str
    role: str
    uscc: str | None = None
    agency: str | None = None
    id_number: str | None = None
    name: str | None = None
