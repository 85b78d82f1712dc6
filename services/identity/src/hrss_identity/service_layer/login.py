"""Use cases 账户方式登录 (manual 5.2.1), sessions, and agency staff accounts.

A password login is refused in the manual's words: an unknown account (5.2.1.4), an account
without a password, whose legal representative logs in by scanning (5.2.1.5), a wrong password
(5.2.1.3). Five failures within 15 minutes lock the account for 15 minutes (``LoginPolicy``);
while it is locked every attempt is refused before the password is looked at, so it costs no
argon2 work and the right password does not end the lock early. The attempts for one account
are checked one at a time (a second one meanwhile is refused, ``LoginBusy``): parallel guesses
would otherwise all pass the lock check before any of them counted as a failure. Every outcome is an event
(``LoginSucceeded``, ``LoginFailed``), written in a transaction of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from hrss_identity.domain.commands import AddAgencyUser, ChangePassword, LogIn
from hrss_identity.domain.errors import (
    AccountLocked,
    AgencyUserExists,
    CurrentPasswordMissing,
    CurrentPasswordWrong,
    FreshLoginRequired,
    LoginBusy,
    LoginRefused,
    SessionEnded,
)
from hrss_identity.domain.events import AccountCreated, LoggedOut, LoginFailed, LoginSucceeded, PasswordChanged
from hrss_identity.domain.model import Account, Session
from hrss_identity.service_layer.ports import LoginAttempts, PasswordHasher, Sessions, UnitOfWork

PASSWORD = "password"
PASSWORD_CHANGE = "password_change"  # a wrong current password in 修改资料, published as LoginFailed


@dataclass(frozen=True)
class Login:
    """What the gateway hands the browser: the token, once."""

    token: str
    expires_in: int
    role: str


def log_in(
    command: LogIn,
    uow: UnitOfWork,
    hasher: PasswordHasher,
    attempts: LoginAttempts,
    sessions: Sessions,
    clock: Callable[[], float],
    idle_seconds: int,
) -> Login:
    with attempts.one_at_a_time(command.account) as mine:
        if not mine:  # another attempt for this account is being checked: no parallel guessing
            raise LoginBusy()
        return _log_in(command, uow, hasher, attempts, sessions, clock, idle_seconds)


def _log_in(
    command: LogIn,
    uow: UnitOfWork,
    hasher: PasswordHasher,
    attempts: LoginAttempts,
    sessions: Sessions,
    clock: Callable[[], float],
    idle_seconds: int,
) -> Login:
    now = clock()
    locked = attempts.locked_for(command.account, now)
    if locked:
        _failed(uow, command.account, "locked", now)
        raise AccountLocked(locked)
    with uow:
        account = uow.accounts.by_login_name(command.account)
    if account is None:
        _failed(uow, None, "account_not_found", now)  # what was typed may be anything: not published
        raise LoginRefused("account_not_found")
    if account.password_hash is None:
        _failed(uow, command.account, "use_qr_login", now)
        raise LoginRefused("use_qr_login")
    matches, new_hash = hasher.verify_and_update(account.password_hash, command.password)
    if not matches:
        locked = attempts.failed(command.account, clock())
        _failed(uow, command.account, "bad_credentials", now)
        if locked:
            raise AccountLocked(locked)
        raise LoginRefused("bad_credentials")
    attempts.succeeded(command.account)
    session = _session_of(account)
    token = sessions.open(session, clock())
    with uow:
        if new_hash is not None:  # hashed with older parameters: today's from now on
            uow.accounts.set_password_hash(account.account_id, new_hash)
        uow.publish(LoginSucceeded(session, PASSWORD, _at(now)))
        uow.commit()
    return Login(token, idle_seconds, session.role)


def authenticate(token: str, sessions: Sessions, clock: Callable[[], float]) -> Session | None:
    return sessions.get(token, clock())


def log_out(token: str, uow: UnitOfWork, sessions: Sessions, clock: Callable[[], float]) -> bool:
    session = sessions.close(token)
    if session is None:
        return False
    with uow:
        uow.publish(LoggedOut(session, _at(clock())))
        uow.commit()
    return True


FRESH_LOGIN_SECONDS = 300  # a first password only from a session opened this recently (a scan)


def change_password(
    command: ChangePassword,
    uow: UnitOfWork,
    hasher: PasswordHasher,
    attempts: LoginAttempts,
    sessions: Sessions,
    clock: Callable[[], float],
) -> int:
    """修改资料 → 密码: set or change the password of the session's account; every other session
    of the account ends (this one stays). Returns how many ended.

    Changing needs the current password, checked as a login checks it: one at a time, counted
    against the same lock, each refusal published. Setting a first password (an account its
    legal representative enters by scanning) needs a session opened within
    ``FRESH_LOGIN_SECONDS``: a token taken from someone else's browser must not turn into a
    password that outlives it. The account is read under the per-account lock, so two changes
    cannot both pass against the same old password."""
    session = sessions.get(command.token, clock())
    if session is None:
        raise SessionEnded()
    with attempts.one_at_a_time(session.login_name) as mine:
        if not mine:
            raise LoginBusy()
        with uow:
            account = uow.accounts.by_login_name(session.login_name)
        if account is None or account.account_id != session.account_id:
            raise SessionEnded()
        now = clock()
        if account.password_hash is None:
            if session.opened_at is None or now - session.opened_at > FRESH_LOGIN_SECONDS:
                raise FreshLoginRequired()
        else:
            if not command.current_password:
                raise CurrentPasswordMissing()
            locked = attempts.locked_for(account.login_name, now)
            if locked:
                _failed(uow, account.login_name, "locked", now, PASSWORD_CHANGE)
                raise AccountLocked(locked)
            if not hasher.verify(account.password_hash, command.current_password):
                locked = attempts.failed(account.login_name, clock())
                _failed(uow, account.login_name, "bad_credentials", now, PASSWORD_CHANGE)
                if locked:
                    raise AccountLocked(locked)
                raise CurrentPasswordWrong()
            attempts.succeeded(account.login_name)
        new_hash = hasher.hash(command.new_password)
        with uow:
            uow.accounts.set_password_hash(account.account_id, new_hash)
            # Before the commit: should it fail, sessions ended and the password unchanged is safe.
            ended = sessions.close_all(account.account_id, keep=command.token)
            first = account.password_hash is None
            uow.publish(PasswordChanged(account.account_id, account.login_name, first, ended, _at(clock())))
            uow.commit()
    return ended


def add_agency_user(command: AddAgencyUser, uow: UnitOfWork, hasher: PasswordHasher, clock: Callable[[], float]) -> str:
    """The new account's id; adding the same name to the same agency again changes nothing
    (a repeated command), to another agency or over an enterprise's account is refused."""
    with uow:
        existing = uow.accounts.by_login_name(command.account)
    if existing is not None:
        if existing.agency == command.agency:
            return existing.account_id
        raise AgencyUserExists()
    account = Account.for_agency_staff(command.account, command.agency, hasher.hash(command.password), _at(clock()))
    with uow:
        if not uow.accounts.add_if_absent(account):
            raise AgencyUserExists()
        uow.publish(AccountCreated(account))
        uow.commit()
    return account.account_id


def _session_of(account: Account) -> Session:
    if account.role == "agency":
        return Session(account.account_id, account.login_name, "agency", agency=account.agency)
    return Session(account.account_id, account.login_name, "legal", uscc=account.uscc)


def _failed(uow: UnitOfWork, login_name: str | None, reason: str, now: float, method: str = PASSWORD) -> None:
    with uow:
        uow.publish(LoginFailed(login_name, reason, method, _at(now)))
        uow.commit()


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
