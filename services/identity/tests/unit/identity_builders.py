"""Random identifiers and registration applications for the identity service's unit tests."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime
from typing import Any

from hrss_contracts.examples import random_id_number, random_uscc
from hrss_identity.domain.model import Account

NOW = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


def random_password() -> str:
    return f"pw-{uuid.uuid4().hex[:12]}"


def an_application(uscc: str | None = None, password: str | None = None) -> dict[str, Any]:
    """An application as the identity entrypoint hands it on: loaded, ``password`` None if not set."""
    return {
        "uscc": uscc or random_uscc(),
        "name": f"企业{random.randrange(10**8):08d}",
        "legal_rep_name": f"法人{random.randrange(10**4):04d}",
        "legal_rep_id": random_id_number(),
        "phone": f"139{random.randrange(10**8):08d}",
        "password": password,
    }


def an_account(uscc: str | None = None, password_hash: str | None = None) -> Account:
    return Account.for_enterprise(uscc or random_uscc(), password_hash, NOW)
