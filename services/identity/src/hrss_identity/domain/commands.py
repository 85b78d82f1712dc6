"""What the identity service is asked to do: one frozen command per use case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from hrss_contracts.id_documents import RESIDENT_ID


@dataclass(frozen=True)
class RegisterEnterprise:
    """法人注册: the application as the legal representative typed it, with an optional password.

    The password is plain text held in memory only; ``repr`` leaves it out so no log shows it.
    """

    uscc: str
    name: str
    legal_rep_name: str
    legal_rep_id: str
    phone: str
    password: str | None = field(default=None, repr=False)

    def application(self) -> dict[str, str]:
        """What the enterprise service decides on: everything but the password."""
        return {
            "uscc": self.uscc,
            "name": self.name,
            "legal_rep_name": self.legal_rep_name,
            "legal_rep_id": self.legal_rep_id,
            "phone": self.phone,
        }


@dataclass(frozen=True)
class CreateAccountOfRegisteredEnterprise:
    """The enterprise service registered ``uscc`` (its ``EnterpriseRegistered`` event)."""

    uscc: str


@dataclass(frozen=True)
class ResolvePendingRegistrations:
    """Settle the pending registrations last touched before ``older_than``."""

    older_than: datetime


@dataclass(frozen=True)
class LogIn:
    """账户方式登录 (manual 5.2.1); ``password`` is left out of ``repr``."""

    account: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class ChangePassword:
    """修改资料 → 密码, by the session of ``token``; the passwords are left out of ``repr``."""

    token: str = field(repr=False)
    current_password: str | None = field(repr=False)
    new_password: str = field(repr=False)


@dataclass(frozen=True)
class AddAgencyUser:
    """An agency staff account (``hrssctl agency-users add``)."""

    account: str
    agency: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class RememberLegalRepresentative:
    """An enterprise registered (``EnterpriseRegistered``): its legal representative may scan in
    as 法人. ``enterprise_id`` is the event's aggregate id."""

    enterprise_id: str
    uscc: str
    enterprise_name: str
    legal_rep_id: str = field(repr=False)  # personal data: no log shows it
    legal_rep_name: str


@dataclass(frozen=True)
class FollowKeyInfoChange:
    """单位关键信息维护 approved (``EnterpriseKeyInfoChanged``): the enterprise's key information
    now; ``previous_uscc`` its code before, when this change gave it a new one."""

    enterprise_id: str
    uscc: str
    enterprise_name: str
    legal_rep_id: str = field(repr=False)  # personal data: no log shows it
    legal_rep_name: str
    previous_uscc: str | None = None


@dataclass(frozen=True)
class RememberClerk:
    """A clerk added or modified (``ClerkAdded``, ``ClerkUpdated``): the clerk's whole state."""

    clerk_id: str
    uscc: str
    id_number: str = field(repr=False)
    name: str
    phone: str
    id_type: str = RESIDENT_ID


@dataclass(frozen=True)
class ForgetClerk:
    """A clerk deleted (``ClerkRemoved``): no more logins, no more sessions."""

    clerk_id: str


@dataclass(frozen=True)
class FindMemberships:
    """The enterprises a person scanning in may act for in ``role`` (``legal`` or ``clerk``)."""

    role: str
    id_number: str = field(repr=False)
    name: str
    id_type: str = RESIDENT_ID
