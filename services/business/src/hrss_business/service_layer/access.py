"""Who may act for a relation and see a case (the rules in ``cases``'s docstring): a legal
representative for any relation of their enterprise, a clerk for those granted to them now,
agency staff for the cases of their agency."""

from __future__ import annotations

from hrss_business.domain import errors
from hrss_business.domain.cases import Case, Relation
from hrss_business.domain.commands import AGENCY, CLERK, LEGAL, Viewer
from hrss_business.domain.model import BusinessItem
from hrss_business.service_layer.ports import UnitOfWork
from hrss_contracts.grants import clerk_id_of


def acting_relation(viewer: Viewer, relation_id: str, uow: UnitOfWork) -> Relation | None:
    """The relation, if the viewer may act for it: one of the enterprise they act for (by its
    code today) and, for a clerk, granted to them. One query."""
    if viewer.role not in (LEGAL, CLERK) or not viewer.uscc:
        return None
    clerk_id = clerk_id_of(viewer.account_id) if viewer.role == CLERK else None
    if viewer.role == CLERK and clerk_id is None:
        return None
    found = uow.enterprises.relation_for(relation_id, viewer.uscc, clerk_id)
    if found is None:
        return None
    relation, held = found
    return relation if viewer.role == LEGAL or held else None


def may_act_for(viewer: Viewer, relation: Relation, uow: UnitOfWork) -> bool:
    return acting_relation(viewer, relation.relation_id, uow) is not None


def relation_to_act_for(viewer: Viewer, relation_id: str, item: BusinessItem, uow: UnitOfWork) -> Relation:
    relation = acting_relation(viewer, relation_id, uow)
    if relation is None:
        raise errors.RelationNotGranted(relation_id)
    if relation.insurance not in item.insurance_types:
        raise errors.ItemNotApplicable(item.code, relation.insurance)
    return relation


def may_see(case: Case, viewer: Viewer, uow: UnitOfWork) -> bool:
    if viewer.role == AGENCY:
        return case.relation.agency == viewer.agency
    return may_act_for(viewer, case.relation, uow)


def applicants_case(viewer: Viewer, case_no: str, uow: UnitOfWork, for_update: bool = False) -> Case:
    """A case the viewer may act on as its applicant's side (the legal representative, or a
    clerk holding the relation now)."""
    case = uow.cases.get(case_no, for_update=for_update)
    if case is None or not may_act_for(viewer, case.relation, uow):
        raise errors.CaseNotFound(case_no)
    return case
