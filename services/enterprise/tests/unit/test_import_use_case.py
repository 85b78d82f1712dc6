"""Use case 单位数据同步: importing the verification sources' records over in-memory ports."""

from dataclasses import replace

import pytest
from enterprise_builders import a_record, a_unit
from enterprise_fakes import FakeUnitOfWork

from hrss_enterprise.domain.model import ENTERPRISE_PENSION, INSTITUTION_PENSION, MARKET
from hrss_enterprise.service_layer.sources import ImportReport, import_records

pytestmark = pytest.mark.unit


def imported(uow, *records):
    """Import ``records`` as lines 1, 2, … of one file."""
    return import_records(list(enumerate(records, start=1)), ImportReport(), uow)


def counts(report):
    return report.added, report.updated, report.unchanged


def test_import_counts_added_updated_and_unchanged_records():
    kept, changed = a_record(ENTERPRISE_PENSION), a_record(MARKET)
    uow = FakeUnitOfWork(records=[kept, changed])
    renamed, new = replace(changed, name="新名称"), a_record(INSTITUTION_PENSION, units=(a_unit(i110="甲局"),))

    report = imported(uow, kept, renamed, new)

    assert (counts(report), report.refused, uow.committed) == ((1, 1, 1), [], True)
    assert uow.sources.for_uscc(changed.uscc) == {MARKET: renamed}
    assert uow.sources.get(INSTITUTION_PENSION, new.uscc) == new


def test_importing_the_same_records_again_leaves_every_record_unchanged():
    records = [a_record(MARKET), a_record(ENTERPRISE_PENSION, units=(a_unit(i110="甲局"),))]
    uow = FakeUnitOfWork()
    imported(uow, *records)
    stored = dict(uow.sources.records)

    report = imported(uow, *records)

    assert counts(report) == (0, 0, 2)
    assert uow.sources.records == stored


def test_market_record_with_units_is_refused_with_a_reason_while_the_others_land():
    market = a_record(MARKET, units=(a_unit(i110="甲局"),))
    before, after = a_record(ENTERPRISE_PENSION), a_record(INSTITUTION_PENSION)
    uow = FakeUnitOfWork()

    report = imported(uow, before, market, after)

    assert report.refused == [{"line": 2, "uscc": market.uscc, "reason": "units: 营商登记记录不含单位编号"}]
    assert counts(report) == (2, 0, 0)
    assert uow.sources.for_uscc(market.uscc) == {}


def test_unit_number_already_held_under_another_code_is_refused():
    unit = a_unit(i110="甲局")
    holder = a_record(ENTERPRISE_PENSION, units=(unit,))
    claimant = a_record(INSTITUTION_PENSION, units=(a_unit(unit.unit_no, i210="乙局"),))
    uow = FakeUnitOfWork(records=[holder])

    report = imported(uow, claimant)

    [refusal] = report.refused
    assert (refusal["uscc"], counts(report)) == (claimant.uscc, (0, 0, 0))
    assert refusal["reason"].startswith("units:") and unit.unit_no in refusal["reason"]
    assert uow.sources.for_uscc(claimant.uscc) == {}


def test_unit_number_claimed_twice_in_one_file_stays_with_the_first_record():
    unit = a_unit(i110="甲局")
    first = a_record(ENTERPRISE_PENSION, units=(unit,))
    second = a_record(ENTERPRISE_PENSION, units=(unit,))
    uow = FakeUnitOfWork()

    report = imported(uow, first, second)

    assert [r["line"] for r in report.refused] == [2]
    assert uow.sources.unit_holders([unit.unit_no]) == {unit.unit_no: first.uscc}


def test_unit_number_another_source_holds_under_the_same_code_is_accepted():
    unit = a_unit(i110="甲局")
    ep = a_record(ENTERPRISE_PENSION, units=(unit,))
    ip = a_record(INSTITUTION_PENSION, uscc=ep.uscc, units=(a_unit(unit.unit_no, i210="乙局"),))
    uow = FakeUnitOfWork(records=[ep])

    report = imported(uow, ip)

    assert (counts(report), report.refused) == ((1, 0, 0), [])
