"""Domain events → the contract's event envelopes."""

from __future__ import annotations

from typing import Any

from hrss_contracts.events import new_envelope
from hrss_enterprise.domain.events import (
    EnterpriseContactChanged,
    EnterpriseKeyInfoChanged,
    EnterpriseRegistered,
    Event,
    RegistrationRejected,
    UnitCreditCodeChanged,
)
from hrss_enterprise.domain.model import Enterprise

SOURCE = "enterprise"


def enterprise_data(enterprise: Enterprise) -> dict[str, Any]:
    return {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "address": enterprise.address,
        "legal_rep_name": enterprise.legal_rep_name,
        "legal_rep_id": enterprise.legal_rep_id,
        "legal_rep_phone": enterprise.legal_rep_phone,
        "units": [
            {
                "unit_no": unit.unit_no,
                "credit_code": enterprise.credit_code_of(unit),
                "relations": [
                    {"relation_id": r.relation_id, "unit_no": r.unit_no, "insurance": r.insurance, "agency": r.agency}
                    for r in unit.relations
                ],
            }
            for unit in enterprise.units
        ],
        "registered_at": enterprise.registered_at.isoformat(),
    }


def to_envelope(event: Event) -> dict[str, Any]:
    if isinstance(event, EnterpriseRegistered):
        enterprise = event.enterprise
        return new_envelope("EnterpriseRegistered", SOURCE, enterprise.enterprise_id, enterprise_data(enterprise))
    if isinstance(event, EnterpriseKeyInfoChanged):
        enterprise = event.enterprise
        data = {
            "uscc": enterprise.uscc,
            "previous_uscc": event.previous_uscc,
            "name": enterprise.name,
            "legal_rep_name": enterprise.legal_rep_name,
            "legal_rep_id": enterprise.legal_rep_id,
            "changed_at": event.changed_at.isoformat(),
        }
        return new_envelope("EnterpriseKeyInfoChanged", SOURCE, enterprise.enterprise_id, data)
    if isinstance(event, EnterpriseContactChanged):
        enterprise = event.enterprise
        data = {
            "uscc": enterprise.uscc,
            "legal_rep_phone": enterprise.legal_rep_phone,
            "changed_at": event.changed_at.isoformat(),
        }
        return new_envelope("EnterpriseContactChanged", SOURCE, enterprise.enterprise_id, data)
    if isinstance(event, UnitCreditCodeChanged):
        data = {
            "unit_no": event.unit_no,
            "uscc": event.uscc,
            "previous_uscc": event.previous_uscc,
            "agency": event.agency,
            "changed_at": event.changed_at.isoformat(),
        }
        return new_envelope("UnitCreditCodeChanged", SOURCE, event.enterprise_id, data)
    if isinstance(event, RegistrationRejected):
        return new_envelope(
            "RegistrationRejected",
            SOURCE,
            event.uscc,
            {
                "uscc": event.uscc,
                "reason": event.reason,
                "mismatched_fields": list(event.mismatched_fields),
                "decided_at": event.decided_at.isoformat(),
            },
        )
    raise TypeError(f"no contract for {event!r}")
