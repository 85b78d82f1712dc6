"""Use cases of cases (办件): submit, follow in the user center, withdraw, resubmit after 补正,
and the agency's decisions.

Who may do what:
- a legal representative acts for any relation of their enterprise and sees all its cases;
- a clerk acts for the relations granted to them, and sees the cases of those relations (a
  revoked grant stops new submissions at once, and hides the relation's cases from them; the
  legal representative still sees them);
- agency staff see and decide the cases of their own agency (the agency of the relation).
A case the caller may not see is ``CaseNotFound``, as if it did not exist.
"""

from __future__ import annotations

from hrss_business.domain import commands, errors
from hrss_business.domain.cases import Case, Material
from hrss_business.domain.commands import AGENCY, CLERK, LEGAL, Viewer
from hrss_business.domain.model import BusinessItem, Catalogue, material_problems, type_problems
from hrss_business.service_layer.access import applicants_case, may_see, relation_to_act_for
from hrss_business.service_layer.ports import CaseQuery, CaseSummary, Forms, Scope, UnitOfWork, Uploads
from hrss_business.service_layer.steps import Clock, now, publish_steps
from hrss_contracts.grants import clerk_id_of


def submit(
    command: commands.SubmitCase,
    catalogue: Catalogue,
    uow: UnitOfWork,
    uploads: Uploads,
    forms: Forms,
    clock: Clock = now,
    reading: UnitOfWork | None = None,
) -> Case:
    """提交办理. Checked in this order: the item (404, window-only 422), the relation (403),
    the item's insurance types (422), the form and materials (400, every problem at once),
    the attachments being the applicant's own (422); then numbered and stored. The relation
    is read first (``reading``: a unit of work for reads, ``uow`` if None) and again in the
    writing transaction (a grant revoked meanwhile counts); the attachments are asked for
    between the two, so that no RPC waits inside a transaction."""
    item = _online_item(catalogue, command.item_code)
    with reading or uow as checking:
        relation_to_act_for(command.viewer, command.relation_id, item, checking)
    _refuse_problems(item, command.form, command.attachments, forms)
    owned = _owned(command.attachments, command.viewer, uploads)
    with uow:
        relation = relation_to_act_for(command.viewer, command.relation_id, item, uow)
        materials = _materials(item, command.attachments, owned)
        uscc = command.viewer.uscc or ""
        now = clock()
        case = Case.submit(
            uow.cases.next_case_no(now),
            (item.code, item.name),
            uscc,
            relation,
            command.form,
            materials,
            command.viewer.actor,
            now,
        )
        uow.cases.add(case)
        publish_steps(case, uow)
        uow.commit()
    return case


def resubmit(
    command: commands.Resubmit,
    catalogue: Catalogue,
    uow: UnitOfWork,
    uploads: Uploads,
    forms: Forms,
    clock: Clock = now,
) -> Case:
    """补正后重新提交: only while a correction is asked for, by whoever may act for the case's
    relation now (a clerk whose grant was revoked no longer sees the case); the form and
    materials are checked as a submission's. A material kept from the previous round is named
    again by its attachment id, whoever of the enterprise's side uploaded it."""
    with uow:
        case = applicants_case(command.viewer, command.case_no, uow)
        if not case.allows("resubmit"):
            raise errors.IllegalTransition(case.case_no, case.status, "resubmit")
        item = _item(catalogue, case.item_code)
    kept = {m.attachment_id: m for m in case.materials}
    _refuse_problems(item, command.form, command.attachments, forms)
    materials = _materials(item, command.attachments, _owned(command.attachments, command.viewer, uploads, kept))
    read_round = case.round
    with uow:
        case = applicants_case(command.viewer, command.case_no, uow, for_update=True)
        if case.round != read_round:  # corrected and asked again meanwhile: this answers the old round
            raise errors.IllegalTransition(case.case_no, case.status, "resubmit")
        case.resubmit(command.form, materials, command.viewer.actor, clock())
        uow.cases.save(case)
        publish_steps(case, uow)
        uow.commit()
    return case


def withdraw(command: commands.Withdraw, uow: UnitOfWork, clock: Clock = now) -> Case:
    """撤回: by the applicant's side while no decision on the application stands."""
    with uow:
        case = applicants_case(command.viewer, command.case_no, uow, for_update=True)
        case.withdraw(command.viewer.actor, command.comment.strip(), clock())
        uow.cases.save(case)
        publish_steps(case, uow)
        uow.commit()
    return case


def show(case_no: str, viewer: Viewer, uow: UnitOfWork) -> Case:
    """One case with its history and materials, for whoever may see it."""
    with uow:
        case = uow.cases.get(case_no)
        if case is None or not may_see(case, viewer, uow):
            raise errors.CaseNotFound(case_no)
        return case


def material(case_no: str, attachment_id: str, viewer: Viewer, uow: UnitOfWork) -> Material:
    """A material of a case (any round's), for whoever may see the case: the applicant's side
    and the staff of the case's agency."""
    case = show(case_no, viewer, uow)
    with uow:
        found = uow.cases.material(case.case_no, attachment_id)
    if found is None:
        raise errors.CaseNotFound(case_no)
    return found


def page(command: commands.ListCases, uow: UnitOfWork) -> tuple[list[CaseSummary], int]:
    """用户中心 (legal representatives, clerks) or the agency's queue (agency staff), newest first."""
    viewer = command.viewer
    query = CaseQuery(command.status, command.item_code, command.page, command.page_size)
    with uow:
        if viewer.role == AGENCY:
            return uow.cases.page(Scope(agency=viewer.agency or ""), query)
        if viewer.role == CLERK:
            clerk_id = clerk_id_of(viewer.account_id)
            return uow.cases.page(Scope(clerk_id=clerk_id), query) if clerk_id else ([], 0)
        if viewer.role == LEGAL and viewer.uscc:
            return uow.cases.page(Scope(uscc=viewer.uscc), query)  # an enterprise not known (yet): none
        return [], 0


def _item(catalogue: Catalogue, code: str) -> BusinessItem:
    item = catalogue.get(code)
    if item is None:
        raise errors.ItemNotFound(code)
    return item


def _online_item(catalogue: Catalogue, code: str) -> BusinessItem:
    item = _item(catalogue, code)
    if not item.online:
        raise errors.ItemNotOnline(code)
    return item


def _refuse_problems(item: BusinessItem, form: dict[str, object], attachments: dict[str, str], forms: Forms) -> None:
    """400 naming every problem of the form and of the materials named, at once."""
    problems = {**forms.problems(item, dict(form)), **material_problems(item, attachments)}
    if problems:
        raise errors.SubmissionInvalid(problems)


def _owned(
    attachments: dict[str, str], viewer: Viewer, uploads: Uploads, kept: dict[str, Material] | None = None
) -> dict[str, Material]:
    """Of the attachments named, those that are the applicant's own uploads, or ``kept`` from
    the case's previous round, by attachment id."""
    kept = kept or {}
    asked = sorted(set(attachments.values()) - set(kept))
    return {**kept, **(uploads.owned(viewer.account_id, asked) if asked else {})}


def _materials(item: BusinessItem, attachments: dict[str, str], owned: dict[str, Material]) -> tuple[Material, ...]:
    """The materials of a submission whose form and materials satisfy the item, once every
    attachment is among the ``owned``, of a type the material accepts."""
    missing = sorted(code for code, attachment_id in attachments.items() if attachment_id not in owned)
    if missing:
        raise errors.AttachmentsNotFound(missing)
    wrong_type = type_problems(item, {code: owned[a].content_type for code, a in attachments.items()})
    if wrong_type:
        raise errors.SubmissionInvalid(wrong_type)
    return tuple(
        Material(code, a, owned[a].filename, owned[a].content_type, owned[a].size, owned[a].sha256)
        for code, a in sorted(attachments.items())
    )
