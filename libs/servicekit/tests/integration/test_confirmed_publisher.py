"""The relay's publisher writes a batch whole and awaits its confirms together; each event's
outcome (in a queue, or returned because no queue is bound) is still its own, also when the
connection fails part-way; an empty poll needs no broker."""

import kombu
import pytest
from kit_test_services import producer_metadata
from sqlalchemy import create_engine

from hrss_kit.outbox_relay import OutboxRelay
from hrss_kit.publisher import ConfirmedPublisher, Outgoing, Unroutable
from hrss_kit.topology import event_exchange

pytestmark = pytest.mark.integration

EXCHANGE = event_exchange("producer")


@pytest.fixture
def queue(rabbit_config):
    """A queue that takes the producer's ``Routed`` events only."""
    with kombu.Connection(rabbit_config["AMQP_URI"]) as connection:
        queue = kombu.Queue("publisher-test", EXCHANGE, routing_key="Routed", channel=connection.channel())
        queue.declare()
        yield queue


def batch(first, n):
    """``n`` events, every other one of a type nobody consumes."""
    return [
        Outgoing(f'{{"n": {k}}}', EXCHANGE, "Routed" if k % 2 == 0 else "Nobody", f"m{k}")
        for k in range(first, first + n)
    ]


def received(queue):
    ids = []
    while (message := queue.get(no_ack=True)) is not None:
        ids.append(message.properties["message_id"])
    return ids


def test_each_event_of_a_batch_has_its_own_outcome(rabbit_config, queue):
    publisher = ConfirmedPublisher(rabbit_config["AMQP_URI"])
    try:
        outcome = publisher.publish_many(batch(0, 50))
    finally:
        publisher.close()
    assert outcome == {f"m{k}": k % 2 == 0 for k in range(50)}
    assert received(queue) == [f"m{k}" for k in range(0, 50, 2)]


def test_batches_after_batches_and_after_a_lost_connection_are_confirmed_in_full(rabbit_config, queue):
    publisher = ConfirmedPublisher(rabbit_config["AMQP_URI"])
    try:
        first = publisher.publish_many(batch(0, 10))
        second = publisher.publish_many(batch(10, 10))  # delivery tags go on from 11
        publisher.close(handshake=False)  # a new channel numbers its publishes from 1 again
        third = publisher.publish_many(batch(20, 10))
    finally:
        publisher.close()
    assert {**first, **second, **third} == {f"m{k}": k % 2 == 0 for k in range(30)}
    assert received(queue) == [f"m{k}" for k in range(0, 30, 2)]


def test_a_single_event_nobody_consumes_is_unroutable(rabbit_config, queue):
    publisher = ConfirmedPublisher(rabbit_config["AMQP_URI"])
    try:
        publisher.publish("{}", EXCHANGE, "Routed", "kept")
        with pytest.raises(Unroutable, match="Nobody"):
            publisher.publish("{}", EXCHANGE, "Nobody", "returned")
    finally:
        publisher.close()
    assert received(queue) == ["kept"]


# when things go wrong


def test_a_returned_event_confirmed_before_the_connection_dropped_is_not_published(rabbit_config, queue, monkeypatch):
    publisher = ConfirmedPublisher(rabbit_config["AMQP_URI"])
    real = ConfirmedPublisher._await_confirms

    def drop_after_first_confirm(self):
        # the broker confirms the first event (returned: nobody consumes it), then the link goes
        while "nobody" not in self._acked:
            self._connection.drain_events(timeout=5)
        raise ConnectionResetError("link lost mid-batch")

    monkeypatch.setattr(ConfirmedPublisher, "_await_confirms", drop_after_first_confirm)
    try:
        outcome = publisher.publish_many(
            [Outgoing("{}", EXCHANGE, "Nobody", "nobody")]
            + [Outgoing("{}", EXCHANGE, "Routed", f"r{k}") for k in range(20)]
        )
    finally:
        monkeypatch.setattr(ConfirmedPublisher, "_await_confirms", real)
        publisher.close()
    assert outcome.get("nobody") is False, f"the returned event is reported as {outcome.get('nobody')}"


def test_a_relay_with_nothing_to_publish_does_not_need_the_broker():
    """Else, with the broker down, every idle poll would fail and be logged as a relay failure."""
    engine = create_engine("sqlite://")
    producer_metadata.create_all(engine)
    relay = OutboxRelay(engine, producer_metadata.tables["outbox"], "amqp://guest:guest@127.0.0.1:1//")
    try:
        assert relay.publish_pending() == 0
    finally:
        relay.close()
