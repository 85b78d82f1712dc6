"""Accounts: who may log in, and how; and registrations whose outcome identity awaits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from hrss_contracts.id_documents import RESIDENT_ID

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
    opened_at: float | None = None  # when the login opened it (seconds); set by the store


LEGAL, CLERK = "legal", "clerk"


@dataclass(frozen=True)
class Membership:
    """An enterprise a person may act for in a role (法人 or 办事员), as a QR login offers it.

    ``account_id`` is what the person's sessions for it are kept under, so that ending the
    membership ends them: the enterprise account's for a legal representative, the clerk's
    own (``clerk:<clerk_id>``) for a clerk.
    """

    uscc: str
    enterprise_name: str
    account_id: str
    role: str


@dataclass(frozen=True)
class LegalRepresentative:
    """法人: who represents an enterprise, in identity's membership read model.

    ``enterprise_id`` is the enterprise's aggregate id (the code it registered with), which a
    change of code keeps; ``uscc`` is its code today. Names are in their one spelling.
    """

    enterprise_id: str
    uscc: str
    enterprise_name: str
    id_number: str
    name: str

    def same_person_as(self, other: LegalRepresentative) -> bool:
        return (self.id_number, self.name) == (other.id_number, other.name)


@dataclass(frozen=True)
class ClerkMembership:
    """办事员: a person added as clerk of the enterprise ``uscc`` (one per enterprise and person),
    known by a document: ``id_type`` (证件类型) and ``id_number``."""

    clerk_id: str
    uscc: str
    id_number: str
    name: str
    phone: str
    id_type: str = RESIDENT_ID

    @property
    def account_id(self) -> str:
        return clerk_account_id(self.clerk_id)

    def logs_in_as(self, other: ClerkMembership) -> bool:
        """Whether a session opened as ``self`` still stands for ``other``: the same person
        (document and name, manual 3.1.1 注) for the same enterprise; the phone does not count."""
        mine, theirs = (
            (self.uscc, self.id_type, self.id_number, self.name),
            (
                other.uscc,
                other.id_type,
                other.id_number,
                other.name,
            ),
        )
        return mine == theirs


def clerk_account_id(clerk_id: str) -> str:
    return f"clerk:{clerk_id}"


def legal_account_id(enterprise_id: str, account_id: str | None) -> str:
    """The account a legal representative's sessions are kept under: the enterprise account
    (login name: the code the enterprise registered with) once it exists, else a stand-in that
    names the enterprise, so a session opened before the account was created can end too."""
    return account_id or f"enterprise:{enterprise_id}"
