"""A bare kombu RPC echo server: the floor any RPC stack on this broker is compared with."""

import sys

import kombu
from kombu import Exchange, Queue

EXCHANGE = Exchange("raw-echo", type="direct", durable=False, auto_delete=True)


def serve(amqp_uri):
    with kombu.Connection(amqp_uri) as connection:
        producer = connection.Producer()
        queue = Queue("raw-echo", exchange=EXCHANGE, routing_key="echo", auto_delete=True)

        def on_request(body, message):
            producer.publish(
                body,
                routing_key=message.properties["reply_to"],
                correlation_id=message.properties["correlation_id"],
                serializer="json",
            )
            message.ack()

        with connection.Consumer([queue], callbacks=[on_request], accept=["json"]):
            while True:
                connection.drain_events()


if __name__ == "__main__":
    serve(sys.argv[1])
