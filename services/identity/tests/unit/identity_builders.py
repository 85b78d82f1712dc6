"""Random identifiers and registration commands for the identity service's unit tests."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

from hrss_contracts.examples import random_id_number, random_uscc
from hrss_identity.domain.commands import RegisterEnterprise
from hrss_identity.domain.model import Account

NOW = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)

__all__ = ["NOW", "a_registration", "an_account", "random_password", "random_uscc"]


def random_password() -> str:
    return f"pw-{uuid.uuid4().hex[:12]}"


def a_registration(uscc: str | None = None, password: str | None = None) -> RegisterEnterprise:
    """A command as the identity entrypoint builds it; ``password`` None if not set."""
    return RegisterEnterprise(
        uscc=uscc or random_uscc(),
        name=f"企业{random.randrange(10**8):08d}",
        legal_rep_name=f"法人{random.randrange(10**4):04d}",
        legal_rep_id=random_id_number(),
        phone=f"139{random.randrange(10**8):08d}",
        password=password,
    )


def an_account(uscc: str | None = None, password_hash: str | None = None) -> Account:
    return Account.for_enterprise(uscc or random_uscc(), password_hash, NOW)
