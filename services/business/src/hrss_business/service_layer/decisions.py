"""The agency's decisions on cases of its own, and what approving some items changes elsewhere."""

from __future__ import annotations

from hrss_business.domain import commands, errors
from hrss_business.domain.cases import Case
from hrss_business.domain.commands import AGENCY
from hrss_business.service_layer.ports import Effects, UnitOfWork
from hrss_business.service_layer.steps import Clock, now, publish_steps
from hrss_contracts.cases import ACCEPTED, APPROVE, DENY


def decide(command: commands.Decide, uow: UnitOfWork, effects: Effects | None = None, clock: Clock = now) -> Case:
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
        publish_steps(case, uow)
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
