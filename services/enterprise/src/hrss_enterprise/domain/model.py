"""Enterprises, their units and insurance relations, and the sources that vouch for them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from hrss_enterprise.domain.errors import CreditCodeMismatch, UnitNotFound

MARKET = "market"
ENTERPRISE_PENSION = "enterprise-pension"
INSTITUTION_PENSION = "institution-pension"
SOURCES = (MARKET, ENTERPRISE_PENSION, INSTITUTION_PENSION)
PENSION_SOURCES = (ENTERPRISE_PENSION, INSTITUTION_PENSION)
# Manual 5.1.1: the pension record decides where one exists; enterprise pension first.
REFERENCE_ORDER = (ENTERPRISE_PENSION, INSTITUTION_PENSION, MARKET)


@dataclass(frozen=True)
class InsuranceRelation:
    """参保关系: one insurance type of one unit, kept by one insuring agency."""

    unit_no: str
    insurance: str
    agency: str

    @property
    def relation_id(self) -> str:
        # (unit, insurance) is unique, so it names the relation in every service.
        return f"{self.unit_no}-{self.insurance}"


@dataclass(frozen=True)
class Unit:
    """单位: an enterprise has one unit number per insuring registration. ``credit_code`` is the
    credit code the unit carries in the agency's records (None: the one it registered with);
    after 单位关键信息维护 on one unit the others keep the old one until 信用代码维护."""

    unit_no: str
    relations: tuple[InsuranceRelation, ...]
    credit_code: str | None = None


@dataclass(frozen=True)
class SourceRecord:
    """One enterprise as one verification source (营商, 企业养老, 机关事业) knows it."""

    source: str
    uscc: str
    name: str
    address: str | None
    legal_rep_name: str
    legal_rep_id: str
    legal_rep_phone: str | None
    units: tuple[Unit, ...] = ()


@dataclass(frozen=True)
class RegistrationApplication:
    """注册: what the legal representative typed in."""

    uscc: str
    name: str
    legal_rep_name: str
    legal_rep_id: str
    phone: str


@dataclass(frozen=True)
class KeyInfo:
    """单位关键信息: the credit code, the name and the legal representative."""

    uscc: str
    name: str
    legal_rep_name: str
    legal_rep_id: str


@dataclass
class Enterprise:
    """A registered enterprise with all its unit numbers and insurance relations.

    ``uscc`` is its credit code today; ``enterprise_id`` the code it registered with, which
    names it for good (its events' aggregate id, every service's key for it).
    """

    uscc: str
    name: str
    address: str | None
    legal_rep_name: str
    legal_rep_id: str
    legal_rep_phone: str
    registered_at: datetime
    units: list[Unit] = field(default_factory=list)
    enterprise_id: str = ""

    def __post_init__(self) -> None:
        self.enterprise_id = self.enterprise_id or self.uscc

    @property
    def key_info(self) -> KeyInfo:
        return KeyInfo(self.uscc, self.name, self.legal_rep_name, self.legal_rep_id)

    def credit_code_of(self, unit: Unit) -> str:
        return unit.credit_code or self.enterprise_id

    def unit(self, unit_no: str) -> Unit:
        found = next((u for u in self.units if u.unit_no == unit_no), None)
        if found is None:
            raise UnitNotFound(unit_no)
        return found

    def change_key_info(self, unit_no: str, new: KeyInfo) -> bool:
        """单位关键信息维护 approved on the unit ``unit_no``: the enterprise takes the new key
        information and that unit the new code (the others keep theirs until 信用代码维护).
        False when it holds all of it already (a repeat changes nothing)."""
        unit = self.unit(unit_no)
        if self.key_info == new and self.credit_code_of(unit) == new.uscc:
            return False
        self.uscc, self.name, self.legal_rep_name, self.legal_rep_id = (
            new.uscc,
            new.name,
            new.legal_rep_name,
            new.legal_rep_id,
        )
        self._set_credit_code(unit, new.uscc)
        return True

    def change_contact(self, phone: str) -> bool:
        """修改资料: the legal representative's contact phone; False when it is that already."""
        if phone == self.legal_rep_phone:
            return False
        self.legal_rep_phone = phone
        return True

    def align_credit_code(self, unit_no: str, uscc: str) -> str | None:
        """信用代码维护: the unit takes the enterprise's code today (nothing else may be given);
        the code it carried before, or None when it carries it already."""
        unit = self.unit(unit_no)
        if uscc != self.uscc:
            raise CreditCodeMismatch(unit_no)
        before = self.credit_code_of(unit)
        if before == uscc:
            return None
        self._set_credit_code(unit, uscc)
        return before

    def _set_credit_code(self, unit: Unit, uscc: str) -> None:
        self.units = [replace(u, credit_code=uscc) if u.unit_no == unit.unit_no else u for u in self.units]

    def registered_as(self, application: RegistrationApplication) -> bool:
        """Whether ``application`` is the very registration that created this enterprise."""
        return (self.name, self.legal_rep_name, self.legal_rep_id, self.legal_rep_phone) == (
            application.name,
            application.legal_rep_name,
            application.legal_rep_id,
            application.phone,
        )

    @property
    def relations(self) -> list[InsuranceRelation]:
        return [relation for unit in self.units for relation in unit.relations]
