"""Enterprises, their units and insurance relations, and the sources that vouch for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

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
    """单位: an enterprise has one unit number per insuring registration."""

    unit_no: str
    relations: tuple[InsuranceRelation, ...]


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


@dataclass
class Enterprise:
    """A registered enterprise with all its unit numbers and insurance relations."""

    uscc: str
    name: str
    address: str | None
    legal_rep_name: str
    legal_rep_id: str
    legal_rep_phone: str
    registered_at: datetime
    units: list[Unit] = field(default_factory=list)

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
