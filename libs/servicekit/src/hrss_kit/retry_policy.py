"""How often a failed event is retried, and when it is parked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

RETRYING, PARKED = "retrying", "parked"


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff ``base * 2^(attempt-1)`` seconds; parked after ``max_attempts`` failures."""

    max_attempts: int = 5
    base_seconds: float = 2.0

    def delay(self, attempts: int) -> timedelta:
        return timedelta(seconds=self.base_seconds * 2 ** (attempts - 1))

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> RetryPolicy:
        return cls(
            int(config.get("EVENT_RETRY_MAX_ATTEMPTS", cls.max_attempts)),
            float(config.get("EVENT_RETRY_BASE_SECONDS", cls.base_seconds)),
        )
