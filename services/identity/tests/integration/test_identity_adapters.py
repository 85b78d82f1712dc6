"""The identity service's adapters on the real Postgres and Redis."""

import contextlib
import time
import uuid
from dataclasses import replace

import eventlet
import pytest
import redis
from identity_builders import an_account, random_uscc
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from hrss_contracts.examples import random_id_number
from hrss_contracts.qr_login import qr_changed_channel
from hrss_contracts.sessions import sessions_ended_channel, token_hash
from hrss_identity.adapters.locks import RedisRegistrationLocks
from hrss_identity.adapters.orm import enterprise_codes, metadata
from hrss_identity.adapters.qr_sessions import RedisAssertionGuard, RedisQrSessions
from hrss_identity.adapters.sessions import RedisLoginAttempts, RedisSessions
from hrss_identity.adapters.unit_of_work import SqlUnitOfWork
from hrss_identity.domain.errors import AssertionReplayed, AssertionsExceeded
from hrss_identity.domain.model import Account, Session
from hrss_identity.domain.qr import Choice, Person, QrSession
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


def test_a_code_the_enterprise_has_or_had_finds_its_account_and_its_own_name_comes_first(uow_database):
    registered, current, former = an_account(), random_uscc(), random_uscc()
    agency = Account.for_agency_staff(
        "staff-" + uuid.uuid4().hex[:8], "哈尔滨市社保局", "$argon2id$x", registered.created_at
    )
    named_like_a_code = an_account(uscc=current)  # an account whose own name is the new code
    with SqlUnitOfWork(uow_database) as uow:
        for account in (registered, agency):
            uow.accounts.add_if_absent(account)
        for code, holder in ((current, registered.login_name), (former, registered.login_name)):
            uow.session.execute(enterprise_codes.insert().values(uscc=code, enterprise_id=holder))
        # an agency account is never found through an enterprise's code
        uow.session.execute(enterprise_codes.insert().values(uscc=random_uscc(), enterprise_id=agency.login_name))
        uow.commit()

    assert account_named(uow_database, former) == registered
    assert account_named(uow_database, current) == registered
    codes_of_agency = text("SELECT uscc FROM enterprise_codes WHERE enterprise_id = :e")
    with SqlUnitOfWork(uow_database) as uow:
        agency_code = uow.session.execute(codes_of_agency, {"e": agency.login_name}).scalar_one()
    assert account_named(uow_database, agency_code) is None

    with SqlUnitOfWork(uow_database) as uow:
        uow.accounts.add_if_absent(named_like_a_code)
        uow.commit()
    assert account_named(uow_database, current) == named_like_a_code


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


# sessions and failed logins in Redis, with a clock the test moves


def a_session():
    return Session(str(uuid.uuid4()), "91110000600037341L", "legal", uscc="91110000600037341L")


def test_a_redis_session_slides_with_use_and_ends_at_its_absolute_limit(redis_client):
    sessions = RedisSessions(redis_client, f"test-{uuid.uuid4().hex}", idle=100, absolute=250)
    token = sessions.open(a_session(), now=1000.0)
    assert sessions.get(token, now=1099.0).role == "legal"
    assert sessions.get(token, now=1198.0) is not None  # 99 s after its last use
    assert sessions.get(token, now=1249.9) is not None
    assert sessions.get(token, now=1250.0) is None  # 250 s after it opened
    assert sessions.get(token, now=1250.0) is None


def test_a_redis_session_unused_for_its_idle_time_is_gone_and_logout_ends_one_once(redis_client):
    sessions = RedisSessions(redis_client, f"test-{uuid.uuid4().hex}", idle=100, absolute=250)
    idle, other = sessions.open(a_session(), now=1000.0), sessions.open(a_session(), now=1000.0)
    assert sessions.get(idle, now=1100.0) is None
    assert sessions.close(other).login_name == "91110000600037341L"
    assert (sessions.close(other), sessions.get(other, now=1001.0)) == (None, None)


def test_only_the_tokens_hash_is_stored(redis_client):
    prefix = f"test-{uuid.uuid4().hex}"
    token = RedisSessions(redis_client, prefix, idle=100, absolute=250).open(a_session(), now=1000.0)
    keys = list(redis_client.scan_iter(f"{prefix}:*"))
    assert keys and not any(token in key or token in str(redis_client.dump(key)) for key in keys)


def announcements(redis_client, channel, act):
    """What ``channel`` carried while ``act()`` ran."""
    listener = redis_client.pubsub(ignore_subscribe_messages=True)
    listener.subscribe(channel)
    listener.get_message(timeout=0.5)  # the subscription stands
    act()
    heard = []
    while (message := listener.get_message(timeout=0.2)) is not None:
        heard.append(message["data"])
    listener.close()
    return heard


def test_every_session_ended_before_its_time_is_announced_by_its_hash(redis_client):
    prefix = f"test-{uuid.uuid4().hex}"
    sessions, mine = RedisSessions(redis_client, prefix, idle=100, absolute=250), a_session()
    alone, kept, *others = [sessions.open(mine, now=1000.0) for _ in range(4)]
    channel = sessions_ended_channel(prefix)
    assert announcements(redis_client, channel, lambda: sessions.close(alone)) == [token_hash(alone)]
    heard = announcements(redis_client, channel, lambda: sessions.close_all(mine.account_id, keep=kept))
    assert [sorted(message.split()) for message in heard] == [sorted(token_hash(t) for t in others)]
    assert announcements(redis_client, channel, lambda: sessions.close_all("nobody")) == []


def test_redis_login_attempts_lock_at_the_fifth_failure_within_the_window(redis_client):
    attempts = RedisLoginAttempts(redis_client, f"test-{uuid.uuid4().hex}", max_failures=5, window=900, lock=900)
    for k in range(4):
        assert attempts.failed("window01", now=1000.0 + k) == 0
    assert attempts.locked_for("window01", now=1004.0) == 0
    assert attempts.failed("window01", now=1004.0) == 900
    assert attempts.locked_for("window01", now=1004.0) == 900
    assert attempts.locked_for("window01", now=1903.5) == 1
    assert attempts.locked_for("window01", now=1904.0) == 0


def test_redis_login_failures_age_out_of_the_window_and_a_success_forgets_them(redis_client):
    attempts = RedisLoginAttempts(redis_client, f"test-{uuid.uuid4().hex}", max_failures=3, window=60, lock=60)
    attempts.failed("a", now=1000.0)
    attempts.failed("a", now=1001.0)
    assert attempts.failed("a", now=1061.5) == 0  # the first two are older than 60 s
    attempts.failed("b", now=1000.0)
    attempts.failed("b", now=1001.0)
    attempts.succeeded("b")
    assert attempts.failed("b", now=1002.0) == 0


def test_ending_every_session_of_an_account_leaves_other_accounts_alone(redis_client):
    sessions = RedisSessions(redis_client, f"test-{uuid.uuid4().hex}", idle=100, absolute=250)
    mine, theirs = a_session(), a_session()
    tokens = [sessions.open(mine, now=1000.0) for _ in range(3)]
    other = sessions.open(theirs, now=1000.0)
    assert sessions.close_all(mine.account_id) == 3
    assert [sessions.get(t, now=1001.0) for t in tokens] == [None, None, None]
    assert sessions.get(other, now=1001.0) == replace(theirs, opened_at=1000.0)
    assert sessions.close_all(mine.account_id) == 0


def test_ending_an_accounts_sessions_can_keep_the_one_that_asked(redis_client):
    sessions = RedisSessions(redis_client, f"test-{uuid.uuid4().hex}", idle=100, absolute=250)
    mine = a_session()
    kept, *others = [sessions.open(mine, now=1000.0) for _ in range(3)]
    assert sessions.close_all(mine.account_id, keep=kept) == 2
    assert sessions.get(kept, now=1001.0) == replace(mine, opened_at=1000.0)
    assert [sessions.get(t, now=1001.0) for t in others] == [None, None]
    assert sessions.close_all(mine.account_id) == 1  # still in the index: a later end of all ends it


# QR login sessions in Redis


def a_qr_session(prefix_store, now=1000.0):
    session = QrSession(uuid.uuid4().hex, "legal", "binding-hash", now + 120)
    prefix_store.create(session)
    return session


@pytest.fixture
def qr_store(redis_client):
    return RedisQrSessions(redis_client, f"test-{uuid.uuid4().hex}")


def test_a_qr_session_reads_back_as_written_and_each_change_bumps_its_version(qr_store):
    session = a_qr_session(qr_store)
    assert qr_store.get(session.qr_id) == session
    scanned = session.scanned(Person(random_id_number(), "张三"), now=1001.0)
    assert qr_store.replace(session, scanned)
    assert qr_store.get(session.qr_id) == replace(scanned, version=1)


def test_of_two_racing_changes_from_one_version_exactly_one_wins(qr_store):
    person = Person(random_id_number(), "张三")
    session = a_qr_session(qr_store)
    qr_store.replace(session, session.scanned(person, now=1001.0))
    read = qr_store.get(session.qr_id)
    choice = Choice("91110000600037341L", "某公司", "account-1")
    confirmed = read.confirmed(person, [choice], "LEGAL_ACCOUNT_NOT_FOUND", now=1002.0)
    cancelled = read.cancelled(person, now=1002.0)
    outcomes = [qr_store.replace(read, confirmed), qr_store.replace(read, cancelled)]
    assert outcomes == [True, False]
    assert qr_store.get(session.qr_id).status == "authenticated"


def test_the_login_is_handed_out_once_also_after_a_selection_that_took_it(qr_store):
    session, selected = a_qr_session(qr_store), a_qr_session(qr_store)
    assert qr_store.replace(session, replace(session, status="authenticated"))
    assert (qr_store.claim_handout(session.qr_id), qr_store.claim_handout(session.qr_id)) == (True, False)
    assert qr_store.replace(selected, replace(selected, status="authenticated"), handed_out=True)
    assert qr_store.claim_handout(selected.qr_id) is False


def test_a_poll_sooner_than_the_interval_is_refused_and_a_later_one_allowed(qr_store):
    session = a_qr_session(qr_store)
    assert qr_store.polled(session.qr_id, now=1000.0, interval=2)
    assert not qr_store.polled(session.qr_id, now=1001.5, interval=2)
    assert qr_store.polled(session.qr_id, now=1002.0, interval=2)


def test_each_change_is_announced_on_the_channel_gateways_listen_to(qr_store, redis_client):
    listener = redis_client.pubsub(ignore_subscribe_messages=True)
    listener.subscribe(qr_changed_channel(qr_store.prefix))
    session = a_qr_session(qr_store)
    qr_store.replace(session, session.scanned(Person(random_id_number(), "张三"), now=1001.0))
    message = None
    for _ in range(50):
        message = listener.get_message(timeout=0.1)
        if message:
            break
    listener.close()
    assert message is not None and message["data"] == session.qr_id


def test_one_login_attempt_per_account_is_checked_at_a_time_across_replicas(redis_client):
    prefix = f"test-{uuid.uuid4().hex}"
    first = RedisLoginAttempts(redis_client, prefix, max_failures=5, window=900, lock=900)
    second = RedisLoginAttempts(redis_client, prefix, max_failures=5, window=900, lock=900)
    with (
        first.one_at_a_time("window01") as mine,
        second.one_at_a_time("window01") as theirs,
        second.one_at_a_time("window02") as other,
    ):
        assert (mine, theirs, other) == (True, False, True)
    with second.one_at_a_time("window01") as later:
        assert later is True


def test_the_assertion_guard_counts_then_takes_the_jti_in_one_step(redis_client):
    guard = RedisAssertionGuard(redis_client, f"test-{uuid.uuid4().hex}", per_session=2, per_person=4)
    guard.admit("qr-a", "resident_id 1", "jti-1", until=1060.0, now=1000.0)
    with pytest.raises(AssertionReplayed):
        guard.admit("qr-a", "resident_id 1", "jti-1", until=1060.0, now=1000.0)
    with pytest.raises(AssertionsExceeded):  # the session's third assertion
        guard.admit("qr-a", "resident_id 1", "jti-2", until=1060.0, now=1000.0)
    guard.admit("qr-b", "resident_id 1", "jti-2", until=1060.0, now=1000.0)  # refused above, so not taken
    with pytest.raises(AssertionsExceeded):  # the person's fifth within the minute
        guard.admit("qr-c", "resident_id 1", "jti-3", until=1060.0, now=1000.0)
    guard.admit("qr-c", "resident_id 2", "jti-3", until=1060.0, now=1000.0)  # someone else
    ttl = [redis_client.ttl(key) for key in redis_client.scan_iter(f"{guard.prefix}:essc-jti:*")]
    assert len(ttl) == 3 and all(0 < t <= 61 for t in ttl)
