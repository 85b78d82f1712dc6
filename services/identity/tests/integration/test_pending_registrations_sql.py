"""Pending registrations in identity's database (Postgres and SQLite), and migration 0002."""

from datetime import timedelta

import eventlet
import pytest
from alembic import command
from identity_builders import NOW, an_account, random_uscc
from sqlalchemy import inspect, text
from sqlalchemy.orm import sessionmaker

from hrss_identity.adapters.orm import accounts, metadata
from hrss_identity.adapters.unit_of_work import SqlUnitOfWork
from hrss_identity.domain.model import PendingRegistration
from hrss_kit.database import UnitOfWorkDatabase, make_engine
from hrss_kit.migrate import alembic_config, upgrade
from hrss_kit.retry import RetryPolicy

pytestmark = pytest.mark.integration

PACKAGE = "hrss_identity"


@pytest.fixture(scope="module", params=["postgres", "sqlite"])
def database(request, make_database, tmp_path_factory):
    if request.param == "postgres":
        url = make_database("identity_pending")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('pending') / 'identity.db'}"
    upgrade(PACKAGE, url)
    engine = make_engine(url)
    yield UnitOfWorkDatabase(sessionmaker(engine, expire_on_commit=False), metadata, RetryPolicy())
    engine.dispose()


def a_row(uscc=None, at=NOW, with_password=True):
    return PendingRegistration.begin(uscc or random_uscc(), with_password, at)


def write(database, change):
    with SqlUnitOfWork(database) as uow:
        result = change(uow)
        uow.commit()
        return result


def read(database, uscc):
    with SqlUnitOfWork(database) as uow:
        return uow.pending.lock(uscc)


def test_an_added_row_reads_back_equal(database):
    row = a_row()

    assert write(database, lambda uow: uow.pending.add(row)) is True

    loaded = read(database, row.uscc)
    assert loaded == row
    assert loaded.updated_at.utcoffset() is not None


def test_a_second_row_for_the_same_code_is_not_added(database):
    first = a_row()

    write(database, lambda uow: uow.pending.add(first))
    assert write(database, lambda uow: uow.pending.add(a_row(first.uscc))) is False

    assert read(database, first.uscc) == first


def test_a_saved_row_keeps_its_settled_hash_and_flags(database):
    row = a_row()
    write(database, lambda uow: uow.pending.add(row))

    row.mark_accepted(NOW + timedelta(seconds=1))
    row.settle_unanswered("$argon2id$stand-in", NOW + timedelta(seconds=2))
    write(database, lambda uow: uow.pending.save(row))

    assert read(database, row.uscc) == row


def test_a_removed_row_is_gone(database):
    row = a_row()
    write(database, lambda uow: uow.pending.add(row))

    write(database, lambda uow: uow.pending.remove(row.uscc))

    assert read(database, row.uscc) is None


def test_rows_untouched_since_a_cutoff_come_oldest_first(database):
    base = NOW - timedelta(days=3650)  # older than every other test's rows
    rows = [a_row(at=base + timedelta(minutes=m)) for m in (3, 1, 2)]
    for row in rows:
        write(database, lambda uow, row=row: uow.pending.add(row))

    with SqlUnitOfWork(database) as uow:
        stale = uow.pending.last_touched_before(base + timedelta(minutes=2, seconds=30), limit=10)

    assert [r.uscc for r in stale] == [rows[1].uscc, rows[2].uscc]


def test_a_locked_row_makes_a_second_locker_wait_until_the_first_commits(database):
    if database.engine.dialect.name == "sqlite":
        pytest.skip("SQLite: the engine's one connection already orders every transaction")
    row = a_row()
    write(database, lambda uow: uow.pending.add(row))
    seen = []

    def second():
        with SqlUnitOfWork(database) as uow:
            uow.session.execute(text("SET LOCAL lock_timeout = '5s'"))  # fail, never hang
            seen.append(uow.pending.lock(row.uscc))

    with SqlUnitOfWork(database) as holder:
        held = holder.pending.lock(row.uscc)
        held.mark_accepted(NOW + timedelta(seconds=5))
        holder.pending.save(held)
        waiting = eventlet.spawn(second)
        eventlet.sleep(0.3)
        assert seen == [], "the second locker did not wait"
        holder.commit()
    waiting.wait()

    assert seen[0].accepted is True, "the second locker read the row as it was before the commit"


def test_the_migrations_after_0001_add_the_table_to_a_database_of_revision_0001_and_keep_its_accounts(
    make_database,
):
    url = make_database("identity_0001")
    command.upgrade(alembic_config(PACKAGE, url), "0001")
    account = an_account()
    engine = make_engine(url)
    try:
        assert "pending_registrations" not in inspect(engine).get_table_names()
        with engine.begin() as conn:  # the columns revision 0001 has
            columns = ("account_id", "login_name", "kind", "uscc", "password_hash", "created_at")
            conn.execute(accounts.insert().values({c: getattr(account, c) for c in columns}))

        command.upgrade(alembic_config(PACKAGE, url), "head")

        assert "pending_registrations" in inspect(engine).get_table_names()
        with SqlUnitOfWork(UnitOfWorkDatabase(sessionmaker(engine), metadata, RetryPolicy())) as uow:
            assert uow.accounts.by_login_name(account.login_name) == account
    finally:
        engine.dispose()
