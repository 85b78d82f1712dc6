"""What every use case of cases shares: the clock, and the events of a case's new steps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from hrss_business.domain.cases import Case
from hrss_business.domain.events import events_of
from hrss_business.service_layer.ports import UnitOfWork

Clock = Callable[[], datetime]


def now() -> datetime:
    return datetime.now(UTC)


def publish_steps(case: Case, uow: UnitOfWork) -> None:
    for event in events_of(case):
        uow.publish(event)
    case.new_steps.clear()
