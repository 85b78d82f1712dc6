"""修改资料 → 联系电话 in the enterprise service layer, over in-memory adapters."""

import pytest
from enterprise_builders import NOW, a_unit, random_name
from enterprise_fakes import FakeUnitOfWork

from hrss_contracts.examples import random_id_number, random_uscc
from hrss_enterprise.domain.errors import EnterpriseNotFound
from hrss_enterprise.domain.events import EnterpriseContactChanged
from hrss_enterprise.domain.model import Enterprise, KeyInfo
from hrss_enterprise.service_layer.contact import ChangeContact, change_contact
from hrss_enterprise.service_layer.key_info import ChangeKeyInfo, change_key_info

pytestmark = pytest.mark.unit


def an_enterprise():
    return Enterprise(
        random_uscc(), random_name(), "哈尔滨", "王建国", random_id_number(), "13900000000", NOW, [a_unit()]
    )


def test_a_new_phone_is_kept_and_announced_whole_and_the_same_phone_again_changes_nothing():
    enterprise = an_enterprise()
    uow = FakeUnitOfWork(enterprises=[enterprise])

    changed = change_contact(ChangeContact(enterprise.uscc, "0451-86661234"), uow)
    again = change_contact(ChangeContact(enterprise.uscc, "0451-86661234"), uow)

    assert changed.legal_rep_phone == again.legal_rep_phone == "0451-86661234"
    assert uow.enterprises.get(enterprise.uscc).legal_rep_phone == "0451-86661234"
    assert uow.published == [EnterpriseContactChanged(changed, uow.published[0].changed_at)]


def test_the_enterprise_is_found_by_its_code_today():
    enterprise = an_enterprise()
    uow = FakeUnitOfWork(enterprises=[enterprise])
    new = KeyInfo(random_uscc(), enterprise.name, enterprise.legal_rep_name, enterprise.legal_rep_id)
    change_key_info(ChangeKeyInfo("YW20261128999999", enterprise.enterprise_id, enterprise.units[0].unit_no, new), uow)

    changed = change_contact(ChangeContact(new.uscc, "13800138000"), uow)

    assert (changed.enterprise_id, changed.legal_rep_phone) == (enterprise.enterprise_id, "13800138000")
    with pytest.raises(EnterpriseNotFound):
        change_contact(ChangeContact(random_uscc(), "13800138000"), uow)
