"""Cases (办件): an application for a business item, for one insurance relation, and the
statuses it moves through as the agency of that relation decides (行政许可法 §32–§38).

    submitted ─┬─ accept ──────────────► accepted ─┬─ approve ─► approved
    resubmitted┼─ not_accept ──────────► not_accepted         └─ deny ────► denied
               └─ request_correction ──► correction_required ─ resubmit ─► resubmitted
    submitted · resubmitted · correction_required ─ withdraw ─► withdrawn
    accepted ─ return (an approval whose effect was refused) ─► correction_required

Every step is a ``Transition`` in the case's history, with who took it, when, and their
comment. A step the case's status does not allow is ``IllegalTransition``, naming the status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hrss_business.domain.errors import IllegalTransition
from hrss_contracts.cases import (
    ACCEPT,
    ACCEPTED,
    APPROVE,
    APPROVED,
    CORRECTION_REQUIRED,
    DENIED,
    DENY,
    FINAL_STATUSES,
    NOT_ACCEPT,
    NOT_ACCEPTED,
    REQUEST_CORRECTION,
    RESUBMIT,
    RESUBMITTED,
    RETURN,
    SUBMIT,
    SUBMITTED,
    WITHDRAW,
    WITHDRAWN,
)

# (status, action) → the status after it; anything else is illegal.
TRANSITIONS: dict[tuple[str, str], str] = {
    (SUBMITTED, ACCEPT): ACCEPTED,
    (SUBMITTED, NOT_ACCEPT): NOT_ACCEPTED,
    (SUBMITTED, REQUEST_CORRECTION): CORRECTION_REQUIRED,
    (RESUBMITTED, ACCEPT): ACCEPTED,
    (RESUBMITTED, NOT_ACCEPT): NOT_ACCEPTED,
    (RESUBMITTED, REQUEST_CORRECTION): CORRECTION_REQUIRED,
    (CORRECTION_REQUIRED, RESUBMIT): RESUBMITTED,
    (ACCEPTED, APPROVE): APPROVED,
    (ACCEPTED, DENY): DENIED,
    # An approval whose effect was refused: back to the applicant with the reason.
    (ACCEPTED, RETURN): CORRECTION_REQUIRED,
    # Withdrawn by the applicant while no decision on the application stands: before it is
    # accepted, including while a correction is asked for.
    (SUBMITTED, WITHDRAW): WITHDRAWN,
    (RESUBMITTED, WITHDRAW): WITHDRAWN,
    (CORRECTION_REQUIRED, WITHDRAW): WITHDRAWN,
}


@dataclass(frozen=True)
class Actor:
    """Who took a step: the session's account id and login name, role, (agency staff) agency,
    and the person's name where the session knows it (a QR login's e-SSC holder)."""

    account_id: str
    login_name: str
    role: str
    agency: str | None = None
    name: str | None = None

    @property
    def shown(self) -> str:
        """How people read who it was: the person's name, else the login name."""
        return self.name or self.login_name


@dataclass(frozen=True)
class Relation:
    """The insurance relation a case is for (from the enterprise read model): the agency that
    insures it is the agency that handles the case."""

    relation_id: str
    enterprise_id: str
    unit_no: str
    insurance: str
    agency: str


@dataclass(frozen=True)
class Material:
    """An attachment given for one of the item's materials, as it was when it was given."""

    material_code: str
    attachment_id: str
    filename: str
    content_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Transition:
    action: str
    from_status: str | None
    to_status: str
    actor: Actor
    comment: str
    at: datetime


@dataclass
class Case:
    """One case. ``round`` counts submissions (1, then one more per resubmission); ``materials``
    and ``form`` are the latest round's. ``version`` is what the case was loaded at: saving it
    succeeds only if nobody moved it since (two staff deciding at once: one wins)."""

    case_no: str
    item_code: str
    item_name: str
    uscc: str
    relation: Relation
    form: dict[str, Any]
    materials: tuple[Material, ...]
    applicant: Actor
    status: str = SUBMITTED
    round: int = 1
    submitted_at: datetime | None = None
    updated_at: datetime | None = None
    history: list[Transition] = field(default_factory=list)
    version: int = 0
    # Steps taken since the case was loaded (saved and published by the unit of work).
    new_steps: list[Transition] = field(default_factory=list)

    @classmethod
    def submit(
        cls,
        case_no: str,
        item: tuple[str, str],
        uscc: str,
        relation: Relation,
        form: dict[str, Any],
        materials: tuple[Material, ...],
        applicant: Actor,
        at: datetime,
    ) -> Case:
        code, name = item
        case = cls(case_no, code, name, uscc, relation, form, materials, applicant, submitted_at=at, updated_at=at)
        case._record(Transition(SUBMIT, None, SUBMITTED, applicant, "", at))
        return case

    @property
    def concluded(self) -> bool:
        return self.status in FINAL_STATUSES

    def allows(self, action: str) -> bool:
        return (self.status, action) in TRANSITIONS

    def decide(self, action: str, actor: Actor, comment: str, at: datetime) -> None:
        """A decision of the agency's staff (accept, not_accept, request_correction, approve, deny)."""
        self._step(action, actor, comment, at)

    def return_for_correction(self, actor: Actor, reason: str, at: datetime) -> None:
        """退回: the approval ``actor`` gave could not take effect (``reason``); the applicant
        may correct and resubmit."""
        self._step(RETURN, actor, reason, at)

    def withdraw(self, actor: Actor, comment: str, at: datetime) -> None:
        self._step(WITHDRAW, actor, comment, at)

    def resubmit(self, form: dict[str, Any], materials: tuple[Material, ...], actor: Actor, at: datetime) -> None:
        """补正后重新提交: the corrected form and materials replace the previous round's."""
        self._step(RESUBMIT, actor, "", at)
        self.form, self.materials, self.round = form, materials, self.round + 1

    def _step(self, action: str, actor: Actor, comment: str, at: datetime) -> None:
        after = TRANSITIONS.get((self.status, action))
        if after is None:
            raise IllegalTransition(self.case_no, self.status, action)
        self._record(Transition(action, self.status, after, actor, comment, at))

    def _record(self, step: Transition) -> None:
        self.status, self.updated_at = step.to_status, step.at
        self.history.append(step)
        self.new_steps.append(step)
