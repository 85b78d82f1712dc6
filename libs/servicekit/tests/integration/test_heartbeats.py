"""A broker that vanishes without a word (its host died, a network dropped the packets) is
noticed within two heartbeats on every kit connection, which then reconnects by itself."""

import time

import pytest
from kit_test_services import Caller, Sleeper
from silent_proxy import SilentProxy

from hrss_kit.publisher import ConfirmedPublisher
from hrss_kit.topology import event_exchange

pytestmark = pytest.mark.integration

HEARTBEAT = 1.0  # seconds; two of them, plus a second of slack, bound each detection


@pytest.fixture
def proxy():
    proxy = SilentProxy()
    yield proxy
    proxy.close()


def seconds_until(check, limit):
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < limit, "not noticed in time"
        time.sleep(0.05)
    return time.monotonic() - start


def test_the_event_publisher_notices_a_silent_broker_and_reconnects(proxy, rabbit_config):
    publisher = ConfirmedPublisher(proxy.uri(rabbit_config["AMQP_URI"]), heartbeat=HEARTBEAT)
    with pytest.raises(Exception, match="producer"):  # connects; nobody consumes, so it is returned
        publisher.publish("{}", event_exchange("producer"), "producer", "m1")
    publisher._ensure_channel()
    proxy.silence()

    def noticed():
        publisher.keep_alive()
        return publisher._connection is None

    assert seconds_until(noticed, 2 * HEARTBEAT + 1.5) <= 2 * HEARTBEAT + 1.5
    publisher._ensure_channel()  # a new connection through the proxy works
    publisher.close()


def test_an_rpc_server_on_a_silent_connection_reconnects_and_answers_again(
    container_factory, config_for, rpc, rabbit_config, proxy, caplog
):
    uri = proxy.uri(rabbit_config["AMQP_URI"])
    container_factory(Sleeper, config_for("sleeper", AMQP_URI=uri, HEARTBEAT=HEARTBEAT)).start()
    assert rpc.service("sleeper").quick() == "quick"
    proxy.silence()
    seconds_until(lambda: "RPC server connection lost" in caplog.text, 2 * HEARTBEAT + 1.5)
    assert rpc.service("sleeper", timeout=10).quick() == "quick"


def test_an_rpc_client_on_a_silent_connection_reconnects_and_calls_again(
    container_factory, config_for, rpc, rabbit_config, proxy, caplog
):
    container_factory(Sleeper, config_for("sleeper")).start()
    uri = proxy.uri(rabbit_config["AMQP_URI"])
    container_factory(Caller, config_for("caller", AMQP_URI=uri, HEARTBEAT=HEARTBEAT)).start()
    assert rpc.service("caller").call_nap(seconds=0) == "rested"
    proxy.silence()
    seconds_until(lambda: "reply connection lost" in caplog.text, 2 * HEARTBEAT + 1.5)

    def answers():
        try:
            return rpc.service("caller", timeout=3).call_nap(seconds=0) == "rested"
        except Exception:
            return False

    seconds_until(answers, 15)
