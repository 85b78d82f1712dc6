"""What can go wrong in the identity service."""

from __future__ import annotations


class IdentityError(Exception):
    """Base of the identity service's domain errors."""


class AccountExists(IdentityError):
    """5.1.2: the legal representative's account already exists."""


class EnterpriseUnanswered(IdentityError):
    """The enterprise service gave no decision in time; it may still make one."""


class RegistrationInProgress(IdentityError):
    """Another registration of the same code is being decided right now."""


class LoginRefused(IdentityError):
    """A password login refused: ``reason`` is ``account_not_found``, ``use_qr_login`` or
    ``bad_credentials`` (manual 5.2.1.3 - 5.2.1.5)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AccountLocked(IdentityError):
    """Too many failed logins: the account takes no password for ``seconds`` more."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class AgencyUserExists(IdentityError):
    """The account name is taken (by staff of another agency, or by an enterprise)."""


class QrSessionNotFound(IdentityError):
    """No such QR session for this browser (unknown, gone, or the binding does not match)."""


class SlowDown(IdentityError):
    """Polled without waiting sooner than the session's interval (RFC 8628 ``slow_down``)."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class InvalidAssertion(IdentityError):
    """An e-SSC assertion that does not verify."""


class AssertionReplayed(IdentityError):
    """An e-SSC assertion whose ``jti`` was used before."""


class AssertionsExceeded(IdentityError):
    """Too many assertions for one QR session or one person."""


class LoginBusy(IdentityError):
    """Another login attempt for the same account is being checked right now."""


class SessionEnded(IdentityError):
    """The session that asked has ended meanwhile."""


class CurrentPasswordWrong(IdentityError):
    """A password change with a current password that is not the account's."""


class CurrentPasswordMissing(IdentityError):
    """A password change of an account that has a password, without the current one."""


class FreshLoginRequired(IdentityError):
    """Setting a first password from a session not opened just now."""
