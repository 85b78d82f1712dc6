"""The ``data`` of the business service's events about cases (办件), one schema per type and
version, as ``event_data`` has the others'."""

from __future__ import annotations

from marshmallow import fields

from hrss_contracts.event_data import ActorData, RelationData, _Data
from hrss_contracts.fields import Uscc


class MaterialData(_Data):
    """One material of a case: the attachment given for the item's material ``material_code``."""

    material_code = fields.String(required=True)
    attachment_id = fields.String(required=True)
    filename = fields.String(required=True)
    content_type = fields.String(required=True)
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True)


class _CaseV1(_Data):
    """A case (办件) whole, as it stands after the event, and the step that made it so.

    ``aggregate_id`` is ``case_no``; ``sequence`` orders a case's events, so a read model that
    keeps each case's newest event holds every case as it is. ``form`` and ``materials`` are
    those of the latest submission (a resubmission replaces them). ``agency`` (of the relation)
    is the agency that handles the case.
    """

    case_no = fields.String(required=True, metadata={"example": "YW20261128000001"})
    item_code = fields.String(required=True)
    item_name = fields.String(required=True)
    enterprise_id = fields.String(required=True)
    uscc = Uscc(required=True)
    relation = fields.Nested(RelationData, required=True)
    form = fields.Dict(required=True)
    materials = fields.List(fields.Nested(MaterialData), required=True)
    status = fields.String(required=True)
    applicant = fields.Nested(ActorData, required=True)
    action = fields.String(required=True, metadata={"description": "submit, resubmit, withdraw or a decision"})
    actor = fields.Nested(ActorData, required=True)
    comment = fields.String(load_default="")
    at = fields.AwareDateTime(required=True)


class CaseSubmittedV1(_CaseV1):
    """提交办理: a new case, ``status`` submitted, for the agency of its relation."""


class CaseStatusChangedV1(_CaseV1):
    """A case moved from ``previous_status`` to ``status``: a decision of agency staff (with
    their comment), a resubmission after 补正, or a withdrawal."""

    previous_status = fields.String(required=True)


class CaseConcludedV1(_CaseV1):
    """A case ended for good (``status`` approved, denied, not_accepted or withdrawn); follows
    the ``CaseStatusChanged`` of the same step. A service that acts on an approved item (the
    enterprise service on 单位关键信息维护) listens to this one."""

    previous_status = fields.String(required=True)
