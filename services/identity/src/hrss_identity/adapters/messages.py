"""Domain events → the contract's event envelopes."""

from __future__ import annotations

from typing import Any

from hrss_contracts.events import new_envelope
from hrss_identity.domain.events import AccountCreated, Event

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
    raise TypeError(f"no contract for {event!r}")
