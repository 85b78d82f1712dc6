"""Facts the enterprise service publishes (past tense)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hrss_enterprise.domain.model import Enterprise


@dataclass(frozen=True)
class EnterpriseRegistered:
    enterprise: Enterprise


@dataclass(frozen=True)
class RegistrationRejected:
    uscc: str
    reason: str  # not_verified | mismatch
    mismatched_fields: tuple[str, ...]
    decided_at: datetime


Event = EnterpriseRegistered | RegistrationRejected
