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


@dataclass(frozen=True)
class EnterpriseKeyInfoChanged:
    """单位关键信息维护 applied: the enterprise's key information now, whole."""

    enterprise: Enterprise
    previous_uscc: str | None  # its code before, when the change gave it a new one
    changed_at: datetime


@dataclass(frozen=True)
class EnterpriseContactChanged:
    """修改资料: the legal representative's contact phone now."""

    enterprise: Enterprise
    changed_at: datetime


@dataclass(frozen=True)
class UnitCreditCodeChanged:
    """信用代码维护: a unit now carries the enterprise's code."""

    enterprise_id: str
    unit_no: str
    uscc: str
    previous_uscc: str
    agency: str
    changed_at: datetime


Event = (
    EnterpriseRegistered
    | RegistrationRejected
    | EnterpriseKeyInfoChanged
    | EnterpriseContactChanged
    | UnitCreditCodeChanged
)
