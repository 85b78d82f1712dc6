"""The outbox as an event log: no event is lost for want of a queue, each is numbered within
its aggregate, and a consumer that joins late catches up to the same state as one that was
there all along."""

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import eventlet
import kombu
import pytest
from kit_test_services import Producer, Recorder, projection_metadata, projector, rejection
from sqlalchemy import create_engine, select, update

from conftest import eventually, random_uscc
from hrss_contracts.errors import CatalogueError
from hrss_kit.deploy import declare_consumer_queues
from hrss_kit.queue_consumer import QueueConsumer
from hrss_kit.topology import REPLAY_EXCHANGE, event_exchange

pytestmark = pytest.mark.integration

OUTBOX = Producer.db.metadata.tables["outbox"]


@pytest.fixture(scope="module")
def projections(make_database):
    urls = {}
    for name in ("live", "late"):
        urls[name] = make_database(f"projection_{name}")
        engine = create_engine(urls[name])
        projection_metadata.create_all(engine)
        engine.dispose()
    return urls


def outbox_rows(url, **where):
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(select(OUTBOX).filter_by(**where).order_by(OUTBOX.c.id)).all()
    engine.dispose()
    return rows


def retry_now(url, event_id):
    """Skip the backoff of an unroutable event (its schedule is tested on its own)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(update(OUTBOX).filter_by(event_id=event_id).values(retry_at=datetime.now(UTC)))
    engine.dispose()


def publish_raw(amqp_uri, envelope):
    with kombu.Connection(amqp_uri) as connection:
        exchange = event_exchange("producer")
        kombu.Producer(connection.channel()).publish(
            envelope, exchange=exchange, routing_key=envelope["event_type"], declare=[exchange], serializer="json"
        )


def test_an_event_nobody_consumes_yet_stays_unpublished_and_reaches_the_queue_declared_later(
    running, rpc, uscc, databases, rabbit_config, caplog
):
    running(Producer)
    event_id = rpc.service("producer").emit(uscc=uscc)
    row = eventually(lambda: [r for r in outbox_rows(databases["producer"], event_id=event_id) if r.retry_at])[0]
    assert row.published_at is None and row.publish_attempts == 1
    assert any(
        r.levelname == "ERROR" and "RegistrationRejected" in r.getMessage() and event_id in r.getMessage()
        for r in caplog.records
    )
    # Deployed before it starts: the consumer's queue exists, so the next try routes the event.
    declare_consumer_queues(Recorder, rabbit_config["AMQP_URI"])
    retry_now(databases["producer"], event_id)
    eventually(lambda: outbox_rows(databases["producer"], event_id=event_id)[0].published_at)
    running(Recorder, EVENT_CATCH_UP=False)
    assert eventually(lambda: rpc.service("recorder").effects_of(uscc=uscc)) == 1


def test_an_unroutable_event_is_tried_again_later_not_in_a_hot_loop(running, rpc, uscc, databases):
    running(Producer)
    event_id = rpc.service("producer").emit(uscc=uscc)
    row = eventually(lambda: [r for r in outbox_rows(databases["producer"], event_id=event_id) if r.retry_at])[0]
    assert row.retry_at - row.created_at >= timedelta(seconds=1.5)


def test_a_type_nobody_consumes_is_probed_with_one_event_not_sent_again_event_by_event(
    running, rpc, databases, rabbit_config
):
    from hrss_kit.outbox_relay import OutboxRelay

    running(Producer, OUTBOX_RELAY=False)
    engine = create_engine(databases["producer"])
    relay = OutboxRelay(engine, OUTBOX, rabbit_config["AMQP_URI"])
    mine, sent, batches = set(), [], []
    publish_many = relay.publisher.publish_many

    def counted(messages):
        sent.append(sum(1 for m in messages if m.message_id in mine))
        batches.append([m.routing_key for m in messages])
        return publish_many(messages)

    relay.publisher.publish_many = counted

    def emit(n):
        ids = [rpc.service("producer").emit(uscc=random_uscc()) for _ in range(n)]
        mine.update(ids)
        return ids

    first = emit(1)
    relay.publish_pending()  # sent, and came back: the type has no queue
    later = emit(5)
    relay.publish_pending()  # put off until the type's probe, not sent
    assert sum(sent) == 1
    rows = [outbox_rows(databases["producer"], event_id=e)[0] for e in first + later]
    assert {(r.published_at, r.publish_attempts) for r in rows} == {(None, 1)}
    assert len({r.retry_at for r in rows}) == 1  # all wait for the same probe

    declare_consumer_queues(Recorder, rabbit_config["AMQP_URI"])
    eventlet.sleep((rows[0].retry_at - datetime.now(UTC)).total_seconds() + 0.05)
    sent.clear()
    batches.clear()
    relay.publish_pending()  # the probe goes first; once it is in a queue, the rest follow
    # The probe is one event of the type (the oldest due: ours, or one an earlier test left in
    # this database), sent alone; the rest go in the next batch.
    assert batches[0].count("RegistrationRejected") == 1 and sum(sent) == 6
    assert all(outbox_rows(databases["producer"], event_id=e)[0].published_at for e in first + later)
    relay.close()
    engine.dispose()


def test_events_are_numbered_within_their_aggregate(running, rpc, uscc, databases):
    running(Producer)
    other = random_uscc()
    for code in (uscc, other, uscc, uscc):
        rpc.service("producer").emit(uscc=code)
    mine = outbox_rows(databases["producer"], aggregate_id=uscc)
    assert [r.sequence for r in mine] == [1, 2, 3]
    assert [json.loads(r.body)["sequence"] for r in mine] == [1, 2, 3]
    assert [r.sequence for r in outbox_rows(databases["producer"], aggregate_id=other)] == [1]


def test_a_read_model_never_applies_an_older_event_over_a_newer_one(running, rpc, uscc, rabbit_config, projections):
    running(projector("projector_live"), DATABASE_URL=projections["live"], EVENT_CATCH_UP=False)
    newer, older = rejection(uscc, "mismatch"), rejection(uscc, "not_verified")
    newer["sequence"], older["sequence"] = 2, 1
    publish_raw(rabbit_config["AMQP_URI"], newer)
    eventually(lambda: uscc in rpc.service("projector_live").read_model())
    publish_raw(rabbit_config["AMQP_URI"], older)  # overtaken, or replayed
    control = random_uscc()
    publish_raw(rabbit_config["AMQP_URI"], {**rejection(control), "sequence": 1})
    eventually(lambda: control in rpc.service("projector_live").read_model())
    assert rpc.service("projector_live").read_model()[uscc] == ["mismatch", 2]


def test_a_consumer_that_starts_late_catches_up_to_the_same_read_model_as_a_live_one(running, rpc, projections):
    running(Producer)
    running(projector("projector_live"), DATABASE_URL=projections["live"])
    codes = [random_uscc() for _ in range(4)]
    for round_ in range(3):
        for code in codes:
            rpc.service("producer").emit(uscc=code, reason=["not_verified", "mismatch"][(round_ + len(code)) % 2])
    live = eventually(
        lambda: (lambda m: m if all(m.get(c, [0, 0])[1] == 3 for c in codes) else None)(
            rpc.service("projector_live").read_model()
        )
    )
    running(projector("projector_late"), DATABASE_URL=projections["late"])
    late = eventually(
        lambda: (lambda m: m if all(c in m and m[c][1] == 3 for c in codes) else None)(
            rpc.service("projector_late").read_model()
        )
    )
    assert {c: late[c] for c in codes} == {c: live[c] for c in codes}


def test_replaying_the_log_reaches_one_consumer_only(running, rpc, uscc, rabbit_config, projections):
    running(Producer)
    running(projector("projector_live"), DATABASE_URL=projections["live"], EVENT_CATCH_UP=False)
    running(Recorder, EVENT_CATCH_UP=False)
    for _ in range(3):
        rpc.service("producer").emit(uscc=uscc)
    with kombu.Connection(rabbit_config["AMQP_URI"]) as connection:
        probe = kombu.Queue(f"probe-{uuid.uuid4().hex[:6]}", REPLAY_EXCHANGE, routing_key="#", exclusive=True)
        probe(connection.channel()).declare()
        counts = rpc.service("producer").replay_log(to="projector_live")
        assert counts["sent"] >= 3 and counts["not_consumed"] == 0
        keys = []
        channel = connection.channel()
        while (message := channel.basic_get(probe.name, no_ack=True)) is not None:
            keys.append(message.delivery_info["routing_key"])
    assert len(keys) == counts["sent"]
    assert set(keys) == {"projector_live.producer.RegistrationRejected"}
    assert rpc.service("producer").replay_log(to="nobody") == {"sent": 0, "not_consumed": counts["sent"]}


@pytest.mark.parametrize("store", ["postgres", "sqlite"])
def test_a_replay_can_be_limited_by_type_and_time(store, running, rpc, uscc, rabbit_config, tmp_path):
    if store == "sqlite":
        url = f"sqlite:///{tmp_path / 'producer.db'}"
        engine = create_engine(url)
        Producer.db.metadata.create_all(engine)
        engine.dispose()
        running(Producer, DATABASE_URL=url)
    else:
        running(Producer)
    declare_consumer_queues(Recorder, rabbit_config["AMQP_URI"])
    rpc.service("producer").emit(uscc=uscc)
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert rpc.service("producer").replay_log(to="recorder", since=later)["sent"] == 0
    # The same instant written in Beijing time: the zone is honoured, on SQLite too.
    earlier = (datetime.now(UTC) - timedelta(hours=1)).astimezone(timezone(timedelta(hours=8))).isoformat()
    assert rpc.service("producer").replay_log(to="recorder", since=earlier)["sent"] >= 1
    assert rpc.service("producer").replay_log(to="recorder", event_type="AccountCreated")["sent"] == 0
    assert rpc.service("producer").replay_log(to="recorder", event_type="RegistrationRejected")["sent"] >= 1
    with pytest.raises(CatalogueError) as refused:
        rpc.service("producer").replay_log(to="recorder", since="yesterday")
    assert refused.value.code == "VALIDATION_FAILED" and "since" in refused.value.fields


def test_an_event_nobody_consumes_is_let_be_after_its_last_try_and_stays_in_the_log(
    running, rpc, uscc, databases, rabbit_config
):
    from hrss_kit.outbox_relay import OutboxRelay
    from hrss_kit.tables import MAX_UNROUTABLE_ATTEMPTS

    running(Producer, OUTBOX_RELAY=False)
    event_id = rpc.service("producer").emit(uscc=uscc)
    engine = create_engine(databases["producer"])
    relay = OutboxRelay(engine, OUTBOX, rabbit_config["AMQP_URI"])
    for _ in range(MAX_UNROUTABLE_ATTEMPTS):
        retry_now(databases["producer"], event_id)
        relay.publish_pending()
    retry_now(databases["producer"], event_id)
    assert relay.publish_pending() == 0  # no longer taken
    relay.close()
    engine.dispose()
    row = outbox_rows(databases["producer"], event_id=event_id)[0]
    assert row.published_at is None and row.publish_attempts == MAX_UNROUTABLE_ATTEMPTS
    # Still in the log: a consumer that comes later has it replayed.
    declare_consumer_queues(Recorder, rabbit_config["AMQP_URI"])
    assert rpc.service("producer").replay_log(to="recorder")["sent"] >= 1


def test_an_event_from_before_sequences_never_moves_a_read_model_back(running, rpc, uscc, rabbit_config, projections):
    running(projector("projector_live"), DATABASE_URL=projections["live"], EVENT_CATCH_UP=False)
    current = {**rejection(uscc, "mismatch"), "sequence": 1}
    publish_raw(rabbit_config["AMQP_URI"], current)
    eventually(lambda: uscc in rpc.service("projector_live").read_model())
    legacy = rejection(uscc, "not_verified")  # no sequence: written before there were any
    publish_raw(rabbit_config["AMQP_URI"], legacy)
    control = random_uscc()
    publish_raw(rabbit_config["AMQP_URI"], rejection(control))  # legacy, of an unseen aggregate: applied
    eventually(lambda: control in rpc.service("projector_live").read_model())
    assert rpc.service("projector_live").read_model()[uscc] == ["mismatch", 1]


def test_a_handler_added_later_catches_up_although_its_service_did_long_ago(
    container_factory, config_for, rpc, make_database
):
    url = make_database("projection_upgraded")
    engine = create_engine(url)
    projection_metadata.create_all(engine)
    engine.dispose()
    producer = container_factory(Producer, config_for("producer"))
    producer.start()
    first = container_factory(projector("projector_late"), config_for("x", DATABASE_URL=url))
    first.start()
    codes = [random_uscc() for _ in range(3)]
    for code in codes:
        rpc.service("producer").emit(uscc=code)
    eventually(lambda: all(c in rpc.service("projector_late").read_model() for c in codes))
    first.stop()
    # The next release of the service adds a handler of the same events.
    upgraded = projector("projector_late", with_second_handler=True)
    container_factory(upgraded, config_for("x", DATABASE_URL=url)).start()
    eventually(lambda: set(codes) <= set(rpc.service("projector_late").seen_by_second_handler()))


def test_a_publisher_not_running_yet_holds_back_no_other_catch_up(running, rpc, databases, rabbit_config, projections):
    declare_consumer_queues(Recorder, rabbit_config["AMQP_URI"])  # the events are published, to others
    running(Producer)
    codes = [random_uscc() for _ in range(3)]
    events = [rpc.service("producer").emit(uscc=code) for code in codes]
    eventually(lambda: all(outbox_rows(databases["producer"], event_id=e)[0].published_at for e in events))
    # Its first subscription (in the order catch-ups are taken) is of a service not built yet.
    running(projector("projector_waiting", with_absent_publisher=True), DATABASE_URL=projections["late"])
    eventually(lambda: set(codes) <= set(rpc.service("projector_waiting").read_model()))


def test_a_catch_up_reaches_every_handler_of_a_type_though_its_queues_are_declared_one_by_one(
    running, rpc, databases, rabbit_config, projections, monkeypatch
):
    """nameko declares a service's queues one at a time while its catch-up is already asking
    for the replay; the broker calls a replayed event routed once any queue took it. Held
    between the first queue and the second, a catch-up that trusted that left the second
    handler without the log for good (recorded as caught up for both)."""
    get_consumers = QueueConsumer.get_consumers

    def one_queue_then_a_pause(self, consumer_cls, channel):
        made = []

        def consumer(*args, **kwargs):
            if made:
                eventlet.sleep(4)  # past the catch-up's first try and its retry 1 s later
            made.append(consumer_cls(*args, **kwargs))
            return made[-1]

        return get_consumers(self, consumer, channel)

    declare_consumer_queues(Recorder, rabbit_config["AMQP_URI"])  # the events are published, to others
    running(Producer)
    codes = [random_uscc() for _ in range(3)]
    events = [rpc.service("producer").emit(uscc=code) for code in codes]
    eventually(lambda: all(outbox_rows(databases["producer"], event_id=e)[0].published_at for e in events))
    monkeypatch.setattr(QueueConsumer, "get_consumers", one_queue_then_a_pause)
    running(projector("projector_two_queues", with_second_handler=True), DATABASE_URL=projections["late"])
    eventually(lambda: set(codes) <= set(rpc.service("projector_two_queues").read_model()))
    eventually(lambda: set(codes) <= set(rpc.service("projector_two_queues").seen_by_second_handler()))
