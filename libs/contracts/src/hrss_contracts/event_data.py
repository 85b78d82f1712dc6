"""The ``data`` of each event, one schema per type and version. Consumers accept unknown
fields (``EXCLUDE``); ``events`` maps each type to its schema and its publisher."""

from __future__ import annotations

from marshmallow import EXCLUDE, fields, validate

from hrss_contracts.authorization import DocumentSchema
from hrss_contracts.fields import IdNumber, InsuranceType, Name, Uscc
from hrss_contracts.schema import ContractSchema


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
    # The credit code the unit carries (added with 信用代码维护; absent from older events).
    credit_code = fields.String(load_default=None, allow_none=True)
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
LOGIN_METHODS = ("password", "qr", "password_change")


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


class PasswordChangedV1(_Data):
    """修改资料 → 密码: an account's password set (``first``: it had none) or changed; the account's
    other sessions ended."""

    account_id = fields.String(required=True)
    login_name = fields.String(required=True)
    first = fields.Boolean(required=True, metadata={"description": "true: the account had no password"})
    sessions_ended = fields.Integer(required=True)
    changed_at = fields.AwareDateTime(required=True)


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


class EnterpriseContactChangedV1(_Data):
    """修改资料: the legal representative changed their contact phone (the enterprise's
    ``legal_rep_phone``, which the agency window shows as 法人手机号).

    The whole contact, not a delta: a read model of it keeps the newest of an enterprise's
    contact events. ``aggregate_id`` is the enterprise's (the code it registered with); ``uscc``
    its code today."""

    uscc = Uscc(required=True)
    legal_rep_phone = fields.String(required=True, validate=validate.Length(min=1, max=20))
    changed_at = fields.AwareDateTime(required=True)


class UnitCreditCodeChangedV1(_Data):
    """信用代码维护: agency staff of ``agency`` aligned the unit ``unit_no`` with its enterprise's
    code ``uscc`` after a key-information change made on another of its units
    (``previous_uscc``: the code the unit carried). ``aggregate_id`` is the enterprise's."""

    unit_no = fields.String(required=True)
    uscc = Uscc(required=True)
    previous_uscc = Uscc(required=True)
    agency = fields.String(required=True)
    changed_at = fields.AwareDateTime(required=True)


class _ClerkV1(_Data, DocumentSchema):
    """A clerk (办事员) of the enterprise ``uscc``. A read model keeps the newest of a clerk's
    events and skips older ones for good (the kit's rule, hrss_kit README), hence whole states.
    ``name`` is in its one spelling; login compares it and the document (``id_type``, absent
    from events before 证件类型: 居民身份证; ``id_number``) with the e-SSC's (manual 3.1.1 注).
    """

    clerk_id = fields.String(required=True, validate=validate.Length(min=1, max=80))
    uscc = Uscc(required=True)
    name = Name(required=True, validate=validate.Length(min=1, max=50))
    phone = fields.String(required=True, validate=validate.Length(min=1, max=20))
    # Every relation granted to the clerk after the event (added later, hence optional).
    relation_ids = fields.List(fields.String(), load_default=list)


class ClerkAddedV1(_ClerkV1):
    """A legal representative or the agency's window added a clerk to the enterprise, whole.

    Carries the clerk's whole state (``clerk_id``, ``uscc``, ``id_type``, ``id_number``, ``name``,
    ``phone``),
    as every event feeding a read model must; ``aggregate_id`` is ``clerk_id``.
    """

    added_at = fields.AwareDateTime(required=True)


class ClerkUpdatedV1(_ClerkV1):
    """A clerk's document, name or phone were modified; the clerk's whole state after it.

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


CHANNELS = ("legal_rep", "agency_window")


class ActorData(_Data):
    """Who made a change: the account's login name, role and (agency staff) agency."""

    account = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    agency = fields.String(allow_none=True, load_default=None)


class _GrantChangeV1(_ClerkV1):
    """A change of a clerk's grants (单位授权): ``relations`` are the relations it concerns, whole;
    ``relation_ids`` (every event about a clerk carries the clerk's whole state) all that the
    clerk holds after it. ``aggregate_id`` is ``clerk_id``, so a grants read model orders it
    with the clerk's other events."""

    relations = fields.List(fields.Nested(RelationData), required=True, validate=validate.Length(min=1))
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    actor = fields.Nested(ActorData, required=True)


class ClerkAuthorizedV1(_GrantChangeV1):
    """Relations granted to a clerk, by the legal representative (``legal_rep``) or at the agency's
    window after checking the ``attachments`` (``agency_window``; ids of the uploaded materials)."""

    attachments = fields.List(fields.String(), load_default=list)
    authorized_at = fields.AwareDateTime(required=True)


class ClerkAuthorizationRevokedV1(_GrantChangeV1):
    """Relations taken from a clerk: by the legal representative, or because the clerk was deleted
    (then ``relation_ids`` is empty and ``ClerkRemoved`` follows)."""

    revoked_at = fields.AwareDateTime(required=True)
