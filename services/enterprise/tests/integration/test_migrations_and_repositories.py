"""The enterprise service's migrations, repositories and unit of work on a real database."""

import json
import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic import command
from enterprise_builders import a_record, a_unit, random_id_number, random_name, random_unit_no, random_uscc
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.orm import sessionmaker

from hrss_enterprise.adapters.orm import metadata, registration_decisions
from hrss_enterprise.adapters.repository import SqlDecisionLog, SqlEnterpriseRepository
from hrss_enterprise.adapters.sources import SqlSourceRepository
from hrss_enterprise.adapters.unit_of_work import SqlUnitOfWork
from hrss_enterprise.domain.errors import AlreadyRegistered
from hrss_enterprise.domain.events import RegistrationRejected
from hrss_enterprise.domain.model import ENTERPRISE_PENSION, MARKET, Enterprise, KeyInfo
from hrss_enterprise.service_layer.key_info import AlignCreditCode, ChangeKeyInfo, align_credit_code, change_key_info
from hrss_kit.database import UnitOfWorkDatabase, make_engine
from hrss_kit.migrate import alembic_config, schema_drift, upgrade
from hrss_kit.retry import RetryPolicy

pytestmark = pytest.mark.integration

PACKAGE = "hrss_enterprise"
BEIJING = timezone(timedelta(hours=8))


def schema_diff(url):
    return schema_drift(metadata, url)


def table_names(url):
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.fixture(params=["postgres", "sqlite"])
def empty_database(request, make_database, tmp_path):
    if request.param == "postgres":
        return make_database("enterprise_migrations")
    return f"sqlite:///{tmp_path / 'enterprise.db'}"


@pytest.fixture(scope="module")
def sessions(make_database):
    url = make_database("enterprise_adapters")
    upgrade(PACKAGE, url)
    engine = make_engine(url)
    yield sessionmaker(engine)
    engine.dispose()


@pytest.fixture
def uow_database(sessions):
    return UnitOfWorkDatabase(sessions, metadata, RetryPolicy())


def an_enterprise(units=()):
    return Enterprise(
        uscc=random_uscc(),
        name=random_name(),
        address=None,
        legal_rep_name=random_name("法人"),
        legal_rep_id=random_id_number(),
        legal_rep_phone="13900000000",
        registered_at=datetime.now(BEIJING),
        units=sorted(units, key=lambda unit: unit.unit_no),  # the order the repository reads them in
    )


def outbox_rows(sessions, aggregate_id):
    outbox = metadata.tables["outbox"]
    with sessions() as session:
        return session.execute(select(outbox).where(outbox.c.aggregate_id == aggregate_id).order_by(outbox.c.id)).all()


# Migrations


def test_migrations_create_exactly_the_schema_the_orm_declares(empty_database):
    upgrade(PACKAGE, empty_database)

    assert schema_diff(empty_database) == []


def test_migrations_downgrade_to_base_and_upgrade_again(empty_database):
    config = alembic_config(PACKAGE, empty_database)
    command.upgrade(config, "head")

    command.downgrade(config, "base")
    assert table_names(empty_database) == {"alembic_version"}

    command.upgrade(config, "head")
    assert table_names(empty_database) == set(metadata.tables) | {"alembic_version"}
    assert schema_diff(empty_database) == []


# Source records


def test_a_saved_source_record_reads_back_equal(sessions):
    record = a_record(ENTERPRISE_PENSION, units=(a_unit(i110="甲局", i210="乙局"), a_unit(i410="丙局")))

    with sessions.begin() as session:
        SqlSourceRepository(session).save(record, is_new=True)

    with sessions() as session:
        assert SqlSourceRepository(session).get(ENTERPRISE_PENSION, record.uscc) == record
        assert SqlSourceRepository(session).get(MARKET, record.uscc) is None


def test_source_records_of_one_code_are_found_per_source(sessions):
    pension = a_record(ENTERPRISE_PENSION, units=(a_unit(i110="甲局"),))
    market = a_record(MARKET, uscc=pension.uscc, address=None, legal_rep_phone=None)

    with sessions.begin() as session:
        SqlSourceRepository(session).save(pension, is_new=True)
        SqlSourceRepository(session).save(market, is_new=True)

    with sessions() as session:
        assert SqlSourceRepository(session).for_uscc(pension.uscc) == {ENTERPRISE_PENSION: pension, MARKET: market}


def test_source_unit_holders_name_the_code_each_known_unit_is_held_under(sessions):
    first, second = a_unit(i110="甲局"), a_unit(i110="乙局")
    one = a_record(ENTERPRISE_PENSION, units=(first,))
    other = a_record(ENTERPRISE_PENSION, units=(second,))
    unknown = random_unit_no()

    with sessions.begin() as session:
        SqlSourceRepository(session).save(one, is_new=True)
        SqlSourceRepository(session).save(other, is_new=True)

    with sessions() as session:
        holders = SqlSourceRepository(session).unit_holders([first.unit_no, second.unit_no, unknown])
    assert holders == {first.unit_no: one.uscc, second.unit_no: other.uscc}


def test_saving_a_source_record_again_replaces_its_fields_and_units(sessions):
    dropped, kept = a_unit(i110="甲局"), a_unit(i210="乙局")
    record = a_record(ENTERPRISE_PENSION, units=(dropped, kept))
    changed = a_record(ENTERPRISE_PENSION, uscc=record.uscc, units=(kept,))

    with sessions.begin() as session:
        SqlSourceRepository(session).save(record, is_new=True)
    with sessions.begin() as session:
        SqlSourceRepository(session).save(changed, is_new=False)

    with sessions() as session:
        repository = SqlSourceRepository(session)
        assert repository.get(ENTERPRISE_PENSION, record.uscc) == changed
        assert repository.unit_holders([dropped.unit_no, kept.unit_no]) == {kept.unit_no: record.uscc}


# Enterprises


def test_an_added_enterprise_reads_back_equal_with_its_units_and_relations(sessions):
    enterprise = an_enterprise(units=[a_unit(i110="甲局", i210="乙局"), a_unit(i410="丙局"), a_unit()])

    with sessions.begin() as session:
        SqlEnterpriseRepository(session).add(enterprise)

    with sessions() as session:
        loaded = SqlEnterpriseRepository(session).get(enterprise.uscc)
    assert loaded == enterprise
    assert loaded.relations == enterprise.relations
    assert loaded.registered_at.utcoffset() is not None


def test_an_enterprise_without_units_reads_back_equal(sessions):
    enterprise = an_enterprise()

    with sessions.begin() as session:
        SqlEnterpriseRepository(session).add(enterprise)

    with sessions() as session:
        assert SqlEnterpriseRepository(session).get(enterprise.uscc) == enterprise


def test_an_unknown_code_has_no_enterprise(sessions):
    with sessions() as session:
        assert SqlEnterpriseRepository(session).get(random_uscc()) is None


def test_a_registered_unit_names_its_enterprise(sessions):
    unit = a_unit(i110="甲局")
    enterprise = an_enterprise(units=[unit])

    with sessions.begin() as session:
        SqlEnterpriseRepository(session).add(enterprise)

    with sessions() as session:
        repository = SqlEnterpriseRepository(session)
        assert repository.uscc_of_unit(unit.unit_no) == enterprise.uscc
        assert repository.uscc_of_unit(random_unit_no()) is None


def test_enterprise_unit_holders_name_only_registered_units(sessions):
    first, second = a_unit(i110="甲局"), a_unit(i110="乙局")
    one, other = an_enterprise(units=[first]), an_enterprise(units=[second])
    unknown = random_unit_no()

    with sessions.begin() as session:
        SqlEnterpriseRepository(session).add(one)
        SqlEnterpriseRepository(session).add(other)

    with sessions() as session:
        holders = SqlEnterpriseRepository(session).unit_holders([first.unit_no, second.unit_no, unknown])
    assert holders == {first.unit_no: one.uscc, second.unit_no: other.uscc}


# Decision log


def test_a_recorded_decision_is_kept_with_its_mismatched_fields(sessions):
    uscc, decided_at = random_uscc(), datetime.now(UTC)

    with sessions.begin() as session:
        SqlDecisionLog(session).record(uscc, "mismatch", ["name", "legal_rep_id"], decided_at)

    with sessions() as session:
        rows = session.execute(select(registration_decisions).filter_by(uscc=uscc)).all()
    assert [(r.outcome, r.mismatched_fields, r.decided_at) for r in rows] == [
        ("mismatch", ["name", "legal_rep_id"], decided_at)
    ]


# Unit of work


def test_a_committed_unit_of_work_writes_the_published_event_to_the_outbox(uow_database, sessions):
    uscc, decided_at = random_uscc(), datetime.now(UTC)
    uow = SqlUnitOfWork(uow_database)

    with uow:
        uow.publish(RegistrationRejected(uscc, "not_verified", (), decided_at))
        uow.commit()

    [row] = outbox_rows(sessions, uscc)
    body = json.loads(row.body)
    assert (row.event_type, row.source, row.aggregate_id, row.published_at) == (
        "RegistrationRejected",
        "enterprise",
        uscc,
        None,
    )
    assert body["event_id"] == row.event_id
    assert body["schema_version"] == 1
    assert body["data"] == {
        "uscc": uscc,
        "reason": "not_verified",
        "mismatched_fields": [],
        "decided_at": decided_at.isoformat(),
    }


def test_a_committed_unit_of_work_writes_one_outbox_row_per_published_event(uow_database, sessions):
    uscc, decided_at = random_uscc(), datetime.now(UTC)
    uow = SqlUnitOfWork(uow_database)

    with uow:
        uow.publish(RegistrationRejected(uscc, "not_verified", (), decided_at))
        uow.publish(RegistrationRejected(uscc, "mismatch", ("name",), decided_at))
        assert outbox_rows(sessions, uscc) == []
        uow.commit()

    rows = outbox_rows(sessions, uscc)
    assert [json.loads(r.body)["data"]["reason"] for r in rows] == ["not_verified", "mismatch"]
    assert len({r.event_id for r in rows}) == 2


def test_a_rolled_back_unit_of_work_writes_no_outbox_row_even_if_committed_later(uow_database, sessions):
    uscc = random_uscc()
    uow = SqlUnitOfWork(uow_database)

    with uow:
        uow.publish(RegistrationRejected(uscc, "not_verified", (), datetime.now(UTC)))
        uow.rollback()
        uow.commit()

    assert outbox_rows(sessions, uscc) == []


def test_a_unit_of_work_left_without_commit_keeps_neither_its_changes_nor_its_events(uow_database, sessions):
    record = a_record(MARKET)
    uow = SqlUnitOfWork(uow_database)

    with uow:
        uow.sources.save(record, is_new=True)
        uow.publish(RegistrationRejected(record.uscc, "not_verified", (), datetime.now(UTC)))

    assert outbox_rows(sessions, record.uscc) == []
    with sessions() as session:
        assert SqlSourceRepository(session).get(MARKET, record.uscc) is None


def test_an_enterprise_registered_concurrently_is_already_registered_not_a_database_error(sessions):
    # Two transactions at once, as two registration workers run them: both look the code up
    # and find nothing before either inserts, so only the unique key can tell them apart.
    # Green threads (the test suite runs monkey-patched; psycopg2 yields while it waits on
    # Postgres's lock): the second INSERT waits for the first transaction, then fails.
    enterprise = an_enterprise(units=[a_unit(i110="甲局")])
    both_looked = threading.Barrier(2, timeout=10)
    outcomes = []

    def register():
        try:
            with sessions.begin() as session:
                session.execute(text("SET LOCAL lock_timeout = '10s'"))  # a hang becomes an error
                repository = SqlEnterpriseRepository(session)
                assert repository.get(enterprise.uscc) is None
                both_looked.wait()
                repository.add(enterprise)
            outcomes.append("added")
        except AlreadyRegistered:
            outcomes.append("already registered")

    workers = [threading.Thread(target=register) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)

    assert sorted(outcomes) == ["added", "already registered"]
    with sessions() as session:
        assert SqlEnterpriseRepository(session).get(enterprise.uscc) == enterprise


def test_revision_0004_keeps_every_registered_enterprise_findable_by_its_code(empty_database):
    """An enterprise registered before key information could change: 0004 fills in its code and
    its units' credit codes, so it reads back the same."""
    command.upgrade(alembic_config(PACKAGE, empty_database), "0003")
    engine = create_engine(empty_database)
    uscc, unit_no = random_uscc(), random_unit_no()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO enterprises (uscc, name, legal_rep_name, legal_rep_id, legal_rep_phone, registered_at) "
                "VALUES (:u, '老企业', '王建国', :id, '13900000000', :at)"
            ),
            {"u": uscc, "id": random_id_number(), "at": datetime.now(UTC)},
        )
        conn.execute(text("INSERT INTO units (unit_no, uscc) VALUES (:n, :u)"), {"n": unit_no, "u": uscc})
    engine.dispose()
    upgrade(PACKAGE, empty_database)
    engine = make_engine(empty_database)
    try:
        with sessionmaker(engine)() as session:
            found = SqlEnterpriseRepository(session).get(uscc)
    finally:
        engine.dispose()
    assert found.enterprise_id == uscc and found.credit_code_of(found.units[0]) == uscc


def test_key_information_and_credit_codes_change_in_the_tables(uow_database, sessions):
    first, second = a_unit(i110="甲局"), a_unit(i410="乙局")
    enterprise = Enterprise(
        random_uscc(),
        random_name(),
        None,
        "王建国",
        random_id_number(),
        "13900000000",
        datetime.now(UTC),
        [first, second],
    )
    with sessions() as session:
        SqlEnterpriseRepository(session).add(enterprise)
        session.commit()
    new = KeyInfo(random_uscc(), "新名称", "李新", random_id_number())

    change_key_info(
        ChangeKeyInfo("YW20261128000001", enterprise.enterprise_id, first.unit_no, new), SqlUnitOfWork(uow_database)
    )
    aligned = align_credit_code(AlignCreditCode(second.unit_no, new.uscc, "乙局"), SqlUnitOfWork(uow_database))

    with sessions() as session:
        repository = SqlEnterpriseRepository(session)
        found = repository.get(new.uscc)
        assert found == aligned and found.key_info == new and found.enterprise_id == enterprise.uscc
        assert [found.credit_code_of(u) for u in found.units] == [new.uscc, new.uscc]
        assert repository.code_taken(new.uscc, "someone-else") and not repository.code_taken(
            new.uscc, found.enterprise_id
        )
        assert repository.get_by_id(enterprise.uscc) == found == repository.get(enterprise.uscc)  # a former code
        outbox = uow_database.tables["outbox"]
        sent = session.execute(
            select(outbox.c.event_type, outbox.c.sequence).where(outbox.c.aggregate_id == enterprise.uscc)
        ).all()
    assert sorted(sent, key=lambda row: row.sequence) == [("EnterpriseKeyInfoChanged", 1), ("UnitCreditCodeChanged", 2)]
