"""The outbox publishes what was committed, and only that; consumers have each effect once,
whatever the broker or their own failures do."""

import contextlib
import json

import eventlet
import kombu
import pytest
from kit_test_services import ATTEMPTS, BEHAVIOUR, Producer, Recorder, rejection
from sqlalchemy import create_engine, func, select

from conftest import eventually, random_uscc
from hrss_kit import outbox
from hrss_kit.database import make_engine
from hrss_kit.outbox_relay import OutboxRelay
from hrss_kit.retry import list_failed
from hrss_kit.rpc import RemoteError
from hrss_kit.topology import event_exchange

pytestmark = pytest.mark.integration


def effects(rpc, uscc):
    return rpc.service("recorder").effects_of(uscc=uscc)


def outbox_rows(url, **where):
    engine = create_engine(url)
    table = Producer.db.metadata.tables["outbox"]
    with engine.connect() as conn:
        rows = conn.execute(select(table).filter_by(**where)).all()
    engine.dispose()
    return rows


def test_a_committed_event_reaches_the_consumer_and_is_marked_published(running, rpc, uscc, databases):
    running(Recorder)
    running(Producer)
    event_id = rpc.service("producer").emit(uscc=uscc)
    assert eventually(lambda: effects(rpc, uscc)) == 1
    assert eventually(lambda: outbox_rows(databases["producer"], event_id=event_id)[0].published_at)


def test_a_rolled_back_transaction_publishes_nothing(running, rpc, uscc, databases):
    running(Recorder)
    running(Producer)
    with pytest.raises(RemoteError, match="rolled back"):
        rpc.service("producer").emit(uscc=uscc, then_fail=True)
    control = random_uscc()
    rpc.service("producer").emit(uscc=control)  # published after the failed one, so it passes first
    assert eventually(lambda: effects(rpc, control)) == 1
    assert effects(rpc, uscc) == 0
    assert [r for r in outbox_rows(databases["producer"]) if r.aggregate_id == uscc] == []


def publish_raw(amqp_uri, envelope):
    exchange = event_exchange(envelope["source"])
    with kombu.Connection(amqp_uri) as connection:
        connection.Producer().publish(
            json.dumps(envelope),
            exchange=exchange,
            routing_key=envelope["event_type"],
            declare=[exchange],
            content_type="application/json",
            content_encoding="utf-8",
        )


def test_the_same_event_delivered_twice_has_one_effect(running, rpc, uscc, rabbit_config):
    running(Recorder)
    envelope = rejection(uscc)
    publish_raw(rabbit_config["AMQP_URI"], envelope)
    publish_raw(rabbit_config["AMQP_URI"], envelope)
    control = random_uscc()
    publish_raw(rabbit_config["AMQP_URI"], rejection(control))  # behind both copies in the queue
    eventually(lambda: effects(rpc, control))
    assert effects(rpc, uscc) == 1
    assert ATTEMPTS[uscc] == 1  # the duplicate never reached the effect


def count_deliveries(amqp_uri, event_id, ready, stop, counts):
    """Counts every copy of ``event_id`` the broker routes, on a queue of our own."""
    queue = kombu.Queue(f"spy-{event_id}", exchange=event_exchange("producer"), routing_key="#", auto_delete=True)
    with (
        kombu.Connection(amqp_uri) as connection,
        connection.Consumer(
            [queue], callbacks=[lambda body, msg: counts.update([body["event_id"]])], no_ack=True, accept=["json"]
        ),
    ):
        ready.send(True)
        while not stop.ready():
            with contextlib.suppress(TimeoutError):
                connection.drain_events(timeout=0.1)


def test_relay_killed_between_commit_and_publish_delivers_the_event_exactly_once_after_restart(
    running, rpc, uscc, databases, rabbit_config
):
    import collections

    import eventlet
    from eventlet.event import Event

    running(Recorder)
    # The commit happened, then the relay died: the row sits unpublished.
    envelope = rejection(uscc)
    engine = make_engine(databases["producer"])
    with engine.begin() as conn:
        conn.execute(
            Producer.db.metadata.tables["outbox"]
            .insert()
            .values(
                event_id=envelope["event_id"],
                event_type=envelope["event_type"],
                source="producer",
                aggregate_id=uscc,
                body=json.dumps(envelope),
                created_at=func.now(),
            )
        )
    ready, stop, counts = Event(), Event(), collections.Counter()
    spy = eventlet.spawn(count_deliveries, rabbit_config["AMQP_URI"], envelope["event_id"], ready, stop, counts)
    ready.wait()

    running(Producer)  # restarted: its relay finds the row at start-up
    assert eventually(lambda: effects(rpc, uscc)) == 1
    eventlet.sleep(0.5)  # room for a second copy, were one sent
    stop.send(True)
    spy.wait()
    assert counts[envelope["event_id"]] == 1
    assert ATTEMPTS[uscc] == 1
    engine.dispose()


def test_relay_killed_between_publish_and_mark_republishes_and_the_consumer_ignores_the_copy(
    running, rpc, uscc, databases, rabbit_config
):
    running(Recorder)
    engine = make_engine(databases["producer"])
    table = Producer.db.metadata.tables["outbox"]
    envelope = rejection(uscc)
    with engine.begin() as conn:
        conn.execute(
            table.insert().values(
                event_id=envelope["event_id"],
                event_type=envelope["event_type"],
                source="producer",
                aggregate_id=uscc,
                body=json.dumps(envelope),
                created_at=func.now(),
            )
        )
    # Published, then the relay died before marking the row.
    publish_raw(rabbit_config["AMQP_URI"], envelope)
    eventually(lambda: effects(rpc, uscc))
    relay = OutboxRelay(engine, table, rabbit_config["AMQP_URI"])
    while relay.publish_pending():
        pass
    relay.close()
    control = random_uscc()
    publish_raw(rabbit_config["AMQP_URI"], rejection(control))
    eventually(lambda: effects(rpc, control))
    assert effects(rpc, uscc) == 1
    engine.dispose()


def test_a_handler_that_fails_is_retried_with_backoff_until_it_succeeds(running, rpc, uscc, rabbit_config):
    running(Recorder)
    BEHAVIOUR[uscc] = 2
    envelope = rejection(uscc)
    publish_raw(rabbit_config["AMQP_URI"], envelope)
    assert eventually(lambda: effects(rpc, uscc)) == 1
    assert ATTEMPTS[uscc] == 3
    # The failure record went with the effect that succeeded: retrying or parked, none is left.
    failed = rpc.service("recorder").failed_events(status=None)
    assert [row for row in failed if row["event_id"] == envelope["event_id"]] == []


def test_a_handler_that_keeps_failing_parks_the_event_and_a_replay_applies_it(
    running, rpc, uscc, rabbit_config, databases
):
    running(Recorder)
    BEHAVIOUR[uscc] = -1
    envelope = rejection(uscc)
    publish_raw(rabbit_config["AMQP_URI"], envelope)
    parked = eventually(
        lambda: [
            row
            for row in rpc.service("recorder").failed_events(status="parked")
            if row["event_id"] == envelope["event_id"]
        ]
    )
    assert parked[0]["attempts"] == 3
    assert "handler failure" in parked[0]["last_error"]
    assert effects(rpc, uscc) == 0

    BEHAVIOUR[uscc] = 0  # the bug is fixed; the operator replays
    assert rpc.service("recorder").replay_parked(event_id=envelope["event_id"]) == 1
    assert eventually(lambda: effects(rpc, uscc)) == 1
    engine = create_engine(databases["recorder"])
    assert [
        r
        for r in list_failed(engine, Recorder.db.metadata.tables["failed_events"], None)
        if r["event_id"] == envelope["event_id"]
    ] == []
    engine.dispose()


def test_a_malformed_event_is_parked_not_dropped(running, rpc, rabbit_config, unique):
    running(Recorder)
    envelope = rejection(random_uscc())
    envelope["data"] = {"uscc": "not a code"}
    publish_raw(rabbit_config["AMQP_URI"], envelope)
    parked = eventually(
        lambda: [
            row
            for row in rpc.service("recorder").failed_events(status="parked")
            if row["event_id"] == envelope["event_id"]
        ]
    )
    assert "malformed" in parked[0]["last_error"]


def test_events_without_an_id_or_not_even_an_object_are_each_parked(running, rpc, rabbit_config):
    running(Recorder)
    before = {row["event_id"] for row in rpc.service("recorder").failed_events(status="parked")}
    for body in ([1, 2, 3], {"event_type": "RegistrationRejected", "data": {"n": 1}}, {"data": {"n": 2}}):
        exchange = event_exchange("producer")
        with kombu.Connection(rabbit_config["AMQP_URI"]) as connection:
            connection.Producer().publish(
                json.dumps(body),
                exchange=exchange,
                routing_key="RegistrationRejected",
                declare=[exchange],
                content_type="application/json",
                content_encoding="utf-8",
            )

    def new_parked():
        return {row["event_id"] for row in rpc.service("recorder").failed_events(status="parked")} - before

    eventually(lambda: len(new_parked()) >= 3)
    eventlet.sleep(0.3)  # room for a collision to show as a fourth row, or a missing one
    assert len(new_parked()) == 3


def test_outbox_record_marks_the_session_so_the_relay_is_woken(databases):
    engine = make_engine(databases["producer"])
    from sqlalchemy.orm import Session

    with Session(engine) as session, session.begin():
        outbox.record(session, Producer.db.metadata.tables["outbox"], rejection(random_uscc()))
        assert session.info["outbox_written"] is True
        session.rollback()
    engine.dispose()


def test_a_parked_event_applied_by_a_later_delivery_leaves_no_failure_on_record(running, rpc, uscc, rabbit_config):
    running(Recorder)
    BEHAVIOUR[uscc] = -1
    envelope = rejection(uscc)
    publish_raw(rabbit_config["AMQP_URI"], envelope)

    def parked():
        return [
            r for r in rpc.service("recorder").failed_events(status="parked") if r["event_id"] == envelope["event_id"]
        ]

    eventually(parked)
    BEHAVIOUR[uscc] = 0
    publish_raw(rabbit_config["AMQP_URI"], envelope)  # a replay of the log, a catch-up, a duplicate
    assert eventually(lambda: effects(rpc, uscc)) == 1
    left = [r for r in rpc.service("recorder").failed_events(status=None) if r["event_id"] == envelope["event_id"]]
    assert left == []
