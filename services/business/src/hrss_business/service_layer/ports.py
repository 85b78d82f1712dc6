"""What the business service layer needs from the outside: its unit of work with the cases and
the two read models (registered enterprises with their relations; the clerks' grants), the
uploads registry, and a checker of forms. Standard library only."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from hrss_business.domain.cases import Case, Material, Relation
from hrss_business.domain.model import BusinessItem
from hrss_kit.unit_of_work import UnitOfWork as KitUnitOfWork


@dataclass(frozen=True)
class Scope:
    """Whose cases a listing shows: those of the enterprise whose code is ``uscc`` today (its
    legal representative), of the relations a clerk holds (``clerk_id``; a clerk's grants are
    all of their own enterprise's relations), or of an agency."""

    uscc: str | None = None
    clerk_id: str | None = None
    agency: str | None = None


@dataclass(frozen=True)
class CaseQuery:
    status: str | None
    item_code: str | None
    page: int
    page_size: int


@dataclass(frozen=True)
class CaseSummary:
    case_no: str
    item_code: str
    item_name: str
    status: str
    uscc: str
    unit_no: str
    insurance: str
    agency: str
    applicant_name: str
    submitted_at: datetime
    updated_at: datetime


class Cases(abc.ABC):
    @abc.abstractmethod
    def next_case_no(self, at: datetime) -> str:
        """A new case number: ``YW``, the day (China time) and a sequence within the day."""

    @abc.abstractmethod
    def add(self, case: Case) -> None: ...

    @abc.abstractmethod
    def get(self, case_no: str, for_update: bool = False) -> Case | None: ...

    @abc.abstractmethod
    def save(self, case: Case) -> None:
        """Store the case's new steps, if nobody moved it since it was loaded; else
        ``IllegalTransition`` with the status it has now."""

    @abc.abstractmethod
    def material(self, case_no: str, attachment_id: str) -> Material | None:
        """An attachment given in any round of the case."""

    @abc.abstractmethod
    def page(self, scope: Scope, query: CaseQuery) -> tuple[list[CaseSummary], int]:
        """A page of the cases in ``scope``, newest first, and how many there are in all."""


class Enterprises(abc.ABC):
    """The read model of registered enterprises and their relations."""

    @abc.abstractmethod
    def enterprise_id(self, uscc: str) -> str | None:
        """The enterprise that has the code ``uscc`` today."""

    @abc.abstractmethod
    def relation(self, relation_id: str) -> Relation | None: ...

    @abc.abstractmethod
    def relation_for(self, relation_id: str, uscc: str, clerk_id: str | None) -> tuple[Relation, bool] | None:
        """The relation if it is one of the enterprise whose code is ``uscc`` today, and whether
        the clerk ``clerk_id`` holds it (False without one)."""

    @abc.abstractmethod
    def remember(self, enterprise_id: str, uscc: str, name: str, relations: tuple[Relation, ...]) -> None: ...

    @abc.abstractmethod
    def follow_key_info(self, enterprise_id: str, uscc: str, name: str) -> None: ...


class Grants(abc.ABC):
    """The read model of what each clerk holds (one row per clerk and relation)."""

    @abc.abstractmethod
    def holds(self, clerk_id: str, relation_id: str) -> bool: ...

    @abc.abstractmethod
    def replace(self, clerk_id: str, relation_ids: frozenset[str]) -> None: ...


class UnitOfWork(KitUnitOfWork[Any]):
    cases: Cases
    enterprises: Enterprises
    grants: Grants


class Uploads(Protocol):
    """The registry of uploaded attachments (kept by the authorization service for now)."""

    def owned(self, owner: str, attachment_ids: list[str]) -> dict[str, Material]:
        """Those of ``attachment_ids`` that ``owner`` uploaded, as materials (code left empty)."""


class Effects(Protocol):
    """What approving a case changes elsewhere (单位关键信息维护: the enterprise)."""

    def applies_to(self, item_code: str) -> bool: ...

    def apply(self, case: Case) -> None:
        """Make the approved case's change, or raise ``EffectRefused``; the same case's change
        again succeeds and changes nothing."""

    def close(self, case: Case) -> bool:
        """Before the case is denied: its change may no longer happen. True when it had happened
        already (an approval whose answer was lost): the case is approved instead."""


class Forms(Protocol):
    def problems(self, item: BusinessItem, form: dict[str, Any]) -> dict[str, list[str]]:
        """What is missing or wrong in ``form`` against the item's schema: ``{"form.<path>":
        [message, …]}``; empty when it is good."""
