"""The authorization service's SQL adapters (Postgres and SQLite), migrated by 0001 and 0002."""

import eventlet
import pytest
from authorization_fakes import an_enterprise, registration_of
from sqlalchemy.orm import sessionmaker

from hrss_authorization.adapters.orm import metadata
from hrss_authorization.adapters.unit_of_work import SqlUnitOfWork
from hrss_authorization.bootstrap import Authorization
from hrss_authorization.domain import commands
from hrss_authorization.domain.errors import ClerkExists
from hrss_authorization.domain.model import Actor, Attachment, Person
from hrss_authorization.service_layer import clerks, enterprises, grants, window
from hrss_contracts.examples import random_id_number, random_uscc
from hrss_kit.database import UnitOfWorkDatabase, make_engine
from hrss_kit.migrate import upgrade
from hrss_kit.retry import RetryPolicy

pytestmark = pytest.mark.integration

LEGAL = Actor("legal-account", "legal")


@pytest.fixture(scope="module", params=["postgres", "sqlite"])
def database(request, make_database, tmp_path_factory):
    if request.param == "postgres":
        url = make_database("authorization_sql")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('authorization') / 'authorization.db'}"
    upgrade("hrss_authorization", url)
    engine = make_engine(url)
    yield UnitOfWorkDatabase(sessionmaker(engine, expire_on_commit=False), metadata, RetryPolicy())
    engine.dispose()


def uow_of(database):
    return SqlUnitOfWork(database)


def registered(database, relations=3):
    enterprise = an_enterprise(relations)
    enterprises.remember(registration_of(enterprise), uow_of(database))
    return enterprise


def a_person(name="李四"):
    return Person(random_id_number(), name, "13900139000")


def test_clerks_and_their_grants_are_saved_and_read_back_as_changed(database):
    enterprise = registered(database)
    first, second, third = sorted(enterprise.relations)
    clerk = clerks.add(commands.AddClerk(enterprise.uscc, a_person()), uow_of(database))
    clerks.set_grants(commands.SetGrants(enterprise.uscc, clerk.clerk_id, (first, second), LEGAL), uow_of(database))
    clerks.set_grants(commands.SetGrants(enterprise.uscc, clerk.clerk_id, (second, third), LEGAL), uow_of(database))
    renamed = clerks.update(
        commands.UpdateClerk(enterprise.uscc, clerk.clerk_id, Person(clerk.person.id_number, "李四四", "13700137000")),
        uow_of(database),
    )

    (read,) = clerks.clerks(enterprise.uscc, uow_of(database))
    assert read == renamed and read.relation_ids == {second, third}
    entries, total = enterprises.audit(commands.AuditQuery(enterprise.uscc, clerk.clerk_id, 1, 2), uow_of(database))
    assert total == 4 and [(e.action, e.relation_id) for e in entries] == [("granted", third), ("revoked", first)]


def test_the_outbox_holds_each_event_numbered_per_clerk(database):
    enterprise = registered(database)
    clerk = clerks.add(commands.AddClerk(enterprise.uscc, a_person()), uow_of(database))
    clerks.set_grants(
        commands.SetGrants(enterprise.uscc, clerk.clerk_id, tuple(enterprise.relations), LEGAL), uow_of(database)
    )
    clerks.remove(commands.RemoveClerk(enterprise.uscc, clerk.clerk_id, LEGAL), uow_of(database))

    with database.engine.connect() as conn:
        outbox = database.tables["outbox"]
        rows = conn.execute(outbox.select().where(outbox.c.aggregate_id == clerk.clerk_id).order_by(outbox.c.id)).all()
    assert [(r.event_type, r.sequence) for r in rows] == [
        ("ClerkAdded", 1),
        ("ClerkAuthorized", 2),
        ("ClerkAuthorizationRevoked", 3),
        ("ClerkRemoved", 4),
    ]
    assert clerks.clerks(enterprise.uscc, uow_of(database)) == []


def test_two_adds_of_one_person_at_once_add_one_clerk(database):
    enterprise, person = registered(database), a_person()

    def add():
        try:
            return clerks.add(commands.AddClerk(enterprise.uscc, person), uow_of(database))
        except ClerkExists as refused:
            return refused

    outcomes = [t.wait() for t in [eventlet.spawn(add) for _ in range(2)]]

    assert sorted(type(o).__name__ for o in outcomes) == ["Clerk", "ClerkExists"]
    assert len(clerks.clerks(enterprise.uscc, uow_of(database))) == 1


def test_a_key_information_change_before_the_registration_keeps_the_newer_key_information(database):
    enterprise = an_enterprise()
    new_code = random_uscc()
    change = commands.FollowKeyInfoChange(
        enterprise.enterprise_id, new_code, "新名称有限公司", "王五", random_id_number()
    )
    enterprises.follow_key_info(change, uow_of(database))
    enterprises.remember(registration_of(enterprise), uow_of(database))

    sources = Authorization(lambda session: SqlUnitOfWork(database, session), reading=None, sources=None).sources
    found = window.find(commands.FindEnterprise(uscc=new_code), uow_of(database), sources)
    assert (found.name, found.legal_rep_name, found.address) == ("新名称有限公司", "王五", enterprise.address)
    assert set(found.relations) == set(enterprise.relations)
    unit_no = next(iter(enterprise.relations.values())).unit_no
    assert window.find(commands.FindEnterprise(unit_no=unit_no), uow_of(database), sources).uscc == new_code


def test_a_contact_change_after_an_early_key_information_change_outlives_the_late_registration(database):
    enterprise = an_enterprise()
    change = commands.FollowKeyInfoChange(
        enterprise.enterprise_id, enterprise.uscc, enterprise.name, "王五", random_id_number()
    )
    enterprises.follow_key_info(change, uow_of(database))  # a partial row, before the registration
    enterprises.follow_contact(
        commands.FollowContactChange(enterprise.enterprise_id, "0451-86661234"), uow_of(database)
    )
    enterprises.remember(registration_of(enterprise), uow_of(database))

    sources = Authorization(lambda session: SqlUnitOfWork(database, session), reading=None, sources=None).sources
    found = window.find(commands.FindEnterprise(uscc=enterprise.uscc), uow_of(database), sources)
    assert (found.legal_rep_phone, found.address) == ("0451-86661234", enterprise.address)


def test_the_grant_check_reads_the_committed_grants(database):
    enterprise, other = registered(database), registered(database)
    granted, refused = sorted(enterprise.relations)[:2]
    clerk = clerks.add(commands.AddClerk(enterprise.uscc, a_person()), uow_of(database))
    clerks.set_grants(commands.SetGrants(enterprise.uscc, clerk.clerk_id, (granted,), LEGAL), uow_of(database))

    def may(role, uscc, relation, clerk_id=None):
        return grants.may_act(commands.GrantCheck(role, uscc, relation, clerk_id), uow_of(database))

    assert may("clerk", enterprise.uscc, granted, clerk.clerk_id)
    assert not may("clerk", enterprise.uscc, refused, clerk.clerk_id)
    assert not may("clerk", other.uscc, granted, clerk.clerk_id)
    assert may("legal", enterprise.uscc, refused) and not may("legal", other.uscc, refused)


def test_an_attachment_is_recorded_once_and_usable_by_its_owner_only(database):
    record = commands.RecordAttachment(random_uscc(), "owner-1", "a" * 64, 2048, "application/pdf", "材料.pdf")
    first = window.record_attachment(record, uow_of(database))
    again = window.record_attachment(
        commands.RecordAttachment(record.attachment_id, "owner-2", "b" * 64, 1, "image/png", "x.png"), uow_of(database)
    )

    assert isinstance(first, Attachment) and again == first
    assert window.attachment(record.attachment_id, "owner-1", uow_of(database)) == first
    assert window.attachment(record.attachment_id, "owner-2", uow_of(database)) is None
