"""What the identity service is asked to do: one frozen command per use case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


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
class AddAgencyUser:
    """An agency staff account (``hrssctl agency-users add``)."""

    account: str
    agency: str
    password: str = field(repr=False)
