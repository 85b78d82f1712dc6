"""Random valid identifiers, for tests, demos and benchmarks (never for real data)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hrss_contracts.id_number import id_check_character
from hrss_contracts.uscc import USCC_ALPHABET, uscc_check_character

_DIGITS = "0123456789"


def random_uscc() -> str:
    """A unified social credit code: positions 3–8 digits (the division code), a correct check character."""
    body = "".join(
        random.choices(USCC_ALPHABET, k=2) + random.choices(_DIGITS, k=6) + random.choices(USCC_ALPHABET, k=9)
    )
    return body + uscc_check_character(body)


def random_id_number() -> str:
    """A resident ID number with a real birth date (1950–2004) and a correct check character."""
    region = random.choice("12345678") + "".join(random.choices(_DIGITS, k=5))
    born = date(1950, 1, 1) + timedelta(days=random.randrange(20000))
    first17 = f"{region}{born:%Y%m%d}{random.randrange(1000):03d}"
    return first17 + id_check_character(first17)
