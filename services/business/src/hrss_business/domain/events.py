"""The business service's events: each carries the case whole and the step that made it."""

from __future__ import annotations

from dataclasses import dataclass

from hrss_business.domain.cases import Case, Transition

CASE_SUBMITTED, CASE_STATUS_CHANGED, CASE_CONCLUDED = "CaseSubmitted", "CaseStatusChanged", "CaseConcluded"


@dataclass(frozen=True)
class CaseEvent:
    event_type: str
    case: Case
    step: Transition


def events_of(case: Case) -> list[CaseEvent]:
    """The events of the case's new steps: ``CaseSubmitted`` for the first, else
    ``CaseStatusChanged``, and ``CaseConcluded`` after a step that ends the case."""
    found: list[CaseEvent] = []
    for step in case.new_steps:
        if step.from_status is None:
            found.append(CaseEvent(CASE_SUBMITTED, case, step))
            continue
        found.append(CaseEvent(CASE_STATUS_CHANGED, case, step))
        if case.concluded and step is case.new_steps[-1]:
            found.append(CaseEvent(CASE_CONCLUDED, case, step))
    return found
