"""The grant check: may this person act for this enterprise and this relation?"""

import pytest
from authorization_fakes import FakeUnitOfWork, an_enterprise

from hrss_authorization.domain import commands
from hrss_authorization.domain.model import Actor, Person
from hrss_authorization.service_layer import clerks, grants
from hrss_contracts.examples import random_id_number

pytestmark = pytest.mark.unit

LEGAL = Actor("x", "legal")


def may(uow, role, enterprise, relation_id, clerk_id=None):
    return grants.may_act(commands.GrantCheck(role, enterprise.uscc, relation_id, clerk_id), uow)


def test_a_clerk_may_act_only_for_granted_relations_and_not_after_a_revocation():
    enterprise = an_enterprise(relations=2)
    granted, other = sorted(enterprise.relations)
    uow = FakeUnitOfWork([enterprise])
    clerk = clerks.add(commands.AddClerk(enterprise.uscc, Person(random_id_number(), "李四", "13900139000")), uow)
    clerks.set_grants(commands.SetGrants(enterprise.uscc, clerk.clerk_id, (granted,), LEGAL), uow)

    assert may(uow, "clerk", enterprise, granted, clerk.clerk_id)
    assert not may(uow, "clerk", enterprise, other, clerk.clerk_id)
    clerks.set_grants(commands.SetGrants(enterprise.uscc, clerk.clerk_id, (), LEGAL), uow)
    assert not may(uow, "clerk", enterprise, granted, clerk.clerk_id)


def test_a_legal_representative_may_act_for_any_relation_of_the_enterprise_only():
    mine, theirs = an_enterprise(), an_enterprise()
    uow = FakeUnitOfWork([mine, theirs])

    assert all(may(uow, "legal", mine, r) for r in mine.relations)
    assert not any(may(uow, "legal", mine, r) for r in theirs.relations)


def test_a_clerks_grant_does_not_count_for_another_enterprise_nor_for_other_roles():
    mine, theirs = an_enterprise(), an_enterprise()
    relation = next(iter(mine.relations))
    uow = FakeUnitOfWork([mine, theirs])
    clerk = clerks.add(commands.AddClerk(mine.uscc, Person(random_id_number(), "李四", "13900139000")), uow)
    clerks.set_grants(commands.SetGrants(mine.uscc, clerk.clerk_id, (relation,), LEGAL), uow)

    assert not may(uow, "clerk", theirs, relation, clerk.clerk_id)
    assert not may(uow, "clerk", mine, relation, None)
    assert not may(uow, "agency", mine, relation, clerk.clerk_id)
