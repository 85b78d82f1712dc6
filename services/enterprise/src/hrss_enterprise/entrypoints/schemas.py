"""RPC payloads of the enterprise service, loaded into domain objects at the edge.

Names arrive in their one spelling (the contracts' ``Name`` field normalises them, NFKC and
white space), from a registration and from an import alike, so the decision compares like
with like. Records imported before that normalisation are normalised by a re-import.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError

from hrss_contracts.registration import RegistrationRequestSchema
from hrss_contracts.sources import SourceRecordSchema, refusal_reason
from hrss_enterprise.domain.model import InsuranceRelation, RegistrationApplication, SourceRecord, Unit

_registration = RegistrationRequestSchema()
_record = SourceRecordSchema()


def load_application(payload: dict[str, Any]) -> RegistrationApplication:
    data = _registration.load(payload)
    return RegistrationApplication(
        uscc=data["uscc"],
        name=data["name"],
        legal_rep_name=data["legal_rep_name"],
        legal_rep_id=data["legal_rep_id"],
        phone=data["phone"],
    )


def load_record(source: str, raw: Any) -> SourceRecord:
    """One source record, or ``ValueError`` with the reason it is refused."""
    if not isinstance(raw, dict):
        raise ValueError("not a JSON object")
    try:
        data = _record.load(raw)
    except ValidationError as exc:
        raise ValueError(refusal_reason(exc.messages)) from exc
    return SourceRecord(
        source=source,
        uscc=data["uscc"],
        name=data["name"],
        address=data["address"],
        legal_rep_name=data["legal_rep_name"],
        legal_rep_id=data["legal_rep_id"],
        legal_rep_phone=data["legal_rep_phone"],
        units=tuple(
            Unit(
                u["unit_no"],
                tuple(InsuranceRelation(u["unit_no"], r["insurance"], r["agency"]) for r in u["relations"]),
            )
            for u in data["units"]
        ),
    )
