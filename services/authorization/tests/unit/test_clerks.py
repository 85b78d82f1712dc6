"""Use case 授权登录 (manual 3.1.1): a legal representative's clerks and their grants, over
in-memory ports."""

from dataclasses import replace

import pytest
from authorization_fakes import FakeUnitOfWork, an_enterprise

from hrss_authorization.domain import commands, events
from hrss_authorization.domain.errors import ClerkExists, ClerkNotFound, EnterpriseNotFound, RelationNotFound
from hrss_authorization.domain.model import LEGAL_REP, Actor, Person
from hrss_authorization.service_layer import clerks
from hrss_contracts.examples import random_id_number, random_uscc

pytestmark = pytest.mark.unit

LEGAL = Actor("91230100MA1B2C3D4E", "legal")


def a_person(name="李四"):
    return Person(random_id_number(), name, "13900139000")


def with_clerk(uow, enterprise, person=None):
    return clerks.add(commands.AddClerk(enterprise.uscc, person or a_person()), uow)


def test_an_added_clerk_is_listed_and_announced_with_no_grants():
    enterprise = an_enterprise()
    uow = FakeUnitOfWork([enterprise])

    clerk = with_clerk(uow, enterprise)

    assert clerks.clerks(enterprise.uscc, uow) == [clerk]
    assert uow.committed == [events.ClerkAdded(enterprise.uscc, clerk, uow.committed[0].at)]
    assert clerk.relation_ids == frozenset()


def test_the_same_id_number_cannot_be_added_twice_to_one_enterprise():
    enterprise, person = an_enterprise(), a_person()
    uow = FakeUnitOfWork([enterprise])
    with_clerk(uow, enterprise, person)

    with pytest.raises(ClerkExists):
        with_clerk(uow, enterprise, replace(person, name="王五"))

    assert len(clerks.clerks(enterprise.uscc, uow)) == 1 and len(uow.committed) == 1


def test_a_clerk_is_one_document_the_same_number_under_another_type_is_another_person():
    enterprise = an_enterprise()
    uow = FakeUnitOfWork([enterprise])
    permit = Person("01234567", "陈小明", "13900139000", "taiwan_permit")
    passport = Person("01234567", "John Smith", "13900139001", "passport")

    with_clerk(uow, enterprise, permit)
    with_clerk(uow, enterprise, passport)
    with pytest.raises(ClerkExists):
        with_clerk(uow, enterprise, replace(permit, name="陈大明"))

    assert sorted(c.person.document for c in clerks.clerks(enterprise.uscc, uow)) == [
        ("passport", "01234567"),
        ("taiwan_permit", "01234567"),
    ]


def test_the_same_person_may_be_a_clerk_of_several_enterprises():
    first, second, person = an_enterprise(), an_enterprise(), a_person()
    uow = FakeUnitOfWork([first, second])

    one, other = with_clerk(uow, first, person), with_clerk(uow, second, person)

    assert one.clerk_id != other.clerk_id
    assert [c.person for c in clerks.clerks(second.uscc, uow)] == [person]


def test_an_enterprise_not_registered_has_no_clerks_to_manage():
    uow = FakeUnitOfWork([an_enterprise()])

    with pytest.raises(EnterpriseNotFound):
        clerks.add(commands.AddClerk(random_uscc(), a_person()), uow)
    with pytest.raises(EnterpriseNotFound):
        clerks.relations(random_uscc(), uow)


def test_modifying_a_clerk_keeps_the_grants_and_announces_the_new_state():
    enterprise = an_enterprise()
    uow = FakeUnitOfWork([enterprise])
    clerk = with_clerk(uow, enterprise)
    relation = next(iter(enterprise.relations))
    clerks.set_grants(commands.SetGrants(enterprise.uscc, clerk.clerk_id, (relation,), LEGAL), uow)
    corrected = replace(clerk.person, name="李四四", phone="13700137000")

    updated = clerks.update(commands.UpdateClerk(enterprise.uscc, clerk.clerk_id, corrected), uow)

    assert updated.person == corrected and updated.relation_ids == {relation}
    assert isinstance(uow.committed[-1], events.ClerkUpdated) and uow.committed[-1].clerk == updated


def test_modifying_a_clerk_to_what_they_are_changes_nothing():
    enterprise = an_enterprise()
    uow = FakeUnitOfWork([enterprise])
    clerk = with_clerk(uow, enterprise)

    clerks.update(commands.UpdateClerk(enterprise.uscc, clerk.clerk_id, clerk.person), uow)

    assert [type(e) for e in uow.committed] == [events.ClerkAdded]


def test_a_clerk_cannot_be_given_another_clerks_id_number():
    enterprise = an_enterprise()
    uow = FakeUnitOfWork([enterprise])
    first, second = with_clerk(uow, enterprise), with_clerk(uow, enterprise)

    with pytest.raises(ClerkExists):
        clerks.update(commands.UpdateClerk(enterprise.uscc, second.clerk_id, first.person), uow)


def test_another_enterprises_clerk_is_not_found():
    mine, theirs = an_enterprise(), an_enterprise()
    uow = FakeUnitOfWork([mine, theirs])
    stranger = with_clerk(uow, theirs)

    with pytest.raises(ClerkNotFound):
        clerks.update(commands.UpdateClerk(mine.uscc, stranger.clerk_id, a_person()), uow)
    with pytest.raises(ClerkNotFound):
        clerks.remove(commands.RemoveClerk(mine.uscc, stranger.clerk_id, LEGAL), uow)
    with pytest.raises(ClerkNotFound):
        clerks.set_grants(commands.SetGrants(mine.uscc, stranger.clerk_id, (), LEGAL), uow)
    assert [c.clerk_id for c in clerks.clerks(theirs.uscc, uow)] == [stranger.clerk_id]


def test_setting_grants_grants_and_revokes_in_one_transaction():
    enterprise = an_enterprise(relations=3)
    first, second, third = sorted(enterprise.relations)
    uow = FakeUnitOfWork([enterprise])
    clerk = with_clerk(uow, enterprise)
    clerks.set_grants(commands.SetGrants(enterprise.uscc, clerk.clerk_id, (first, second), LEGAL), uow)
    before = len(uow.committed)

    after = clerks.set_grants(commands.SetGrants(enterprise.uscc, clerk.clerk_id, (second, third), LEGAL), uow)

    revoked, granted = uow.committed[before:]
    assert isinstance(revoked, events.ClerkAuthorizationRevoked) and isinstance(granted, events.ClerkAuthorized)
    assert [r.relation_id for r in revoked.relations] == [first] and revoked.clerk.relation_ids == {second}
    assert [r.relation_id for r in granted.relations] == [third] and granted.clerk.relation_ids == {second, third}
    assert granted.channel == revoked.channel == LEGAL_REP and granted.actor == LEGAL
    assert after.relation_ids == {second, third}
    assert clerks.clerks(enterprise.uscc, uow)[0].relation_ids == {second, third}


def test_a_relation_of_another_enterprise_cannot_be_granted_and_nothing_changes():
    mine, theirs = an_enterprise(), an_enterprise()
    uow = FakeUnitOfWork([mine, theirs])
    clerk = with_clerk(uow, mine)
    foreign = next(iter(theirs.relations))

    with pytest.raises(RelationNotFound) as refused:
        clerks.set_grants(
            commands.SetGrants(mine.uscc, clerk.clerk_id, (next(iter(mine.relations)), foreign), LEGAL), uow
        )

    assert refused.value.relation_ids == [foreign]
    assert clerks.clerks(mine.uscc, uow)[0].relation_ids == frozenset()
    assert uow.audit.entries == []


def test_deleting_a_clerk_revokes_the_grants_first_then_removes_the_clerk():
    enterprise = an_enterprise()
    uow = FakeUnitOfWork([enterprise])
    clerk = with_clerk(uow, enterprise)
    granted = tuple(sorted(enterprise.relations)[:2])
    clerks.set_grants(commands.SetGrants(enterprise.uscc, clerk.clerk_id, granted, LEGAL), uow)

    clerks.remove(commands.RemoveClerk(enterprise.uscc, clerk.clerk_id, LEGAL), uow)

    revoked, removed = uow.committed[-2:]
    assert isinstance(revoked, events.ClerkAuthorizationRevoked) and revoked.clerk.relation_ids == frozenset()
    assert {r.relation_id for r in revoked.relations} == set(granted)
    assert removed == events.ClerkRemoved(enterprise.uscc, clerk.clerk_id, removed.at)
    assert clerks.clerks(enterprise.uscc, uow) == []


def test_every_grant_and_revocation_is_in_the_audit_trail_newest_first():
    enterprise = an_enterprise(relations=2)
    first, second = sorted(enterprise.relations)
    uow = FakeUnitOfWork([enterprise])
    clerk = with_clerk(uow, enterprise)
    clerks.set_grants(commands.SetGrants(enterprise.uscc, clerk.clerk_id, (first, second), LEGAL), uow)
    clerks.set_grants(commands.SetGrants(enterprise.uscc, clerk.clerk_id, (second,), LEGAL), uow)

    entries, total = uow.audit.page(enterprise.enterprise_id, clerk.clerk_id, 1, 10)

    assert total == 3
    assert [(e.action, e.relation_id) for e in entries] == [("revoked", first), ("granted", second), ("granted", first)]
    assert {(e.channel, e.actor_account) for e in entries} == {(LEGAL_REP, LEGAL.account)}
