"""单位关键信息维护 and 信用代码维护 in the enterprise service layer, over in-memory adapters."""

import pytest
from enterprise_builders import NOW, a_record, a_unit, application_for, random_name
from enterprise_fakes import FakeUnitOfWork

from hrss_contracts.examples import random_id_number, random_uscc
from hrss_enterprise.domain.errors import (
    AlreadyRegistered,
    CodeTaken,
    CreditCodeMismatch,
    EnterpriseNotFound,
    KeyInfoCaseClosed,
    UnitNotFound,
)
from hrss_enterprise.domain.events import EnterpriseKeyInfoChanged, UnitCreditCodeChanged
from hrss_enterprise.domain.model import ENTERPRISE_PENSION, Enterprise, KeyInfo, RegistrationApplication
from hrss_enterprise.service_layer.key_info import (
    AlignCreditCode,
    ChangeKeyInfo,
    CloseKeyInfoCase,
    align_credit_code,
    change_key_info,
    close_key_info_case,
)
from hrss_enterprise.service_layer.registration import register

pytestmark = pytest.mark.unit

_CASES = iter(range(1, 10**6))


def next_case():
    return f"YW20261128{next(_CASES):06d}"


def an_enterprise(*units):
    uscc = random_uscc()
    return Enterprise(uscc, random_name(), "哈尔滨", "王建国", random_id_number(), "13900000000", NOW, list(units))


def new_key_info(uscc=None):
    return KeyInfo(uscc or random_uscc(), "新名称有限公司", "李新", random_id_number())


def test_the_change_moves_the_code_of_the_enterprise_and_of_its_cases_unit_only():
    first, second = a_unit(i110="甲局"), a_unit(i410="甲局")
    enterprise = an_enterprise(first, second)
    uow = FakeUnitOfWork(enterprises=[enterprise])
    new = new_key_info()

    changed = change_key_info(ChangeKeyInfo(next_case(), enterprise.enterprise_id, first.unit_no, new), uow)

    assert changed.key_info == new and changed.enterprise_id == enterprise.uscc
    assert [changed.credit_code_of(u) for u in changed.units] == [new.uscc, enterprise.uscc]
    assert uow.published == [EnterpriseKeyInfoChanged(changed, enterprise.uscc, uow.published[0].changed_at)]
    assert uow.enterprises.get(new.uscc) == changed == uow.enterprises.get(enterprise.uscc)  # by a former code too


def test_a_repeat_changes_nothing_and_publishes_nothing():
    unit = a_unit(i110="甲局")
    enterprise = an_enterprise(unit)
    uow = FakeUnitOfWork(enterprises=[enterprise])
    command = ChangeKeyInfo(next_case(), enterprise.enterprise_id, unit.unit_no, new_key_info())
    change_key_info(command, uow)
    uow.published.clear()

    change_key_info(command, uow)

    assert uow.published == []


def test_a_cases_change_happens_once_even_after_a_later_case_changed_the_enterprise_again():
    unit = a_unit(i110="甲局")
    enterprise = an_enterprise(unit)
    uow = FakeUnitOfWork(enterprises=[enterprise])
    first = ChangeKeyInfo(next_case(), enterprise.enterprise_id, unit.unit_no, new_key_info())
    second = ChangeKeyInfo(next_case(), enterprise.enterprise_id, unit.unit_no, new_key_info())
    change_key_info(first, uow)
    change_key_info(second, uow)

    again = change_key_info(first, uow)  # the first case's answer was lost, and it is approved again

    assert again.key_info == second.key_info and len(uow.published) == 2


def test_a_closed_case_never_takes_effect_and_closing_an_applied_one_says_so():
    unit = a_unit(i110="甲局")
    enterprise = an_enterprise(unit)
    uow = FakeUnitOfWork(enterprises=[enterprise])
    denied, approved = next_case(), next_case()

    assert close_key_info_case(CloseKeyInfoCase(denied, enterprise.enterprise_id), uow) is False
    with pytest.raises(KeyInfoCaseClosed):
        change_key_info(ChangeKeyInfo(denied, enterprise.enterprise_id, unit.unit_no, new_key_info()), uow)
    change_key_info(ChangeKeyInfo(approved, enterprise.enterprise_id, unit.unit_no, new_key_info()), uow)

    assert close_key_info_case(CloseKeyInfoCase(approved, enterprise.enterprise_id), uow) is True
    assert len(uow.published) == 1


def test_a_code_an_enterprise_held_before_is_nobody_elses():
    unit = a_unit(i110="甲局")
    mover, other = an_enterprise(unit), an_enterprise(a_unit(i110="甲局"))
    uow = FakeUnitOfWork(enterprises=[mover, other])
    between, last = new_key_info(), new_key_info()
    change_key_info(ChangeKeyInfo(next_case(), mover.enterprise_id, unit.unit_no, between), uow)
    change_key_info(ChangeKeyInfo(next_case(), mover.enterprise_id, unit.unit_no, last), uow)

    with pytest.raises(CodeTaken):
        change_key_info(
            ChangeKeyInfo(next_case(), other.enterprise_id, other.units[0].unit_no, new_key_info(between.uscc)), uow
        )
    assert uow.enterprises.get(between.uscc).enterprise_id == mover.enterprise_id  # found by a former code


def test_a_new_legal_representative_with_the_same_code_names_no_previous_code():
    unit = a_unit(i110="甲局")
    enterprise = an_enterprise(unit)
    uow = FakeUnitOfWork(enterprises=[enterprise])

    change_key_info(
        ChangeKeyInfo(next_case(), enterprise.enterprise_id, unit.unit_no, new_key_info(enterprise.uscc)), uow
    )

    assert uow.published[0].previous_uscc is None


def test_another_enterprises_code_is_refused_and_nothing_changes():
    unit = a_unit(i110="甲局")
    mine, theirs = an_enterprise(unit), an_enterprise(a_unit(i110="甲局"))
    uow = FakeUnitOfWork(enterprises=[mine, theirs])

    with pytest.raises(CodeTaken):
        change_key_info(ChangeKeyInfo(next_case(), mine.enterprise_id, unit.unit_no, new_key_info(theirs.uscc)), uow)

    assert uow.enterprises.get_by_id(mine.enterprise_id) == mine and uow.published == []
    with pytest.raises(EnterpriseNotFound):
        change_key_info(ChangeKeyInfo(next_case(), "no-such", unit.unit_no, new_key_info()), uow)
    with pytest.raises(UnitNotFound):
        change_key_info(ChangeKeyInfo(next_case(), mine.enterprise_id, "U-not-mine", new_key_info()), uow)


def test_the_agency_aligns_the_other_units_with_the_new_code_once():
    first, second = a_unit(i110="甲局"), a_unit(i410="乙局")
    enterprise = an_enterprise(first, second)
    uow = FakeUnitOfWork(enterprises=[enterprise])
    new = new_key_info()
    change_key_info(ChangeKeyInfo(next_case(), enterprise.enterprise_id, first.unit_no, new), uow)
    uow.published.clear()

    with pytest.raises(UnitNotFound):  # 甲局 does not insure the second unit
        align_credit_code(AlignCreditCode(second.unit_no, new.uscc, "甲局"), uow)
    with pytest.raises(CreditCodeMismatch):
        align_credit_code(AlignCreditCode(second.unit_no, enterprise.uscc, "乙局"), uow)
    aligned = align_credit_code(AlignCreditCode(second.unit_no, new.uscc, "乙局"), uow)
    again = align_credit_code(AlignCreditCode(second.unit_no, new.uscc, "乙局"), uow)

    assert [aligned.credit_code_of(u) for u in aligned.units] == [new.uscc, new.uscc] and again == aligned
    assert [type(e) for e in uow.published] == [UnitCreditCodeChanged]
    event = uow.published[0]
    assert (event.unit_no, event.uscc, event.previous_uscc, event.agency) == (
        second.unit_no,
        new.uscc,
        enterprise.uscc,
        "乙局",
    )


def test_a_registration_under_the_code_a_change_gave_is_no_repeat_of_the_first():
    unit = a_unit(i110="甲局")
    record = a_record(ENTERPRISE_PENSION, units=(unit,))
    uow = FakeUnitOfWork(records=[record])
    enterprise = register(application_for(record), uow)
    new = new_key_info()
    change_key_info(ChangeKeyInfo(next_case(), enterprise.enterprise_id, unit.unit_no, new), uow)
    again = RegistrationApplication(
        new.uscc, new.name, new.legal_rep_name, new.legal_rep_id, enterprise.legal_rep_phone
    )

    with pytest.raises(AlreadyRegistered):
        register(again, uow)
