"""The membership read model in identity's database (Postgres and SQLite), migrated by 0005."""

import uuid

import pytest
from identity_builders import NOW, random_uscc
from sqlalchemy.orm import sessionmaker

from hrss_contracts.examples import random_id_number
from hrss_identity.adapters.orm import metadata
from hrss_identity.adapters.unit_of_work import SqlUnitOfWork
from hrss_identity.domain.model import Account, ClerkMembership, LegalRepresentative, Membership
from hrss_kit.database import UnitOfWorkDatabase, make_engine
from hrss_kit.migrate import upgrade
from hrss_kit.retry import RetryPolicy

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module", params=["postgres", "sqlite"])
def database(request, make_database, tmp_path_factory):
    if request.param == "postgres":
        url = make_database("identity_memberships")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('memberships') / 'identity.db'}"
    upgrade("hrss_identity", url)
    engine = make_engine(url)
    yield UnitOfWorkDatabase(sessionmaker(engine, expire_on_commit=False), metadata, RetryPolicy())
    engine.dispose()


def write(database, change):
    with SqlUnitOfWork(database) as uow:
        change(uow.memberships)
        uow.commit()


def read(database, query):
    with SqlUnitOfWork(database) as uow:
        return query(uow.memberships)


def a_representative(uscc=None, id_number=None, name="王建国", enterprise_id=None):
    uscc = uscc or random_uscc()
    return LegalRepresentative(enterprise_id or uscc, uscc, f"企业{uscc[-6:]}", id_number or random_id_number(), name)


def a_clerk(uscc, id_number=None, name="李小红"):
    return ClerkMembership(str(uuid.uuid4()), uscc, id_number or random_id_number(), name, "13904510002")


def test_a_legal_representative_finds_the_enterprise_under_its_account_once_it_exists(database):
    rep = a_representative()
    write(database, lambda m: m.save_legal_representative(rep, None))
    assert read(database, lambda m: m.legal_enterprises(rep.id_number, "王建国")) == [
        Membership(rep.uscc, rep.enterprise_name, f"enterprise:{rep.uscc}", "legal")
    ]
    account = Account.for_enterprise(rep.uscc, None, NOW)
    with SqlUnitOfWork(database) as uow:
        uow.accounts.add_if_absent(account)
        uow.commit()

    [found] = read(database, lambda m: m.legal_enterprises(rep.id_number, "王建国"))

    assert found.account_id == account.account_id


def test_both_the_id_number_and_the_name_in_its_one_spelling_must_match(database):
    id_number = next(n for n in iter(random_id_number, None) if n.endswith("X"))
    rep = a_representative(id_number=id_number, name="阿依古丽·买买提")
    clerk = a_clerk(rep.uscc, id_number=id_number, name="李 小红")
    write(database, lambda m: (m.save_legal_representative(rep, None), m.save_clerk(clerk)))

    assert len(read(database, lambda m: m.legal_enterprises(id_number.lower(), "阿依古丽\u30fb买买提 "))) == 1
    assert len(read(database, lambda m: m.clerk_enterprises(id_number, "李\u3000小红"))) == 1
    assert read(database, lambda m: m.legal_enterprises(id_number, "阿依古丽")) == []
    assert read(database, lambda m: m.clerk_enterprises(id_number, "李小红")) == []


def test_a_person_of_several_enterprises_gets_them_in_code_order(database):
    person = random_id_number()
    reps = sorted((a_representative(id_number=person) for _ in range(3)), key=lambda r: r.uscc)
    clerks = [a_clerk(r.uscc, id_number=person, name="王建国") for r in reps]
    write(database, lambda m: [m.save_legal_representative(r, None) for r in reversed(reps)])
    write(database, lambda m: [m.save_clerk(c) for c in clerks])

    assert [m.uscc for m in read(database, lambda m: m.legal_enterprises(person, "王建国"))] == [r.uscc for r in reps]
    assert read(database, lambda m: m.clerk_enterprises(person, "王建国")) == [
        Membership(r.uscc, r.enterprise_name, f"clerk:{c.clerk_id}", "clerk") for r, c in zip(reps, clerks, strict=True)
    ]


def test_a_clerk_under_any_code_the_enterprise_had_finds_it_under_its_code_today(database):
    first = a_representative()
    second = LegalRepresentative(first.enterprise_id, random_uscc(), "改名后", first.id_number, first.name)
    third = LegalRepresentative(first.enterprise_id, random_uscc(), "再改名", first.id_number, first.name)
    clerks = [a_clerk(first.uscc), a_clerk(second.uscc), a_clerk(third.uscc), a_clerk(random_uscc())]
    write(database, lambda m: m.save_legal_representative(first, None))
    write(database, lambda m: m.save_legal_representative(second, first.uscc))
    write(database, lambda m: m.save_legal_representative(third, second.uscc))
    write(database, lambda m: [m.save_clerk(c) for c in clerks])

    for clerk in clerks[:3]:
        assert read(database, lambda m, c=clerk: m.clerk_enterprises(c.id_number, c.name)) == [
            Membership(third.uscc, "再改名", f"clerk:{clerk.clerk_id}", "clerk")
        ]
    assert read(database, lambda m: m.clerk_enterprises(clerks[3].id_number, clerks[3].name)) == []
    assert read(database, lambda m: m.clerks_of(first.enterprise_id)) == sorted(clerks[:3], key=lambda c: c.clerk_id)
    assert read(database, lambda m: m.legal_representative(first.enterprise_id)) == third


def test_a_clerk_saved_again_is_replaced_and_a_removed_one_is_gone(database):
    rep = a_representative()
    clerk = a_clerk(rep.uscc)
    renamed = ClerkMembership(clerk.clerk_id, rep.uscc, clerk.id_number, "李晓红", "13904519999")
    write(database, lambda m: (m.save_legal_representative(rep, None), m.save_clerk(clerk)))

    write(database, lambda m: m.save_clerk(renamed))
    assert read(database, lambda m: m.clerk(clerk.clerk_id)) == renamed
    assert read(database, lambda m: m.clerk_enterprises(clerk.id_number, "李小红")) == []

    write(database, lambda m: m.remove_clerk(clerk.clerk_id))
    assert read(database, lambda m: m.clerk(clerk.clerk_id)) is None
    assert read(database, lambda m: m.clerk_enterprises(clerk.id_number, "李晓红")) == []
