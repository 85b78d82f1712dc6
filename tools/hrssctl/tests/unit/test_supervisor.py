"""The runner's supervisor with fake processes and a fake clock: restarts, backoff, stop."""

import signal
from pathlib import Path

import pytest

from hrssctl.supervisor import Backoff, Child, Supervisor, describe_exit

pytestmark = pytest.mark.unit


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


class FakeProcess:
    """Alive until it dies (``die``), or until it gets a signal it obeys."""

    def __init__(self, pid, obeys_sigterm=True):
        self.pid = pid
        self.obeys_sigterm = obeys_sigterm
        self.code = None
        self.signals = []

    def poll(self):
        return self.code

    def die(self, code=-9):
        self.code = code

    def send_signal(self, sig):
        self.signals.append(sig)
        if sig == signal.SIGTERM and self.obeys_sigterm:
            self.code = 0

    def kill(self):
        self.signals.append(signal.SIGKILL)
        self.code = -9


class Spawner:
    def __init__(self, obeys_sigterm=True):
        self.spawned = []
        self.obeys_sigterm = obeys_sigterm

    def __call__(self, child):
        process = FakeProcess(100 + len(self.spawned), self.obeys_sigterm)
        self.spawned.append((child.name, process))
        return process

    def latest(self, name):
        return [p for n, p in self.spawned if n == name][-1]


def make(names=("identity", "gateway"), obeys_sigterm=True, clock=None):
    clock = clock or FakeClock()
    spawner, said = Spawner(obeys_sigterm), []
    children = [Child(n, ("nameko", "run", n), Path(f"/var/log/{n}.log")) for n in names]
    supervisor = Supervisor(children, spawner, said.append, clock=clock)
    supervisor.start()
    return supervisor, spawner, said, clock


def test_the_backoff_doubles_from_half_a_second_to_thirty_and_resets_after_a_stable_run():
    backoff = Backoff()
    assert [backoff.after_exit(uptime=1) for _ in range(9)] == [0.5, 1, 2, 4, 8, 16, 30, 30, 30]
    assert backoff.after_exit(uptime=10) == 0.5
    assert backoff.after_exit(uptime=0.1) == 1


def test_a_dead_child_is_restarted_after_the_delay_and_not_before():
    supervisor, spawner, said, clock = make()
    first = spawner.latest("identity")
    clock.advance(3)
    first.die(-9)
    supervisor.tick()
    assert "identity (pid 100) killed by SIGKILL after 3.0 s; restarting in 0.5 s" in said[-1]
    clock.advance(0.4)
    supervisor.tick()
    assert spawner.latest("identity") is first
    clock.advance(0.1)
    supervisor.tick()
    second = spawner.latest("identity")
    assert second is not first and second.poll() is None
    assert said[-1] == "identity restarted (pid 102, restart 1)"
    assert spawner.latest("gateway").pid == 101  # the others untouched


def test_a_child_that_keeps_dying_waits_longer_each_time_up_to_the_ceiling():
    supervisor, spawner, said, clock = make(names=("identity",))
    delays = []
    for _ in range(8):
        spawner.latest("identity").die(1)
        supervisor.tick()
        delays.append(float(said[-1].split("restarting in ")[1].split(" s")[0]))
        clock.advance(delays[-1])
        supervisor.tick()
    assert delays == [0.5, 1, 2, 4, 8, 16, 30, 30]
    clock.advance(60)  # up for a minute: the next death starts again at half a second
    spawner.latest("identity").die(1)
    supervisor.tick()
    assert "restarting in 0.5 s" in said[-1]


def test_stop_sends_one_sigterm_to_each_live_child_and_restarts_nothing():
    supervisor, spawner, said, clock = make()
    spawner.latest("identity").die(-9)
    supervisor.tick()  # a restart is pending
    assert supervisor.stop(grace=8) == []
    assert spawner.latest("gateway").signals == [signal.SIGTERM]
    assert spawner.latest("identity").signals == []  # already dead: not signalled
    clock.advance(60)
    supervisor.tick()
    assert len(spawner.spawned) == 2


def test_a_child_that_ignores_sigterm_is_killed_when_the_grace_is_over():
    clock = FakeClock()
    supervisor, spawner, said, _ = make(obeys_sigterm=False, clock=clock)
    hurried = iter([False, False, True])
    assert supervisor.stop(grace=8, hurry=lambda: next(hurried)) == ["identity", "gateway"]
    assert spawner.latest("identity").signals == [signal.SIGTERM, signal.SIGKILL]
    assert "identity (pid 100) did not stop within 8 s; killed" in said


def test_exits_name_the_signal_or_the_code():
    assert describe_exit(-9) == "killed by SIGKILL"
    assert describe_exit(-15) == "killed by SIGTERM"
    assert describe_exit(3) == "exited with code 3"
