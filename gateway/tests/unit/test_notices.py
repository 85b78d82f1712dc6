"""The gateway's subscription to identity's announcements: a subscription that goes silent
(a connection dropped without a word) counts as broken within a second of its probes going
unheard, and is made again; one that hears its probes stands."""

import contextlib
from collections import deque
from types import SimpleNamespace

import eventlet
import pytest

from hrss_gateway import notices
from hrss_gateway.notices import IdentityNotices

pytestmark = pytest.mark.unit


class FakeRedis:
    """Publishes to its subscriptions, unless ``silent`` (a connection that died unseen); with
    ``refusing``, publishing fails (a user without PUBLISH, a Redis out of reach)."""

    def __init__(self, silent=False, refusing=False):
        self.silent, self.refusing, self.subscriptions = silent, refusing, []

    def pubsub(self, ignore_subscribe_messages):
        subscription = SimpleNamespace(channels=(), inbox=deque(), closed=False)
        subscription.subscribe = lambda *channels: setattr(subscription, "channels", channels)
        subscription.close = lambda: setattr(subscription, "closed", True)

        def get_message(timeout):
            if not subscription.inbox:
                eventlet.sleep(timeout)
            return subscription.inbox.popleft() if subscription.inbox else None

        subscription.get_message = get_message
        self.subscriptions.append(subscription)
        return subscription

    def publish(self, channel, message):
        if self.refusing:
            raise ConnectionError("NOPERM")
        for subscription in self.subscriptions:
            if not self.silent and not subscription.closed and channel in subscription.channels:
                subscription.inbox.append({"channel": channel, "data": message})


class Listener:
    def __init__(self):
        self.told = []

    def heard(self, message):
        self.told.append(("heard", message))

    def lost(self):
        self.told.append(("lost",))

    def resumed(self):
        self.told.append(("resumed",))


def running(redis, seconds, stall=0.0):
    hub = IdentityNotices()
    hub.client, hub.probe_channel, hub._stopped = redis, "p:gateway-probe:me", False
    hub.sent_at, hub.failing = 0.0, False
    listener = Listener()
    hub.listen("p:sessions-ended", listener)
    threads = [eventlet.spawn(hub._listen), eventlet.spawn(hub._probe)]
    eventlet.sleep(seconds)
    if stall:  # the whole process stops (a long CPU-bound call), timers and all
        eventlet.patcher.original("time").sleep(stall)
        eventlet.sleep(notices.PROBE_SECONDS * 2)
    with contextlib.suppress(ConnectionError):
        redis.publish("p:sessions-ended", "abc")
    eventlet.sleep(0.3)
    hub._stopped = True
    for thread in threads:
        thread.kill()
    return listener.told, redis.subscriptions


def test_a_silent_subscription_is_given_up_within_a_second_and_made_again(monkeypatch):
    monkeypatch.setattr(notices, "RECONNECT_SECONDS", 0.1)
    told, subscriptions = running(FakeRedis(silent=True), notices.STALE_SECONDS + notices.PROBE_SECONDS * 3)
    assert ("lost",) in told and ("resumed",) not in told  # never known to work, then given up
    assert subscriptions[0].closed and len(subscriptions) >= 2


def test_probes_that_cannot_be_sent_break_the_subscription(monkeypatch):
    monkeypatch.setattr(notices, "RECONNECT_SECONDS", 0.1)
    told, subscriptions = running(FakeRedis(refusing=True), notices.PROBE_SECONDS * 3)
    assert told and set(told) == {("lost",)} and subscriptions[0].closed


def test_a_subscription_that_hears_its_probes_stands_and_passes_on_what_it_hears():
    told, subscriptions = running(FakeRedis(), notices.STALE_SECONDS * 1.5)
    assert told == [("resumed",), ("heard", "abc")] and len(subscriptions) == 1


def test_a_process_that_stalled_keeps_its_subscription():
    told, subscriptions = running(FakeRedis(), notices.PROBE_SECONDS * 2, stall=notices.STALE_SECONDS * 1.5)
    assert told == [("resumed",), ("heard", "abc")] and len(subscriptions) == 1
