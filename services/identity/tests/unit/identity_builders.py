"""Random identifiers and registration applications for the identity service's unit tests."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hrss_contracts.id_number import id_check_character
from hrss_contracts.uscc import USCC_ALPHABET, uscc_check_character
from hrss_identity.domain.model import Account

NOW = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


def random_uscc() -> str:
    body = "".join(random.choices(USCC_ALPHABET, k=17))
    return body + uscc_check_character(body)


def random_id_number() -> str:
    region = "".join(random.choices("0123456789", k=6))
    born = date(1950, 1, 1) + timedelta(days=random.randrange(20000))
    first17 = f"{region}{born:%Y%m%d}{random.randrange(1000):03d}"
    return first17 + id_check_character(first17)


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
