"""A registration typed with full-width brackets and spaces matches a record imported with
half-width ones (issue 5, deliverable 5), and the source names agree with the contracts."""

from dataclasses import replace

import pytest
from enterprise_builders import NOW
from enterprise_fakes import FakeUnitOfWork

from hrss_contracts import sources as contract_sources
from hrss_enterprise.domain import model, registration
from hrss_enterprise.entrypoints.schemas import load_application, load_record
from hrss_enterprise.service_layer.sources import ImportReport, import_records

pytestmark = pytest.mark.unit

USCC = "91152201078377449P"
ID_NUMBER = "230102198001011236"


def imported(name, legal_rep_name):
    raw = {"uscc": USCC, "name": name, "legal_rep_name": legal_rep_name, "legal_rep_id": ID_NUMBER}
    return load_record(model.ENTERPRISE_PENSION, raw)


def typed(name, legal_rep_name):
    return load_application(
        {
            "uscc": USCC,
            "name": name,
            "legal_rep_name": legal_rep_name,
            "legal_rep_id": ID_NUMBER,
            "phone": "13904510001",
        }
    )


@pytest.mark.parametrize(
    ("in_the_source", "as_typed"),
    [
        (("冰城机械有限公司(黑龙江)", "王建国"), ("冰城机械有限公司（黑龙江）", "王建国")),
        (("冰城机械有限公司（黑龙江）", "王建国"), ("冰城机械有限公司(黑龙江)", " 王建国 ")),
        (("Harbin  Machinery Co.", "阿依古丽·买买提"), ("Ｈａｒｂｉｎ\u3000Machinery Co.", "阿依古丽•买买提")),
    ],
)
def test_a_name_typed_in_another_width_registers(in_the_source, as_typed):
    record = imported(*in_the_source)
    application = typed(*as_typed)

    assert registration.mismatched_fields(application, record) == []
    enterprise = registration.decide(application, {record.source: record}, NOW)
    assert (enterprise.name, enterprise.legal_rep_name) == (record.name, record.legal_rep_name)


def test_a_different_name_still_mismatches_after_normalisation():
    record = imported("冰城机械有限公司(黑龙江)", "王建国")

    assert registration.mismatched_fields(typed("冰城机械有限公司(吉林)", "王建国"), record) == ["name"]


def test_a_record_stored_before_normalisation_is_normalised_by_importing_it_again():
    record = imported("冰城机械有限公司(黑龙江)", "王建国")
    legacy = replace(record, name="冰城机械有限公司（黑龙江）", legal_rep_name="王建国\u3000")
    uow = FakeUnitOfWork(records=[legacy])

    report = import_records([(1, imported("冰城机械有限公司（黑龙江） ", "王建国\u3000"))], ImportReport(), uow)

    assert (report.added, report.updated, report.unchanged) == (0, 1, 0)
    assert uow.sources.get(record.source, USCC) == record


def test_the_domain_names_the_three_sources_as_the_contracts_do():
    # domain/ imports only the standard library, so it keeps its own copy of the names.
    assert model.SOURCES == contract_sources.SOURCES
    assert model.PENSION_SOURCES == contract_sources.PENSION_SOURCES
    assert (model.MARKET, model.ENTERPRISE_PENSION, model.INSTITUTION_PENSION) == (
        contract_sources.MARKET,
        contract_sources.ENTERPRISE_PENSION,
        contract_sources.INSTITUTION_PENSION,
    )
