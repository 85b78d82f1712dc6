"""Facts the identity service publishes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hrss_identity.domain.model import Account, Session


@dataclass(frozen=True)
class AccountCreated:
    account: Account


@dataclass(frozen=True)
class LoginSucceeded:
    session: Session
    method: str
    at: datetime


@dataclass(frozen=True)
class LoginFailed:
    login_name: str | None  # None for an account that does not exist: what was typed is not kept
    reason: str  # bad_credentials, account_not_found, use_qr_login, locked
    method: str
    at: datetime


@dataclass(frozen=True)
class LoggedOut:
    session: Session
    at: datetime


@dataclass(frozen=True)
class PasswordChanged:
    account_id: str
    login_name: str
    first: bool  # the account had no password
    sessions_ended: int
    at: datetime


Event = AccountCreated | LoginSucceeded | LoginFailed | LoggedOut | PasswordChanged
