"""The identity service's adapters on the real Postgres and Redis."""

import contextlib
import time

import eventlet
import pytest
import redis
from identity_builders import an_account, random_uscc
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from hrss_identity.adapters.locks import RedisRegistrationLocks
from hrss_identity.adapters.orm import metadata
from hrss_identity.adapters.unit_of_work import SqlUnitOfWork
from hrss_kit.database import UnitOfWorkDatabase, make_engine
from hrss_kit.migrate import schema_drift, upgrade
from hrss_kit.retry import RetryPolicy

pytestmark = pytest.mark.integration

PACKAGE = "hrss_identity"


def schema_diff(url):
    return schema_drift(metadata, url)


@pytest.fixture(params=["postgres", "sqlite"])
def empty_database(request, make_database, tmp_path):
    if request.param == "postgres":
        return make_database("identity_migrations")
    return f"sqlite:///{tmp_path / 'identity.db'}"


@pytest.fixture(scope="module")
def uow_database(make_database):
    url = make_database("identity_adapters")
    upgrade(PACKAGE, url)
    engine = make_engine(url)
    yield UnitOfWorkDatabase(sessionmaker(engine), metadata, RetryPolicy())
    engine.dispose()


@pytest.fixture
def redis_client(redis_url):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    client.close()


def account_named(uow_database, login_name):
    with SqlUnitOfWork(uow_database) as uow:
        return uow.accounts.by_login_name(login_name)


# Migrations


def test_migrations_create_exactly_the_schema_the_orm_declares(empty_database):
    upgrade(PACKAGE, empty_database)

    assert schema_diff(empty_database) == []


# Accounts


def test_an_added_account_reads_back_equal_by_its_login_name(uow_database):
    account = an_account(password_hash="$argon2id$stand-in")

    with SqlUnitOfWork(uow_database) as uow:
        assert uow.accounts.add_if_absent(account) is True
        uow.commit()

    loaded = account_named(uow_database, account.login_name)
    assert loaded == account
    assert loaded.created_at.utcoffset() is not None


def test_an_unknown_login_name_has_no_account(uow_database):
    assert account_named(uow_database, random_uscc()) is None


def test_a_second_account_with_a_taken_login_name_is_not_added(uow_database):
    first = an_account()
    second = an_account(uscc=first.uscc, password_hash="$argon2id$other")
    assert second.account_id != first.account_id

    with SqlUnitOfWork(uow_database) as uow:
        assert uow.accounts.add_if_absent(first) is True
        assert uow.accounts.add_if_absent(second) is False
        uow.commit()

    assert account_named(uow_database, first.login_name) == first


def test_an_account_taken_by_a_concurrent_transaction_is_not_added_once_that_commits(uow_database):
    first = an_account()
    second = an_account(uscc=first.uscc)
    with SqlUnitOfWork(uow_database) as holder:
        assert holder.accounts.add_if_absent(first) is True

        def add_second():
            with SqlUnitOfWork(uow_database) as uow:
                uow.session.execute(text("SET LOCAL lock_timeout = '5s'"))  # fail, never hang, if it does not wait
                added = uow.accounts.add_if_absent(second)
                uow.commit()
                return added

        waiting = eventlet.spawn(add_second)
        eventlet.sleep(0.2)
        holder.commit()

    assert waiting.wait() is False
    assert account_named(uow_database, first.login_name) == first


def test_a_password_hash_set_on_an_account_is_kept(uow_database):
    account = an_account(password_hash=None)
    with SqlUnitOfWork(uow_database) as uow:
        uow.accounts.add_if_absent(account)
        uow.commit()

    with SqlUnitOfWork(uow_database) as uow:
        uow.accounts.set_password_hash(account.account_id, "$argon2id$new")
        uow.commit()

    loaded = account_named(uow_database, account.login_name)
    assert loaded.password_hash == "$argon2id$new"
    assert loaded.has_password


def test_an_account_added_in_a_unit_of_work_left_without_commit_is_not_kept(uow_database):
    account = an_account()

    with SqlUnitOfWork(uow_database) as uow:
        uow.accounts.add_if_absent(account)

    assert account_named(uow_database, account.login_name) is None


# Registration locks


def test_a_held_registration_lock_refuses_a_second_holder_until_released(redis_client):
    locks, uscc = RedisRegistrationLocks(redis_client), random_uscc()

    with locks.hold(uscc) as first:
        assert first is True
        with locks.hold(uscc) as second:
            assert second is False
        with locks.hold(uscc) as third:  # the refused holder released nothing
            assert third is False

    with locks.hold(uscc) as after_release:
        assert after_release is True


def test_locks_on_different_codes_do_not_refuse_each_other(redis_client):
    locks = RedisRegistrationLocks(redis_client)

    with locks.hold(random_uscc()) as first, locks.hold(random_uscc()) as second:
        assert (first, second) == (True, True)


def test_an_expired_lock_taken_again_is_not_released_by_its_old_holder(redis_client):
    short, long = RedisRegistrationLocks(redis_client, ttl_ms=100), RedisRegistrationLocks(redis_client)
    uscc = random_uscc()

    with contextlib.ExitStack() as new_holder:
        with short.hold(uscc) as old:
            assert old is True
            time.sleep(0.2)
            assert new_holder.enter_context(long.hold(uscc)) is True
        with long.hold(uscc) as third:
            assert third is False

    with long.hold(uscc) as after_release:
        assert after_release is True
