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

from collections.abc import Callable
from datetime import UTC, datetime

from hrss_business.domain import commands, errors
from hrss_business.domain.cases import Case, Material, Relation
from hrss_business.domain.commands import AGENCY, CLERK, LEGAL, Viewer
from hrss_business.domain.events import events_of
from hrss_business.domain.model import BusinessItem, Catalogue, material_problems, type_problems
from hrss_business.service_layer.ports import CaseQuery, CaseSummary, Effects, Forms, Scope, UnitOfWork, Uploads
from hrss_contracts.cases import ACCEPTED, APPROVE, DENY
from hrss_contracts.grants import clerk_id_of

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


def submit(
    command: commands.SubmitCase,
    catalogue: Catalogue,
    uow: UnitOfWork,
    uploads: Uploads,
    forms: Forms,
    clock: Clock = _now,
) -> Case:
    """提交办理. Checked in this order: the item (404, window-only 422), the relation (403),
    the item's insurance types (422), the form and materials (400, every problem at once),
    the attachments being the applicant's own (422); then numbered and stored."""
    item = _online_item(catalogue, command.item_code)
    with uow:
        _relation_to_act_for(command.viewer, command.relation_id, item, uow)
    materials = _materials(item, command.form, command.attachments, command.viewer, uploads, forms)
    with uow:
        # Again inside the writing transaction: a grant revoked meanwhile counts.
        relation = _relation_to_act_for(command.viewer, command.relation_id, item, uow)
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
        _publish_steps(case, uow)
        uow.commit()
    return case


def resubmit(
    command: commands.Resubmit,
    catalogue: Catalogue,
    uow: UnitOfWork,
    uploads: Uploads,
    forms: Forms,
    clock: Clock = _now,
) -> Case:
    """补正后重新提交: only while a correction is asked for, by whoever may act for the case's
    relation now (a clerk whose grant was revoked no longer sees the case); the form and
    materials are checked as a submission's. A material kept from the previous round is named
    again by its attachment id, whoever of the enterprise's side uploaded it."""
    with uow:
        case = _applicants_case(command.viewer, command.case_no, uow)
        if not case.allows("resubmit"):
            raise errors.IllegalTransition(case.case_no, case.status, "resubmit")
        item = _item(catalogue, case.item_code)
    kept = {m.attachment_id: m for m in case.materials}
    materials = _materials(item, command.form, command.attachments, command.viewer, uploads, forms, kept)
    read_round = case.round
    with uow:
        case = _applicants_case(command.viewer, command.case_no, uow, for_update=True)
        if case.round != read_round:  # corrected and asked again meanwhile: this answers the old round
            raise errors.IllegalTransition(case.case_no, case.status, "resubmit")
        case.resubmit(command.form, materials, command.viewer.actor, clock())
        uow.cases.save(case)
        _publish_steps(case, uow)
        uow.commit()
    return case


def withdraw(command: commands.Withdraw, uow: UnitOfWork, clock: Clock = _now) -> Case:
    """撤回: by the applicant's side while no decision on the application stands."""
    with uow:
        case = _applicants_case(command.viewer, command.case_no, uow, for_update=True)
        case.withdraw(command.viewer.actor, command.comment.strip(), clock())
        uow.cases.save(case)
        _publish_steps(case, uow)
        uow.commit()
    return case


def decide(command: commands.Decide, uow: UnitOfWork, effects: Effects | None = None, clock: Clock = _now) -> Case:
    """A decision of agency staff on a case of their agency. Of two staff deciding at once, one
    wins; the other is told the status the case has now (``IllegalTransition``).

    Approving or denying an accepted case whose approval changes something elsewhere
    (单位关键信息维护) settles that change first, with no transaction open meanwhile: approving
    makes the change (a refusal, the new code being another enterprise's, sends the case back
    for correction with the reason instead); denying closes it for good, and should it have
    happened already (an earlier approval whose answer was lost) the case is approved, as it
    took effect. The change belongs to the case, so the case and the enterprise end agreeing
    however the calls interleave.
    """
    viewer = command.viewer
    with uow:
        case = _decidable(command, uow, for_update=False)
    refused: errors.EffectRefused | None = None
    took_effect = False
    if effects is not None and effects.applies_to(case.item_code) and case.status == ACCEPTED:
        if command.action == APPROVE:
            try:
                effects.apply(case)
            except errors.EffectRefused as refusal:
                refused = refusal
        elif command.action == DENY:
            took_effect = effects.close(case)
    with uow:
        case = _decidable(command, uow, for_update=True)
        now = clock()
        if refused is not None:
            case.return_for_correction(viewer.actor, refused.reason, now)
        elif took_effect:
            case.decide(APPROVE, viewer.actor, "准予:单位关键信息变更此前已生效,不能再不予", now)
        else:
            case.decide(command.action, viewer.actor, command.comment.strip(), now)
        uow.cases.save(case)
        _publish_steps(case, uow)
        uow.commit()
    return case


def _decidable(command: commands.Decide, uow: UnitOfWork, for_update: bool) -> Case:
    """The case, if it is of the deciding staff member's agency and its status allows the step."""
    viewer = command.viewer
    case = uow.cases.get(command.case_no, for_update=for_update)
    if case is None or viewer.role != AGENCY or case.relation.agency != viewer.agency:
        raise errors.CaseNotFound(command.case_no)
    if not case.allows(command.action):
        raise errors.IllegalTransition(case.case_no, case.status, command.action)
    return case


def show(case_no: str, viewer: Viewer, uow: UnitOfWork) -> Case:
    """One case with its history and materials, for whoever may see it."""
    with uow:
        case = uow.cases.get(case_no)
        if case is None or not _may_see(case, viewer, uow):
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


def remember_enterprise(command: commands.RememberEnterprise, uow: UnitOfWork) -> None:
    relations = tuple(
        Relation(relation_id, command.enterprise_id, unit_no, insurance, agency)
        for relation_id, unit_no, insurance, agency in command.relations
    )
    with uow:
        uow.enterprises.remember(command.enterprise_id, command.uscc, command.name, relations)
        uow.commit()


def follow_key_info(command: commands.FollowKeyInfoChange, uow: UnitOfWork) -> None:
    with uow:
        uow.enterprises.follow_key_info(command.enterprise_id, command.uscc, command.name)
        uow.commit()


def follow_grants(command: commands.FollowGrants, uow: UnitOfWork) -> None:
    with uow:
        uow.grants.replace(command.clerk_id, command.relation_ids)
        uow.commit()


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


def _acting_relation(viewer: Viewer, relation_id: str, uow: UnitOfWork) -> Relation | None:
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


def _may_act_for(viewer: Viewer, relation: Relation, uow: UnitOfWork) -> bool:
    return _acting_relation(viewer, relation.relation_id, uow) is not None


def _relation_to_act_for(viewer: Viewer, relation_id: str, item: BusinessItem, uow: UnitOfWork) -> Relation:
    relation = _acting_relation(viewer, relation_id, uow)
    if relation is None:
        raise errors.RelationNotGranted(relation_id)
    if relation.insurance not in item.insurance_types:
        raise errors.ItemNotApplicable(item.code, relation.insurance)
    return relation


def _may_see(case: Case, viewer: Viewer, uow: UnitOfWork) -> bool:
    if viewer.role == AGENCY:
        return case.relation.agency == viewer.agency
    return _may_act_for(viewer, case.relation, uow)


def _applicants_case(viewer: Viewer, case_no: str, uow: UnitOfWork, for_update: bool = False) -> Case:
    """A case the viewer may act on as its applicant's side (the legal representative, or a
    clerk holding the relation now)."""
    case = uow.cases.get(case_no, for_update=for_update)
    if case is None or not _may_act_for(viewer, case.relation, uow):
        raise errors.CaseNotFound(case_no)
    return case


def _materials(
    item: BusinessItem,
    form: dict[str, object],
    attachments: dict[str, str],
    viewer: Viewer,
    uploads: Uploads,
    forms: Forms,
    kept: dict[str, Material] | None = None,
) -> tuple[Material, ...]:
    """The materials of a submission, once the form and materials satisfy the item and every
    attachment is the applicant's own upload (or one ``kept`` from the case's previous round)
    of a type the material accepts."""
    problems = {**forms.problems(item, dict(form)), **material_problems(item, attachments)}
    if problems:
        raise errors.SubmissionInvalid(problems)
    kept = kept or {}
    asked = sorted(set(attachments.values()) - set(kept))
    owned = {**kept, **(uploads.owned(viewer.account_id, asked) if asked else {})}
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


def _publish_steps(case: Case, uow: UnitOfWork) -> None:
    for event in events_of(case):
        uow.publish(event)
    case.new_steps.clear()
