"""The relay's publisher when things go wrong: a batch that fails after some confirms still
reports a returned (unroutable) event as returned, not as published; an empty poll needs no
broker."""

import kombu
import pytest
from kit_test_services import producer_metadata
from sqlalchemy import create_engine

from hrss_kit.outbox import OutboxRelay
from hrss_kit.publisher import ConfirmedPublisher, Outgoing
from hrss_kit.topology import event_exchange

pytestmark = pytest.mark.integration

EXCHANGE = event_exchange("producer")


@pytest.fixture
def queue(rabbit_config):
    with kombu.Connection(rabbit_config["AMQP_URI"]) as connection:
        queue = kombu.Queue("publisher-review", EXCHANGE, routing_key="Routed", channel=connection.channel())
        queue.declare()
        yield queue
        queue.delete()


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
