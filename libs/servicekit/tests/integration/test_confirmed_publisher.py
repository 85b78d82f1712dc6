"""The relay's publisher writes a batch whole and awaits its confirms together; each event's
outcome (in a queue, or returned because no queue is bound) is still its own."""

import kombu
import pytest

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
