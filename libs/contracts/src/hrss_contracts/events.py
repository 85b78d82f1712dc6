"""Event envelope, the registry of event types (their data schemas in ``event_data``, their
publishers), and the functions that wrap and load events.

Every event that leaves a service is ``{event_id, event_type, schema_version, source,
occurred_at, aggregate_id, sequence, data}`` (``sequence`` is numbered by the outbox when the
event is recorded). Consumers load with ``unknown=EXCLUDE`` so a producer may
add fields without breaking them; a change of shape gets a new ``schema_version`` and an
upcaster here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from hrss_contracts.case_events import CaseConcludedV1, CaseStatusChangedV1, CaseSubmittedV1
from hrss_contracts.event_data import (
    AccountCreatedV1,
    ClerkAddedV1,
    ClerkAuthorizationRevokedV1,
    ClerkAuthorizedV1,
    ClerkRemovedV1,
    ClerkUpdatedV1,
    EnterpriseContactChangedV1,
    EnterpriseKeyInfoChangedV1,
    EnterpriseRegisteredV1,
    LoggedOutV1,
    LoginFailedV1,
    LoginSucceededV1,
    PasswordChangedV1,
    RegistrationRejectedV1,
    UnitCreditCodeChangedV1,
)
from hrss_contracts.schema import ContractSchema


class EnvelopeSchema(ContractSchema):
    class Meta:
        unknown = EXCLUDE

    event_id = fields.UUID(required=True)
    event_type = fields.String(required=True)
    schema_version = fields.Integer(required=True, validate=validate.Range(min=1))
    source = fields.String(required=True)
    occurred_at = fields.AwareDateTime(required=True)
    aggregate_id = fields.String(required=True)
    # The event's number within its aggregate (1, 2, …), set in the transaction that made it:
    # a read model applies an event only if it is newer than what it holds for the aggregate.
    # Absent only from events written before sequences existed.
    sequence = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))
    data = fields.Dict(required=True)


EVENT_SCHEMAS: dict[tuple[str, int], type[Schema]] = {
    ("EnterpriseRegistered", 1): EnterpriseRegisteredV1,
    ("RegistrationRejected", 1): RegistrationRejectedV1,
    ("AccountCreated", 1): AccountCreatedV1,
    ("LoginSucceeded", 1): LoginSucceededV1,
    ("LoginFailed", 1): LoginFailedV1,
    ("LoggedOut", 1): LoggedOutV1,
    ("PasswordChanged", 1): PasswordChangedV1,
    ("EnterpriseKeyInfoChanged", 1): EnterpriseKeyInfoChangedV1,
    ("UnitCreditCodeChanged", 1): UnitCreditCodeChangedV1,
    ("EnterpriseContactChanged", 1): EnterpriseContactChangedV1,
    ("ClerkAdded", 1): ClerkAddedV1,
    ("ClerkUpdated", 1): ClerkUpdatedV1,
    ("ClerkRemoved", 1): ClerkRemovedV1,
    ("ClerkAuthorized", 1): ClerkAuthorizedV1,
    ("ClerkAuthorizationRevoked", 1): ClerkAuthorizationRevokedV1,
    ("CaseSubmitted", 1): CaseSubmittedV1,
    ("CaseStatusChanged", 1): CaseStatusChangedV1,
    ("CaseConcluded", 1): CaseConcludedV1,
}

# The one service that publishes each event type, on its exchange ``<source>.events``
# (DESIGN.md, "Services and what each owns"); consumers bind to it, AsyncAPI documents it.
EVENT_SOURCES: dict[str, str] = {
    "EnterpriseRegistered": "enterprise",
    "RegistrationRejected": "enterprise",
    "AccountCreated": "identity",
    "LoginSucceeded": "identity",
    "LoginFailed": "identity",
    "LoggedOut": "identity",
    "PasswordChanged": "identity",
    "EnterpriseKeyInfoChanged": "enterprise",
    "UnitCreditCodeChanged": "enterprise",
    "EnterpriseContactChanged": "enterprise",
    "ClerkAdded": "authorization",
    "ClerkUpdated": "authorization",
    "ClerkRemoved": "authorization",
    "ClerkAuthorized": "authorization",
    "ClerkAuthorizationRevoked": "authorization",
    "CaseSubmitted": "business",
    "CaseStatusChanged": "business",
    "CaseConcluded": "business",
}

# marshmallow schemas are safe to share and costly to build: one instance each.
_SCHEMA_INSTANCES: dict[tuple[str, int], Schema] = {key: cls() for key, cls in EVENT_SCHEMAS.items()}
_ENVELOPE = EnvelopeSchema()

LATEST_VERSION: dict[str, int] = {}
for _type, _version in EVENT_SCHEMAS:
    LATEST_VERSION[_type] = max(_version, LATEST_VERSION.get(_type, 0))

# (event_type, from_version) -> function turning data of that version into the next one.
UPCASTERS: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {}


def new_envelope(event_type: str, source: str, aggregate_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """Validate ``data`` against the latest schema of ``event_type`` and wrap it."""
    version = LATEST_VERSION[event_type]
    schema = _SCHEMA_INSTANCES[(event_type, version)]
    dumped = schema.dump(schema.load(data))
    return {
        "event_id": str(uuid.uuid4()),
        "event_type": event_type,
        "schema_version": version,
        "source": source,
        "occurred_at": datetime.now(UTC).isoformat(),
        "aggregate_id": aggregate_id,
        "data": dumped,
    }


def load_envelope(body: dict[str, Any]) -> dict[str, Any]:
    """Check an incoming envelope and upcast its data to the latest version we know.

    Returns the envelope as JSON-ready values with ``data`` loaded by its schema (unknown
    fields dropped). Raises ``marshmallow.ValidationError`` for a malformed envelope.
    """
    envelope = _ENVELOPE.load(body)
    event_type, version = envelope["event_type"], envelope["schema_version"]
    data = dict(envelope["data"])
    while (event_type, version) in UPCASTERS:
        data = UPCASTERS[(event_type, version)](data)
        version += 1
    schema = _SCHEMA_INSTANCES.get((event_type, version))
    if schema is None:
        raise ValidationError({"event_type": [f"unknown event {event_type} v{version}"]})
    return {
        **body,
        "schema_version": version,
        "data": schema.load(data),
    }
