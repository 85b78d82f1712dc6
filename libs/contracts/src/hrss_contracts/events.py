"""Event envelope and one data schema per event type and version.

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

from hrss_contracts.fields import IdNumber, InsuranceType, Name, Uscc
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


class _Data(ContractSchema):
    class Meta:
        unknown = EXCLUDE


class RelationData(_Data):
    relation_id = fields.String(required=True)
    unit_no = fields.String(required=True)
    insurance = InsuranceType(required=True)
    agency = fields.String(required=True)


class UnitData(_Data):
    unit_no = fields.String(required=True)
    relations = fields.List(fields.Nested(RelationData), required=True)


class EnterpriseRegisteredV1(_Data):
    """企业注册成功: the enterprise with every unit number and insurance relation."""

    uscc = Uscc(required=True)
    name = fields.String(required=True)
    address = fields.String(required=True, allow_none=True)
    legal_rep_name = fields.String(required=True)
    legal_rep_id = IdNumber(required=True)
    legal_rep_phone = fields.String(required=True)
    units = fields.List(fields.Nested(UnitData), required=True)
    registered_at = fields.AwareDateTime(required=True)


class RegistrationRejectedV1(_Data):
    """A registration the three sources did not support (5.1.1) or that did not match them."""

    uscc = Uscc(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(["not_verified", "mismatch"]))
    mismatched_fields = fields.List(fields.String(), load_default=list)
    decided_at = fields.AwareDateTime(required=True)


class AccountCreatedV1(_Data):
    account_id = fields.String(required=True)
    login_name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["enterprise", "agency"]))
    uscc = fields.String(allow_none=True, load_default=None)
    has_password = fields.Boolean(required=True)


ROLES = ("legal", "clerk", "agency")
LOGIN_METHODS = ("password", "qr")


class LoginSucceededV1(_Data):
    """A session was opened. ``id_number`` is masked (the person's, where the platform knows it)."""

    account_id = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    uscc = fields.String(allow_none=True, load_default=None)
    agency = fields.String(allow_none=True, load_default=None)
    id_number = fields.String(allow_none=True, load_default=None, metadata={"description": "masked"})
    method = fields.String(required=True, validate=validate.OneOf(LOGIN_METHODS))
    logged_in_at = fields.AwareDateTime(required=True)


class LoginFailedV1(_Data):
    """A refused login. ``login_name``: the account's, masked if it has an ID number's shape; null
    when no account has the name typed (which may be anything, even a password)."""

    login_name = fields.String(
        required=True, allow_none=True, metadata={"description": "null when no such account exists"}
    )
    reason = fields.String(
        required=True, validate=validate.OneOf(["bad_credentials", "account_not_found", "use_qr_login", "locked"])
    )
    method = fields.String(required=True, validate=validate.OneOf(LOGIN_METHODS))
    failed_at = fields.AwareDateTime(required=True)


class LoggedOutV1(_Data):
    account_id = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    uscc = fields.String(allow_none=True, load_default=None)
    logged_out_at = fields.AwareDateTime(required=True)


class EnterpriseKeyInfoChangedV1(_Data):
    """单位关键信息维护 approved: the enterprise's key information, whole.

    Read models keep the newest of an enterprise's events and skip older ones for good, so this
    carries all of the key information, not what changed. ``aggregate_id`` is the enterprise's
    as its ``EnterpriseRegistered`` carried it (the code it registered with, kept when the code
    changes): one sequence orders both. ``uscc`` is the current code, ``previous_uscc`` the one
    before this change when the change gave it a new code, else null.
    """

    uscc = Uscc(required=True)
    previous_uscc = Uscc(required=True, allow_none=True)
    name = Name(required=True, validate=validate.Length(min=1, max=200))
    legal_rep_name = Name(required=True, validate=validate.Length(min=1, max=50))
    legal_rep_id = IdNumber(required=True)
    changed_at = fields.AwareDateTime(required=True)


class _ClerkV1(_Data):
    """A clerk (办事员) of the enterprise ``uscc``. A read model keeps the newest of a clerk's
    events and skips older ones for good (the kit's rule, hrss_kit README), hence whole states.
    ``name`` is in its one spelling; login compares it with the e-SSC's (manual 3.1.1 注).
    """

    clerk_id = fields.String(required=True, validate=validate.Length(min=1, max=80))
    uscc = Uscc(required=True)
    id_number = IdNumber(required=True)
    name = Name(required=True, validate=validate.Length(min=1, max=50))
    phone = fields.String(required=True, validate=validate.Length(min=1, max=20))


class ClerkAddedV1(_ClerkV1):
    """A legal representative or the agency's window added a clerk to the enterprise, whole.

    Carries the clerk's whole state (``clerk_id``, ``uscc``, ``id_number``, ``name``, ``phone``),
    as every event feeding a read model must; ``aggregate_id`` is ``clerk_id``.
    """

    added_at = fields.AwareDateTime(required=True)


class ClerkUpdatedV1(_ClerkV1):
    """A clerk's ID number, name or phone were modified; the clerk's whole state after it.

    Not a delta: a consumer replaces what it holds for ``clerk_id`` (``aggregate_id``) with it.
    """

    updated_at = fields.AwareDateTime(required=True)


class ClerkRemovedV1(_Data):
    """A clerk was deleted from the enterprise: nobody may log in as that clerk any longer.

    The clerk's whole state after it is its absence: ``clerk_id`` (``aggregate_id``) and the
    enterprise are all a consumer needs to drop the membership and end its sessions.
    """

    clerk_id = fields.String(required=True, validate=validate.Length(min=1, max=80))
    uscc = Uscc(required=True)
    removed_at = fields.AwareDateTime(required=True)


EVENT_SCHEMAS: dict[tuple[str, int], type[Schema]] = {
    ("EnterpriseRegistered", 1): EnterpriseRegisteredV1,
    ("RegistrationRejected", 1): RegistrationRejectedV1,
    ("AccountCreated", 1): AccountCreatedV1,
    ("LoginSucceeded", 1): LoginSucceededV1,
    ("LoginFailed", 1): LoginFailedV1,
    ("LoggedOut", 1): LoggedOutV1,
    ("EnterpriseKeyInfoChanged", 1): EnterpriseKeyInfoChangedV1,
    ("ClerkAdded", 1): ClerkAddedV1,
    ("ClerkUpdated", 1): ClerkUpdatedV1,
    ("ClerkRemoved", 1): ClerkRemovedV1,
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
    "EnterpriseKeyInfoChanged": "enterprise",
    "ClerkAdded": "authorization",
    "ClerkUpdated": "authorization",
    "ClerkRemoved": "authorization",
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
