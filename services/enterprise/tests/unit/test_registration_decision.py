"""Manual 5.1: which record decides a registration, and what a successful one holds."""

import pytest
from enterprise_builders import NOW, a_record, a_unit, application_for, random_id_number, random_name, random_unit_no

from hrss_enterprise.domain import registration
from hrss_enterprise.domain.errors import NotVerified, RegistrationMismatch
from hrss_enterprise.domain.model import ENTERPRISE_PENSION, INSTITUTION_PENSION, MARKET

pytestmark = pytest.mark.unit

COMPARED = ("name", "legal_rep_name", "legal_rep_id")


def differing_from(record, fields):
    """Overrides that make an application differ from ``record`` in exactly ``fields``."""
    other = {"name": random_name(), "legal_rep_name": random_name("法人"), "legal_rep_id": random_id_number()}
    return {field: other[field] for field in fields}


def test_code_that_no_source_knows_is_not_verified():
    application = application_for(a_record(MARKET))

    with pytest.raises(NotVerified):
        registration.decide(application, {}, NOW)


def test_enterprise_pension_record_is_the_reference_over_institution_pension_and_market():
    records = {s: a_record(s) for s in (MARKET, INSTITUTION_PENSION, ENTERPRISE_PENSION)}

    assert registration.reference_record(records) is records[ENTERPRISE_PENSION]


def test_institution_pension_record_is_the_reference_over_market():
    records = {s: a_record(s) for s in (MARKET, INSTITUTION_PENSION)}

    assert registration.reference_record(records) is records[INSTITUTION_PENSION]


def test_market_record_is_the_reference_when_no_pension_source_knows_the_code():
    records = {MARKET: a_record(MARKET)}

    assert registration.reference_record(records) is records[MARKET]


def test_application_that_matches_the_market_but_not_the_pension_record_is_a_mismatch():
    market = a_record(MARKET)
    pension = a_record(ENTERPRISE_PENSION, uscc=market.uscc, legal_rep_id=market.legal_rep_id)

    with pytest.raises(RegistrationMismatch) as refusal:
        registration.decide(application_for(market), {MARKET: market, ENTERPRISE_PENSION: pension}, NOW)

    assert refusal.value.fields == ["name", "legal_rep_name"]


@pytest.mark.parametrize(
    "fields", [["name"], ["legal_rep_name"], ["legal_rep_id"], ["name", "legal_rep_id"], list(COMPARED)]
)
def test_mismatch_names_exactly_the_fields_that_differ(fields):
    record = a_record(ENTERPRISE_PENSION)
    application = application_for(record, **differing_from(record, fields))

    assert registration.mismatched_fields(application, record) == fields


def test_application_typed_as_the_record_has_no_mismatched_fields():
    record = a_record(INSTITUTION_PENSION)

    assert registration.mismatched_fields(application_for(record), record) == []


def test_mismatch_never_reveals_the_values_the_record_holds():
    record = a_record(ENTERPRISE_PENSION)
    application = application_for(record, **differing_from(record, COMPARED))

    with pytest.raises(RegistrationMismatch) as refusal:
        registration.decide(application, {ENTERPRISE_PENSION: record}, NOW)

    told = " ".join([str(refusal.value), repr(refusal.value), repr(refusal.value.args), repr(vars(refusal.value))])
    for secret in (record.name, record.legal_rep_name, record.legal_rep_id):
        assert secret not in told


def test_registration_takes_every_unit_of_both_pension_sources_once():
    shared = random_unit_no()
    ep_only, ip_only = a_unit(i110="甲局"), a_unit(i410="乙局")
    ep = a_record(ENTERPRISE_PENSION, units=(ep_only, a_unit(shared, i110="甲局")))
    ip = a_record(INSTITUTION_PENSION, uscc=ep.uscc, units=(a_unit(shared, i210="乙局"), ip_only))

    enterprise = registration.decide(application_for(ep), {ENTERPRISE_PENSION: ep, INSTITUTION_PENSION: ip}, NOW)

    assert sorted(u.unit_no for u in enterprise.units) == sorted([shared, ep_only.unit_no, ip_only.unit_no])
    merged = next(u for u in enterprise.units if u.unit_no == shared)
    assert [(r.insurance, r.agency) for r in merged.relations] == [("110", "甲局"), ("210", "乙局")]


def test_enterprise_pension_agency_wins_where_both_pension_sources_name_the_same_relation():
    unit_no = random_unit_no()
    ep = a_record(ENTERPRISE_PENSION, units=(a_unit(unit_no, i110="企业养老局"),))
    ip = a_record(INSTITUTION_PENSION, uscc=ep.uscc, units=(a_unit(unit_no, i110="机关养老局"),))

    enterprise = registration.decide(application_for(ep), {ENTERPRISE_PENSION: ep, INSTITUTION_PENSION: ip}, NOW)

    assert [(r.insurance, r.agency) for r in enterprise.relations] == [("110", "企业养老局")]


def test_every_relation_is_named_by_its_unit_number_and_insurance_type():
    ep = a_record(ENTERPRISE_PENSION, units=(a_unit(i110="甲局", i120="甲局"), a_unit(i210="乙局")))

    enterprise = registration.decide(application_for(ep), {ENTERPRISE_PENSION: ep}, NOW)

    assert len(enterprise.relations) == 3
    assert all(r.relation_id == f"{r.unit_no}-{r.insurance}" for r in enterprise.relations)


def test_enterprise_only_the_market_registry_knows_registers_without_units():
    market = a_record(MARKET)
    application = application_for(market)

    enterprise = registration.decide(application, {MARKET: market}, NOW)

    assert (enterprise.uscc, enterprise.units) == (market.uscc, [])
    assert (enterprise.legal_rep_phone, enterprise.registered_at) == (application.phone, NOW)
