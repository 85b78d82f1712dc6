"""Domain events → the contract's envelopes, and the shapes the RPCs answer with."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from hrss_business.domain.cases import Actor, Case, Material, Relation, Transition
from hrss_business.domain.events import CaseEvent
from hrss_business.service_layer.ports import CaseSummary
from hrss_contracts.cases import STATUS_LABELS
from hrss_contracts.events import new_envelope

SOURCE = "business"


def actor_data(actor: Actor) -> dict[str, Any]:
    """As every event names who acted: login name, role, agency (the account id stays inside)."""
    return {"account": actor.login_name, "role": actor.role, "agency": actor.agency}


def actor_view(actor: Actor) -> dict[str, Any]:
    """Who acted, as the user center and the agency show it: agency staff by their agency (their
    login names are what they log in with, not for applicants to collect)."""
    name = actor.agency or "经办机构" if actor.role == "agency" else actor.shown
    return {"name": name, "role": actor.role, "agency": actor.agency}


def relation_data(relation: Relation) -> dict[str, Any]:
    return {
        "relation_id": relation.relation_id,
        "unit_no": relation.unit_no,
        "insurance": relation.insurance,
        "agency": relation.agency,
    }


def material_data(material: Material) -> dict[str, Any]:
    return asdict(material)


def to_envelope(event: CaseEvent) -> dict[str, Any]:
    case, step = event.case, event.step
    data: dict[str, Any] = {
        "case_no": case.case_no,
        "item_code": case.item_code,
        "item_name": case.item_name,
        "enterprise_id": case.relation.enterprise_id,
        "uscc": case.uscc,
        "relation": relation_data(case.relation),
        "form": case.form,
        "materials": [material_data(m) for m in case.materials],
        "status": step.to_status,
        "applicant": actor_data(case.applicant),
        "action": step.action,
        "actor": actor_data(step.actor),
        "comment": step.comment,
        "at": step.at.isoformat(),
    }
    if step.from_status is not None:
        data["previous_status"] = step.from_status
    return new_envelope(event.event_type, SOURCE, case.case_no, data)


def case_summary(case: Case | CaseSummary) -> dict[str, Any]:
    """A case as listed: number, item, status (with its words), relation, applicant, times."""
    if isinstance(case, Case):
        relation = case.relation
        unit_no, insurance, agency = relation.unit_no, relation.insurance, relation.agency
        applicant = case.applicant.shown
    else:
        unit_no, insurance, agency, applicant = case.unit_no, case.insurance, case.agency, case.applicant_name
    return {
        "case_no": case.case_no,
        "item_code": case.item_code,
        "item_name": case.item_name,
        "status": case.status,
        "status_label": STATUS_LABELS.get(case.status, case.status),
        "uscc": case.uscc,
        "unit_no": unit_no,
        "insurance": insurance,
        "agency": agency,
        "applicant": applicant,
        "submitted_at": case.submitted_at.isoformat() if case.submitted_at else None,
        "updated_at": case.updated_at.isoformat() if case.updated_at else None,
    }


def step_view(step: Transition) -> dict[str, Any]:
    return {
        "action": step.action,
        "from_status": step.from_status,
        "status": step.to_status,
        "status_label": STATUS_LABELS.get(step.to_status, step.to_status),
        "actor": actor_view(step.actor),
        "comment": step.comment,
        "at": step.at.isoformat(),
    }


def case_view(case: Case) -> dict[str, Any]:
    """One case whole: the summary, the relation, the form, the latest round's materials and
    the history, oldest step first."""
    return {
        **case_summary(case),
        "relation_id": case.relation.relation_id,
        "round": case.round,
        "form": case.form,
        "materials": [material_data(m) for m in case.materials],
        "history": [step_view(s) for s in case.history],
    }


def page_view(items: list[CaseSummary], total: int, page: int, page_size: int) -> dict[str, Any]:
    return {"items": [case_summary(c) for c in items], "page": page, "page_size": page_size, "total": total}
