"""``@rpc(idempotent="redis")``: the same promise as ``test_idempotent_rpc`` with the claims and
answers kept in Redis, for methods whose effects are there."""

import contextlib
import hashlib

import eventlet
import pytest
import redis
from kit_test_services import RedisLedger

from hrss_contracts.errors import CatalogueError
from hrss_kit.idempotency import IDEMPOTENCY_HEADER
from hrss_kit.rpc_client import StandaloneRpc

pytestmark = pytest.mark.integration


@pytest.fixture
def ledger(running, databases, redis_url):
    return running(RedisLedger, DATABASE_URL=databases["recorder"], REDIS_URL=redis_url)


@pytest.fixture
def store(redis_url):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    client.close()


def call(rpc, method, key, timeout=10, **kwargs):
    return rpc.transport.call("redis_ledger", method, kwargs, timeout, {IDEMPOTENCY_HEADER: key})


def count(rpc, uscc):
    return rpc.service("redis_ledger").count(uscc=uscc)


def key_of(method, unique):
    return f"hrss:rpc:redis_ledger.{method}:{hashlib.sha256(unique.encode()).hexdigest()}"


def test_a_repeated_key_returns_the_first_answer_and_writes_once(ledger, rpc, uscc, unique):
    first = call(rpc, "add", unique, uscc=uscc)

    assert call(rpc, "add", unique, uscc=uscc) == first
    assert count(rpc, uscc) == 1
    assert call(rpc, "add", unique + "-other", uscc=uscc) != first and count(rpc, uscc) == 2


def test_a_repeat_that_arrives_while_the_first_runs_waits_for_its_answer(ledger, rpc, uscc, unique):
    first = eventlet.spawn(call, rpc, "add", unique, uscc=uscc, pause=0.5)
    eventlet.sleep(0.1)
    with StandaloneRpc(rpc.transport.amqp_uri) as other:
        second = call(other, "add", unique, uscc=uscc, pause=0.5)

    assert first.wait() == second and count(rpc, uscc) == 1


def test_a_refusal_is_an_answer_and_unavailable_is_not(ledger, rpc, uscc, unique):
    for _ in range(2):
        with pytest.raises(CatalogueError) as refused:
            call(rpc, "refuse", unique, uscc=uscc)
        assert refused.value.code == "ENTERPRISE_NOT_VERIFIED"
        assert refused.value.details == {"uscc": uscc}  # the repeat's refusal is the first one, whole
    assert count(rpc, uscc) == 1
    for _ in range(2):
        with pytest.raises(CatalogueError):
            call(rpc, "unavailable", unique, uscc=uscc)
    assert count(rpc, uscc) == 3


def test_a_claim_whose_run_died_lapses_with_its_lease_and_the_repeat_runs(ledger, rpc, store, uscc, unique):
    store.set(key_of("add", unique), "running:a-run-that-died", px=1500)  # as its caller waited 1.5 s

    answer = call(rpc, "add", unique, timeout=5, uscc=uscc)

    assert answer.startswith(f"added {uscc}") and count(rpc, uscc) == 1


def test_a_run_that_is_slow_but_alive_keeps_its_claim_and_its_twin_waits(ledger, rpc, uscc, unique):
    def first():
        with contextlib.suppress(CatalogueError):  # its caller gives up after 2 s
            call(rpc, "add", unique, timeout=2, uscc=uscc, pause=3.0)

    slow = eventlet.spawn(first)
    eventlet.sleep(0.3)
    with StandaloneRpc(rpc.transport.amqp_uri) as other, contextlib.suppress(CatalogueError):
        call(other, "add", unique, timeout=2, uscc=uscc, pause=3.0)
    slow.wait()
    eventlet.sleep(4)

    assert count(rpc, uscc) == 1


def test_an_answer_never_replaces_the_claim_of_a_twin_that_took_over(store, unique):
    from datetime import timedelta

    from hrss_kit.idempotency_redis import RedisRequests

    first, twin = (RedisRequests(store, "redis_ledger.add", unique, timedelta(seconds=0.3)) for _ in range(2))
    assert first.claim_or_wait() is None
    eventlet.sleep(0.4)  # the first run's lease ran out (it stalled)
    assert twin.claim_or_wait() is None

    first.store({"result": "first"})
    twin.store({"result": "twin"})

    assert RedisRequests(store, "redis_ledger.add", unique, timedelta(seconds=5)).claim_or_wait() == {"result": "twin"}
    assert 0 < store.pttl(key_of("add", unique)) <= (0.3 + 600) * 1000


def test_an_answer_that_is_no_json_releases_the_claim(store, unique):
    from datetime import date, timedelta

    from hrss_kit.idempotency_redis import RedisRequests

    run = RedisRequests(store, "redis_ledger.add", unique, timedelta(seconds=30))
    assert run.claim_or_wait() is None

    with pytest.raises(TypeError):
        run.store({"result": date.today()})

    assert store.get(key_of("add", unique)) is None  # a repeat runs again at once


def test_a_redis_that_refuses_writes_is_unavailable_not_an_error():
    from hrss_kit.errors import is_unavailable

    assert is_unavailable(redis.exceptions.OutOfMemoryError("OOM command not allowed"))
    assert is_unavailable(redis.exceptions.ReadOnlyError("READONLY You can't write against a read only replica."))
    assert is_unavailable(redis.exceptions.ResponseError("MISCONF Redis is configured to save RDB snapshots"))
    assert not is_unavailable(redis.exceptions.ResponseError("WRONGTYPE Operation against a key"))
