"""Found by `make faults` (RabbitMQ stop_app under load): an event handler that finished just as
the broker went away had its ack fail with a socket error, which nameko 2.14 does not catch
(it catches amqp's ConnectionError), and the whole service process exited. The kit's queue
consumer lets such an ack or requeue go: the broker delivers the message again."""

import pytest

from hrss_kit.queue_consumer import QueueConsumer

pytestmark = pytest.mark.unit


class Channel:
    connection = object()  # the consumer has not noticed the loss yet: the connection looks alive


class MessageOnADeadSocket:
    channel = Channel()

    def __init__(self):
        self.tried = []

    def ack(self):
        self.tried.append("ack")
        raise ConnectionResetError(104, "Connection reset by peer")

    def requeue(self):
        self.tried.append("requeue")
        raise BrokenPipeError(32, "Broken pipe")


def test_an_ack_or_requeue_on_a_connection_the_broker_dropped_does_not_raise():
    message = MessageOnADeadSocket()
    consumer = QueueConsumer()
    consumer.ack_message(message)
    consumer.requeue_message(message)
    assert message.tried == ["ack", "requeue"]


def test_other_errors_still_surface():
    class Broken(MessageOnADeadSocket):
        def ack(self):
            raise ValueError("not a connection problem")

    with pytest.raises(ValueError):
        QueueConsumer().ack_message(Broken())
