"""RPC calls end (answer, error or timeout), and slow work in one worker leaves the others free."""

import time

import eventlet
import pytest
from kit_test_services import Caller, Sleeper

from hrss_contracts.errors import CatalogueError
from hrss_kit.rpc_client import StandaloneRpc

pytestmark = pytest.mark.integration


@pytest.fixture
def sleeper(container_factory, config_for, make_database):
    container = container_factory(Sleeper, config_for("sleeper", DATABASE_URL=make_database("sleeper")))
    container.start()
    return container


def call_in_background(amqp_uri, method, **kwargs):
    def call():
        with StandaloneRpc(amqp_uri, timeout=30) as client:
            return getattr(client.service("sleeper"), method)(**kwargs)

    return eventlet.spawn(call)


def test_a_slow_query_in_one_worker_does_not_stall_the_others(sleeper, rpc, rabbit_config):
    slow = call_in_background(rabbit_config["AMQP_URI"], "slow_query", seconds=1.5)
    eventlet.sleep(0.2)  # the query is running
    assert rpc.service("sleeper").quick() == "quick"
    assert not slow.dead, "the quick call had to wait for the slow query"
    assert slow.wait() == "slept"


def test_a_second_sqlite_writer_waits_its_turn_without_freezing_the_process(
    container_factory, config_for, rpc, rabbit_config, tmp_path
):
    url = f"sqlite:///{tmp_path / 'sleeper.db'}"
    container_factory(Sleeper, config_for("sleeper", DATABASE_URL=url)).start()
    holder = call_in_background(rabbit_config["AMQP_URI"], "hold_write", seconds=1.0)
    eventlet.sleep(0.2)  # the holder has written and yielded inside its transaction
    writer = call_in_background(rabbit_config["AMQP_URI"], "write")
    eventlet.sleep(0.2)
    assert rpc.service("sleeper").quick() == "quick"
    assert not holder.dead, "the process froze until the holder finished"
    assert holder.wait() == "held"
    assert writer.wait() == "written"


def test_a_cpu_bound_hash_in_tpool_does_not_stall_the_others(sleeper, rpc, rabbit_config):
    slow = call_in_background(rabbit_config["AMQP_URI"], "slow_hash")
    eventlet.sleep(0.05)
    answered_while_hashing = []
    for _ in range(5):
        assert rpc.service("sleeper").quick() == "quick"
        answered_while_hashing.append(not slow.dead)
    assert all(answered_while_hashing), "quick calls waited for the hash"
    assert slow.wait().startswith("$argon2")


def test_an_rpc_call_past_its_timeout_ends_as_service_unavailable(sleeper, container_factory, config_for, rpc):
    container_factory(Caller, config_for("caller")).start()
    with pytest.raises(CatalogueError) as raised:
        rpc.service("caller").call_nap(seconds=4)
    assert raised.value.code == "SERVICE_UNAVAILABLE"
    assert raised.value.status == 503


def test_a_call_to_a_service_nobody_runs_fails_at_once_rather_than_at_the_timeout(container_factory, config_for, rpc):
    container_factory(Caller, config_for("caller")).start()
    started = time.monotonic()
    with pytest.raises(CatalogueError) as raised:
        rpc.service("caller").call_nobody()
    assert raised.value.code == "SERVICE_UNAVAILABLE"
    assert time.monotonic() - started < 4, "waited for the 5 s timeout instead of the broker's return"


def test_a_standalone_call_to_a_missing_service_is_unavailable(rabbit_config):
    with StandaloneRpc(rabbit_config["AMQP_URI"], timeout=2) as client, pytest.raises(CatalogueError) as raised:
        client.service("nobody-here").ping()
    assert raised.value.code == "SERVICE_UNAVAILABLE"


def test_catalogue_errors_cross_rpc_with_their_code_fields_and_params(sleeper, rpc):
    with pytest.raises(CatalogueError) as raised:
        rpc.service("sleeper").refuse()
    assert raised.value.code == "PUBLIC_SERVICE_REGISTRATION_MISSING"
    assert raised.value.fields == {"uscc": ["mismatch"]}
    assert raised.value.message.startswith(
        "系统没有识别到统一社会信用代码:1123100000******** 以及法人信息证件号码:23100419641********的"
    )


def test_more_concurrent_calls_than_workers_through_two_hops_all_answer(
    container_factory, config_for, rabbit_config, make_database
):
    sleeper_config = config_for("sleeper", DATABASE_URL=make_database("sleeper"), max_workers=4)
    container_factory(Sleeper, sleeper_config).start()
    container_factory(Caller, config_for("caller", max_workers=6)).start()

    def call(_):
        with StandaloneRpc(rabbit_config["AMQP_URI"], timeout=30) as client:
            return client.service("caller").call_nap(seconds=0.02)

    pool = eventlet.GreenPool(40)
    assert list(pool.imap(call, range(40))) == ["rested"] * 40


def test_publishing_never_reads_frames_meant_for_the_connections_reader(rabbit_config):
    import amqp
    import kombu

    from hrss_kit.rpc import reader_owned_connection

    connection = reader_owned_connection(rabbit_config["AMQP_URI"])
    channel = connection.channel()
    queue, _, _ = channel.queue_declare(exclusive=True)
    delivered = []
    channel.basic_consume(queue=queue, callback=delivered.append, no_ack=True)
    with kombu.Connection(rabbit_config["AMQP_URI"]) as other:
        other.Producer().publish("for the reader", routing_key=queue)
    eventlet.sleep(0.3)  # the delivery now waits in our socket

    channel.basic_publish(amqp.Message("from a worker"), exchange="", routing_key="nowhere")
    assert delivered == [], "the publishing green thread read (and ran) the reader's delivery"
    connection.drain_events(timeout=5)
    assert len(delivered) == 1
    connection.release()


def test_a_request_without_reply_address_or_with_a_broken_body_does_not_stop_the_service(sleeper, rpc, rabbit_config):
    import amqp
    import kombu

    with kombu.Connection(rabbit_config["AMQP_URI"]) as connection:
        channel = connection.channel()
        for body in ('{"args": [], "kwargs": {}}', "not json"):
            channel.basic_publish(
                amqp.Message(body, content_type="application/json"), exchange="nameko-rpc", routing_key="sleeper.quick"
            )
    eventlet.sleep(0.3)
    assert rpc.service("sleeper").quick() == "quick"


def test_database_errors_never_carry_statement_parameters(tmp_path):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from hrss_kit.database import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'secret.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (k TEXT PRIMARY KEY)"))
        conn.execute(text("INSERT INTO t VALUES (:k)"), {"k": "$argon2id$secret"})
    with pytest.raises(IntegrityError) as raised, engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (:k)"), {"k": "$argon2id$secret"})
    assert "secret" not in str(raised.value)
    engine.dispose()


def test_a_request_whose_caller_gave_up_is_not_run(container_factory, config_for, rpc, rabbit_config, tmp_path):
    """The caller's timeout travels as the request's time-to-live, relative, kept by the broker."""
    import amqp
    import kombu
    from sqlalchemy import create_engine, inspect

    url = f"sqlite:///{tmp_path / 'late.db'}"
    # One worker, so one request in hand: the next one waits in the queue.
    container_factory(Sleeper, config_for("sleeper", DATABASE_URL=url, max_workers=1)).start()
    busy = eventlet.spawn(rpc.service("sleeper", timeout=10).nap, seconds=1.0)
    eventlet.sleep(0.2)
    with kombu.Connection(rabbit_config["AMQP_URI"]) as connection:
        connection.channel().basic_publish(
            amqp.Message('{"args": [], "kwargs": {}}', content_type="application/json", expiration="300"),
            exchange="nameko-rpc",
            routing_key="sleeper.write",
        )
    assert busy.wait() == "rested"
    assert rpc.service("sleeper").quick() == "quick"  # the expired request would have gone before this one
    engine = create_engine(url)
    assert "marks" not in inspect(engine).get_table_names()
    engine.dispose()
