"""Domain events → the contract's event envelopes."""

from __future__ import annotations

from typing import Any

from hrss_contracts.events import new_envelope
from hrss_contracts.masking import mask_document_number, mask_id_numbers_in_text
from hrss_identity.domain.events import (
    AccountCreated,
    Event,
    LoggedOut,
    LoginFailed,
    LoginSucceeded,
    PasswordChanged,
)

SOURCE = "identity"


def to_envelope(event: Event) -> dict[str, Any]:
    if isinstance(event, AccountCreated):
        account = event.account
        return new_envelope(
            "AccountCreated",
            SOURCE,
            account.account_id,
            {
                "account_id": account.account_id,
                "login_name": account.login_name,
                "kind": account.kind,
                "uscc": account.uscc,
                "has_password": account.has_password,
            },
        )
    if isinstance(event, LoginSucceeded):
        session = event.session
        return new_envelope(
            "LoginSucceeded",
            SOURCE,
            session.account_id,
            {
                "account_id": session.account_id,
                "role": session.role,
                "uscc": session.uscc,
                "agency": session.agency,
                "id_number": mask_document_number(session.id_number) if session.id_number else None,
                "method": event.method,
                "logged_in_at": event.at.isoformat(),
            },
        )
    if isinstance(event, LoginFailed):
        # Only an existing account's name is published (masked if it has an ID number's shape):
        # what a stranger typed may be anything, a password typed in the wrong field included.
        login_name = mask_id_numbers_in_text(event.login_name) if event.login_name else None
        return new_envelope(
            "LoginFailed",
            SOURCE,
            f"login:{login_name or 'unknown'}",
            {
                "login_name": login_name,
                "reason": event.reason,
                "method": event.method,
                "failed_at": event.at.isoformat(),
            },
        )
    if isinstance(event, LoggedOut):
        session = event.session
        return new_envelope(
            "LoggedOut",
            SOURCE,
            session.account_id,
            {
                "account_id": session.account_id,
                "role": session.role,
                "uscc": session.uscc,
                "logged_out_at": event.at.isoformat(),
            },
        )
    if isinstance(event, PasswordChanged):
        return new_envelope(
            "PasswordChanged",
            SOURCE,
            event.account_id,
            {
                "account_id": event.account_id,
                "login_name": event.login_name,
                "first": event.first,
                "sessions_ended": event.sessions_ended,
                "changed_at": event.at.isoformat(),
            },
        )
    raise TypeError(f"no contract for {event!r}")
