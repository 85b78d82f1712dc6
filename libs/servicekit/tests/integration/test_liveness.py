"""A caller with the liveness watch fails fast on a service that is down, and only then: a
service whose pings wait behind real work, but which keeps answering, is busy, not dead."""

import time

import eventlet
import pytest
from kit_test_services import Sleeper, Watcher

from hrss_contracts.errors import CatalogueError
from hrss_kit.rpc import RpcTimeout
from hrss_kit.rpc_client import StandaloneRpc

pytestmark = pytest.mark.integration


class PingingSleeper(Sleeper):
    """The sleeper with the ping every service has (``OperationsMixin`` needs a database)."""

    from hrss_kit.rpc import rpc

    @rpc
    def ping(self) -> str:
        return "ok"


def test_a_busy_service_that_keeps_answering_is_not_taken_for_dead(container_factory, config_for, rabbit_config):
    container_factory(PingingSleeper, config_for("sleeper", max_workers=2)).start()
    container_factory(Watcher, config_for("watcher")).start()
    eventlet.sleep(1.5)  # the watch has pinged once

    def nap():
        with StandaloneRpc(rabbit_config["AMQP_URI"], timeout=20) as client:  # one reader per client
            return client.service("watcher").call_nap(seconds=1.0)

    calls = [eventlet.spawn(nap) for _ in range(8)]
    # Four seconds of backlog behind two workers: pings time out, yet answers keep coming.
    assert [call.wait() for call in calls] == ["rested"] * 8


def test_calls_to_a_service_that_went_quiet_fail_at_once(container_factory, config_for, rpc):
    sleeper = container_factory(PingingSleeper, config_for("sleeper"))
    sleeper.start()
    container_factory(Watcher, config_for("watcher")).start()
    assert rpc.service("watcher").call_nap(seconds=0) == "rested"
    sleeper.kill()  # its queue stays: a plain call would wait its whole 10 s
    eventlet.sleep(5.5)  # a ping unanswered, and nothing heard for QUIET_FOR
    started = time.monotonic()
    with pytest.raises(CatalogueError) as refused:
        rpc.service("watcher", timeout=20).call_nap(seconds=0)
    assert refused.value.code == RpcTimeout().code == "SERVICE_UNAVAILABLE"
    assert time.monotonic() - started < 1
