"""RPC is at least once; a method that writes answers a repeated idempotency key with its
first answer and has its effect once."""

import contextlib

import eventlet
import pytest
from kit_test_services import Forwarder, Ledger, recorder_metadata
from sqlalchemy import create_engine, update

from hrss_contracts.errors import CatalogueError
from hrss_kit.idempotency import IDEMPOTENCY_HEADER

pytestmark = pytest.mark.integration


@pytest.fixture(params=["postgres", "sqlite"])
def ledger(request, running, databases, tmp_path):
    if request.param == "postgres":
        return running(Ledger, DATABASE_URL=databases["recorder"])
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    engine = create_engine(url)
    recorder_metadata.create_all(engine)
    engine.dispose()
    return running(Ledger, DATABASE_URL=url)


def call(rpc, method, key, **kwargs):
    """``ledger.method`` with an idempotency key of the test's choosing (a redelivery)."""
    return rpc.transport.call("ledger", method, kwargs, 10, {IDEMPOTENCY_HEADER: key})


def test_a_repeated_key_returns_the_first_answer_and_writes_once(ledger, running, rpc, uscc, unique):
    first = call(rpc, "add", unique, uscc=uscc)
    assert call(rpc, "add", unique, uscc=uscc) == first
    assert rpc.service("ledger").count(uscc=uscc) == 1
    assert call(rpc, "add", unique + "-other", uscc=uscc) != first
    assert rpc.service("ledger").count(uscc=uscc) == 2


def test_a_repeat_that_arrives_while_the_first_runs_waits_for_its_answer(ledger, running, rpc, uscc, unique):
    first = eventlet.spawn(call, rpc, "add", unique, uscc=uscc, pause=0.5)
    eventlet.sleep(0.1)
    from hrss_kit.rpc_client import StandaloneRpc

    with StandaloneRpc(rpc.transport.amqp_uri) as other:  # another caller's connection: a redelivery
        second = call(other, "add", unique, uscc=uscc, pause=0.5)
    assert first.wait() == second
    assert rpc.service("ledger").count(uscc=uscc) == 1


def test_a_refusal_is_an_answer_too(ledger, running, rpc, uscc, unique):
    for _ in range(2):
        with pytest.raises(CatalogueError) as refused:
            call(rpc, "refuse", unique, uscc=uscc)
        assert refused.value.code == "ENTERPRISE_NOT_VERIFIED"
        assert refused.value.details == {"uscc": uscc}  # the repeat's refusal is the first one, whole
    assert rpc.service("ledger").count(uscc=uscc) == 1


def test_unavailable_is_not_remembered_so_a_retry_runs_again(ledger, running, rpc, uscc, unique):
    for _ in range(2):
        with pytest.raises(CatalogueError):
            call(rpc, "unavailable", unique, uscc=uscc)
    assert rpc.service("ledger").count(uscc=uscc) == 2


def test_calls_made_for_a_repeated_request_repeat_their_keys(ledger, running, rpc, uscc, unique):
    running(Forwarder)
    headers = {IDEMPOTENCY_HEADER: unique}
    first = rpc.transport.call("forwarder", "add_twice", {"uscc": uscc}, 10, headers)
    assert first[0] != first[1]  # two calls, two keys, two effects
    assert rpc.transport.call("forwarder", "add_twice", {"uscc": uscc}, 10, headers) == first
    assert rpc.service("ledger").count(uscc=uscc) == 2


def test_every_plain_call_is_a_new_request(ledger, running, rpc, uscc):
    rpc.service("ledger").add(uscc=uscc)
    rpc.service("ledger").add(uscc=uscc)
    assert rpc.service("ledger").count(uscc=uscc) == 2


def test_a_key_whose_run_died_is_taken_over_by_its_repeat(ledger, rpc, uscc, unique):
    """The first run's process died holding the key: once its lease is over, a repeat runs."""
    from datetime import UTC, datetime, timedelta

    from hrss_kit.database import Database

    call(rpc, "add", unique, uscc=uscc)
    database = next(d for d in ledger.dependencies if isinstance(d, Database))
    table = database.metadata.tables["rpc_requests"]
    with database.engine.begin() as conn:  # as if it had never finished
        conn.execute(
            update(table)
            .where(table.c.method == "ledger.add", table.c.status == "done")
            .values(status="running", answer=None, lease_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    call(rpc, "add", unique, uscc=uscc)
    assert rpc.service("ledger").count(uscc=uscc) == 2


def test_a_twin_of_a_run_that_died_takes_over_once_its_caller_stopped_waiting(ledger, rpc, uscc, unique):
    """The lease is the caller's timeout: the twin does not wait 30 s for a dead run."""
    import time

    from hrss_kit.database import Database

    database = next(d for d in ledger.dependencies if isinstance(d, Database))
    table = database.metadata.tables["rpc_requests"]
    first = rpc.transport.call("ledger", "add", {"uscc": uscc}, 2, {IDEMPOTENCY_HEADER: unique})
    with database.engine.begin() as conn:  # as if its run had died, its caller waiting 2 s
        conn.execute(update(table).where(table.c.status == "done").values(status="running", answer=None))
    started = time.monotonic()
    twin = rpc.transport.call("ledger", "add", {"uscc": uscc}, 2.5, {IDEMPOTENCY_HEADER: unique})
    assert twin != first and time.monotonic() - started < 2.5  # it ran, not waited 30 s


def test_a_twin_does_not_take_over_from_a_run_that_is_slow_but_alive(ledger, rpc, uscc, unique):
    """The first run outlasts its caller's timeout; it keeps its key, so the twin waits for
    its answer and does not run too."""
    from hrss_kit.rpc_client import StandaloneRpc

    def first():
        with contextlib.suppress(CatalogueError):  # its caller gives up after 2 s
            rpc.transport.call("ledger", "add", {"uscc": uscc, "pause": 3.0}, 2, {IDEMPOTENCY_HEADER: unique})

    slow = eventlet.spawn(first)
    eventlet.sleep(0.3)
    with StandaloneRpc(rpc.transport.amqp_uri) as other, contextlib.suppress(CatalogueError):
        other.transport.call("ledger", "add", {"uscc": uscc, "pause": 3.0}, 2, {IDEMPOTENCY_HEADER: unique})
    slow.wait()
    eventlet.sleep(4)  # both runs, had there been two, are over
    assert rpc.service("ledger").count(uscc=uscc) == 1
