"""A service stopped at any moment of its start-up stops, promptly and without an error.

``nameko run`` answers SIGTERM by spawning the container's ``stop`` beside its ``start``; the
runner does that whenever the operator presses Ctrl-C. Each trial here stops a container
just before, or just after, one of its extensions starts, every extension in turn.
"""

import contextlib
import time

import eventlet
import pytest
from kit_test_services import Recorder
from nameko.messaging import QueueConsumerStopped

from hrss_kit.inbox import reliable_handler

pytestmark = pytest.mark.integration

STOP_BOUND = 10.0  # seconds; the runner's bound for a whole platform


class TwoHandlers(Recorder):
    """Two event handlers share one queue consumer: the case that used to raise."""

    name = "recorder"

    @reliable_handler("producer", "EnterpriseRegistered")
    def on_registration(self, session, envelope):
        pass


def _trial(container, target, moment):
    """Start ``container``; stop it ``moment`` ("before"/"after") ``target``'s start."""
    stopped = {}

    def stop():
        try:
            container.stop()
            stopped["error"] = None
        except BaseException as exc:  # noqa: B036 - whatever escapes stop() is the finding
            stopped["error"] = exc

    def fire():
        stopped["thread"] = eventlet.spawn(stop)
        eventlet.sleep(0)  # let it run up to its first wait, as a signal handler's spawn would

    original = target.start

    def start():
        if moment == "before":
            fire()
        original()
        if moment == "after":
            fire()

    target.start = start
    with contextlib.suppress(QueueConsumerStopped):  # nameko's "stopped before it had started"
        container.start()
    if "thread" not in stopped:  # the start failed before reaching the target
        fire()
    return stopped


def _name(extension):
    return f"{type(extension).__name__}:{getattr(extension, 'method_name', '')}"


@pytest.mark.parametrize("service", [Recorder, TwoHandlers], ids=["one-handler", "two-handlers"])
def test_a_container_stopped_at_any_moment_of_its_start_stops_within_the_bound(service, container_factory, config_for):
    config = config_for("recorder")
    names = sorted(_name(e) for e in container_factory(service, config).extensions)
    trials = []
    for name in names:
        for moment in ("before", "after"):
            container = container_factory(service, config)
            [target] = [e for e in container.extensions if _name(e) == name]
            trials.append((f"{moment} {name}", container, eventlet.spawn(_trial, container, target, moment)))

    # The trials run side by side, each must be over within the bound of its own start.
    deadline = time.monotonic() + STOP_BOUND
    failures = []
    for label, container, starter in trials:
        stopped = {}
        with eventlet.Timeout(max(deadline - time.monotonic(), 0.1), False):
            stopped = starter.wait()
            stopped["thread"].wait()
        if "error" not in stopped:
            failures.append(f"{label}: still starting or stopping after {STOP_BOUND:.0f} s")
        elif stopped["error"] is not None:
            failures.append(f"{label}: stop raised {stopped['error']!r}")
        elif not container._died.ready():
            failures.append(f"{label}: stop returned but the container is not stopped")
    assert len(trials) >= 2 * 10
    assert not failures, "\n".join(failures)
