"""The gateway's subscription to identity's announcements: a subscription that goes silent
(a connection dropped without a word) counts as broken within a second of its probes going
unheard, and is made again; one that hears its probes stands."""

from collections import deque
from types import SimpleNamespace

import eventlet
import pytest

from hrss_gateway import notices
from hrss_gateway.notices import IdentityNotices

pytestmark = pytest.mark.unit


class FakeRedis:
    """Publishes to its subscriptions, unless ``silent`` (a connection that died unseen)."""

    def __init__(self, silent):
        self.silent, self.subscriptions = silent, []

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


def running(redis, seconds):
    hub = IdentityNotices()
    hub.client, hub.probe_channel, hub._stopped = redis, "p:gateway-probe:me", False
    listener = Listener()
    hub.listen("p:sessions-ended", listener)
    threads = [eventlet.spawn(hub._listen), eventlet.spawn(hub._probe)]
    eventlet.sleep(seconds)
    redis.publish("p:sessions-ended", "abc")
    eventlet.sleep(0.3)
    hub._stopped = True
    for thread in threads:
        thread.kill()
    return listener.told, redis.subscriptions


def test_a_silent_subscription_is_given_up_within_a_second_and_made_again(monkeypatch):
    monkeypatch.setattr(notices, "RECONNECT_SECONDS", 0.1)
    told, subscriptions = running(FakeRedis(silent=True), notices.STALE_SECONDS + notices.PROBE_SECONDS * 2)
    assert told[:3] == [("resumed",), ("lost",), ("resumed",)]
    assert subscriptions[0].closed and len(subscriptions) >= 2


def test_a_subscription_that_hears_its_probes_stands_and_passes_on_what_it_hears():
    told, subscriptions = running(FakeRedis(silent=False), notices.STALE_SECONDS * 1.5)
    assert told == [("resumed",), ("heard", "abc")] and len(subscriptions) == 1
