"""What the service layer needs from the outside world; adapters and fakes implement it."""

from __future__ import annotations

import abc
from datetime import datetime

from hrss_enterprise.domain.events import Event
from hrss_enterprise.domain.model import Enterprise, SourceRecord
from hrss_kit.unit_of_work import UnitOfWork as KitUnitOfWork


class SourceRepository(abc.ABC):
    @abc.abstractmethod
    def get(self, source: str, uscc: str) -> SourceRecord | None: ...

    @abc.abstractmethod
    def for_uscc(self, uscc: str) -> dict[str, SourceRecord]: ...

    @abc.abstractmethod
    def unit_holders(self, unit_nos: list[str]) -> dict[str, str]:
        """Unit number → the code any source holds it under."""

    @abc.abstractmethod
    def save(self, record: SourceRecord, is_new: bool) -> None: ...


class EnterpriseRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, enterprise: Enterprise) -> None: ...

    @abc.abstractmethod
    def get(self, uscc: str) -> Enterprise | None:
        """The enterprise whose credit code is ``uscc`` today."""

    @abc.abstractmethod
    def get_by_id(self, enterprise_id: str, for_update: bool = False) -> Enterprise | None:
        """The enterprise that registered with the code ``enterprise_id``."""

    @abc.abstractmethod
    def code_taken(self, uscc: str, by_other_than: str) -> bool:
        """Whether another enterprise has the code ``uscc`` (today, or as its registration's)."""

    @abc.abstractmethod
    def key_info_outcome(self, case_no: str) -> str | None:
        """``applied`` or ``closed`` for a 单位关键信息维护 case the enterprise has seen; None."""

    @abc.abstractmethod
    def record_key_info_outcome(self, case_no: str, enterprise_id: str, outcome: str) -> None: ...

    @abc.abstractmethod
    def save_key_info(self, enterprise: Enterprise) -> None:
        """Store its key information and its units' credit codes."""

    @abc.abstractmethod
    def save_contact(self, enterprise: Enterprise) -> None:
        """Store the legal representative's contact phone."""

    @abc.abstractmethod
    def uscc_of_unit(self, unit_no: str) -> str | None:
        """The id (registration code) of the enterprise that holds the unit."""

    @abc.abstractmethod
    def unit_holders(self, unit_nos: list[str]) -> dict[str, str]:
        """Unit number → the registered enterprise that holds it."""


class DecisionLog(abc.ABC):
    @abc.abstractmethod
    def record(self, uscc: str, outcome: str, mismatched_fields: list[str], decided_at: datetime) -> None: ...


class UnitOfWork(KitUnitOfWork[Event]):
    """One transaction; events recorded in it are published if, and only if, it commits."""

    sources: SourceRepository
    enterprises: EnterpriseRepository
    decisions: DecisionLog
