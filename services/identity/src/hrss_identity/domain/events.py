"""Facts the identity service publishes."""

from __future__ import annotations

from dataclasses import dataclass

from hrss_identity.domain.model import Account


@dataclass(frozen=True)
class AccountCreated:
    account: Account


Event = AccountCreated
