"""The identity service's one table from domain error to catalogue code."""

from __future__ import annotations

from hrss_contracts.errors import CatalogueError
from hrss_identity.domain import errors, qr
from hrss_kit.errors import translate_errors

LOGIN_REFUSALS = {
    "account_not_found": "ACCOUNT_NOT_FOUND",
    "use_qr_login": "USE_QR_LOGIN",
    "bad_credentials": "BAD_CREDENTIALS",
}

catalogue_errors = translate_errors(
    {
        errors.AccountExists: lambda e: CatalogueError("LEGAL_ACCOUNT_EXISTS"),
        errors.RegistrationInProgress: lambda e: CatalogueError("REGISTRATION_IN_PROGRESS"),
        errors.EnterpriseUnanswered: lambda e: CatalogueError("SERVICE_UNAVAILABLE"),
        errors.LoginRefused: lambda e: CatalogueError(LOGIN_REFUSALS[e.reason]),
        errors.AccountLocked: lambda e: CatalogueError(
            "ACCOUNT_LOCKED", params={"minutes": str(-(-e.seconds // 60)), "retry_after": str(e.seconds)}
        ),
        errors.LoginBusy: lambda e: CatalogueError("LOGIN_ATTEMPTS_EXCEEDED", params={"retry_after": "1"}),
        errors.AgencyUserExists: lambda e: CatalogueError("ACCOUNT_NAME_TAKEN"),
        errors.SessionEnded: lambda e: CatalogueError("UNAUTHENTICATED"),
        errors.FreshLoginRequired: lambda e: CatalogueError("FRESH_LOGIN_REQUIRED"),
        errors.CurrentPasswordWrong: lambda e: CatalogueError(
            "CURRENT_PASSWORD_WRONG", fields={"current_password": ["原密码错误"]}
        ),
        errors.CurrentPasswordMissing: lambda e: CatalogueError(
            "VALIDATION_FAILED", fields={"current_password": ["请输入原密码"]}
        ),
        errors.QrSessionNotFound: lambda e: CatalogueError("QR_SESSION_NOT_FOUND"),
        errors.SlowDown: lambda e: CatalogueError("SLOW_DOWN", params={"retry_after": str(e.seconds)}),
        errors.InvalidAssertion: lambda e: CatalogueError("INVALID_ASSERTION"),
        errors.AssertionReplayed: lambda e: CatalogueError("ASSERTION_REPLAYED"),
        errors.AssertionsExceeded: lambda e: CatalogueError("TOO_MANY_REQUESTS", params={"retry_after": "60"}),
        qr.QrSessionClosed: lambda e: CatalogueError("QR_SESSION_CLOSED"),
        qr.ScannedByAnother: lambda e: CatalogueError("QR_ALREADY_SCANNED"),
    }
)
