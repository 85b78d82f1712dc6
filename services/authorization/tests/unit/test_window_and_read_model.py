"""The agency window's grants, and the read model of registered enterprises kept from the
enterprise service's events, over in-memory ports."""

from datetime import UTC, datetime

import pytest
from authorization_fakes import FakeSources, FakeUnitOfWork, an_enterprise, registration_of

from hrss_authorization.adapters.messages import to_envelope
from hrss_authorization.domain import commands, events
from hrss_authorization.domain.errors import EnterpriseNotFound, NotYetKnown
from hrss_authorization.domain.model import AGENCY_WINDOW, Actor, Person
from hrss_authorization.service_layer import clerks, enterprises, window
from hrss_contracts.events import load_envelope
from hrss_contracts.examples import random_id_number, random_uscc

pytestmark = pytest.mark.unit

WINDOW = Actor("window01", "agency", "哈尔滨市社会保险事业中心")


def test_a_window_grant_adds_to_what_the_clerk_holds_and_names_its_materials():
    enterprise = an_enterprise(relations=3)
    first, second, _ = sorted(enterprise.relations)
    enterprise.add_clerk("c1", Person(random_id_number(), "李四", "13900139000"), _now())
    enterprise.set_grants("c1", (first,), Actor("x", "legal"), _now())
    enterprise.events.clear()

    clerk = enterprise.grant("c1", (second,), WINDOW, ("att-1", "att-2"), _now())

    (granted,) = enterprise.events
    assert clerk.relation_ids == {first, second}
    assert isinstance(granted, events.ClerkAuthorized) and [r.relation_id for r in granted.relations] == [second]
    assert granted.channel == AGENCY_WINDOW and granted.attachments == ("att-1", "att-2")


def test_every_event_fits_its_contract():
    enterprise = an_enterprise(relations=2)
    enterprise.add_clerk("c1", Person(random_id_number(), "李四", "13900139000"), _now())
    enterprise.update_clerk("c1", Person(random_id_number(), "李四", "13900139001"), _now())
    enterprise.grant("c1", tuple(enterprise.relations), WINDOW, ("att-1",), _now())
    enterprise.remove_clerk("c1", Actor("x", "legal"), _now())

    loaded = [load_envelope(to_envelope(event)) for event in enterprise.events]

    assert [e["event_type"] for e in loaded] == [
        "ClerkAdded",
        "ClerkUpdated",
        "ClerkAuthorized",
        "ClerkAuthorizationRevoked",
        "ClerkRemoved",
    ]
    assert {e["aggregate_id"] for e in loaded} == {"c1"}
    assert loaded[2]["data"]["relation_ids"] == sorted(enterprise.relations) == loaded[2]["data"]["relation_ids"]
    assert loaded[3]["data"]["relation_ids"] == []


def test_a_key_information_change_that_comes_before_the_registration_is_kept():
    enterprise = an_enterprise()
    uow = FakeUnitOfWork()
    new_code = random_uscc()
    change = commands.FollowKeyInfoChange(
        enterprise.enterprise_id, new_code, "新名称有限公司", "王五", random_id_number()
    )

    enterprises.follow_key_info(change, uow)
    enterprises.remember(registration_of(enterprise), uow)

    found = window.find(commands.FindEnterprise(uscc=new_code), uow, FakeSources())
    assert (found.name, found.legal_rep_name, found.address) == ("新名称有限公司", "王五", enterprise.address)
    assert found.relations == enterprise.relations


def test_a_contact_change_waits_for_the_registration_and_then_is_what_the_window_shows():
    enterprise = an_enterprise()
    uow = FakeUnitOfWork()
    change = commands.FollowContactChange(enterprise.enterprise_id, "0451-86661234")

    with pytest.raises(NotYetKnown):  # retried by the kit until the registration has come
        enterprises.follow_contact(change, uow)
    enterprises.remember(registration_of(enterprise), uow)
    enterprises.follow_contact(change, uow)

    found = window.find(commands.FindEnterprise(uscc=enterprise.uscc), uow, FakeSources())
    assert found.legal_rep_phone == "0451-86661234"


def test_the_window_finds_an_enterprise_by_any_unit_number_and_nothing_else():
    enterprise = an_enterprise()
    uow = FakeUnitOfWork()
    enterprises.remember(registration_of(enterprise), uow)

    unit_no = next(iter(enterprise.relations.values())).unit_no
    assert window.find(commands.FindEnterprise(unit_no=unit_no), uow, FakeSources()).uscc == enterprise.uscc
    with pytest.raises(EnterpriseNotFound):
        window.find(commands.FindEnterprise(unit_no="nope"), uow, FakeSources())
    with pytest.raises(EnterpriseNotFound):
        clerks.clerks(random_uscc(), uow)


def _now():
    return datetime.now(UTC)
