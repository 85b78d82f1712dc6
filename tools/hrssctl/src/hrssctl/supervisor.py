"""Keeps a set of processes running: restarts one that dies, with backoff, until told to stop.

The supervisor owns no policy about *what* runs: it is given ``Child`` specs and a ``spawn``
function, and reports what it does through ``say``. Time comes from ``clock`` so the backoff
can be tested without waiting.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


class Process(Protocol):
    """What the supervisor needs of a running child (``subprocess.Popen`` has it)."""

    pid: int

    def poll(self) -> int | None: ...

    def send_signal(self, sig: int) -> None: ...

    def kill(self) -> None: ...


@dataclass(frozen=True)
class Child:
    """One process to keep running: ``name`` (``identity``, ``gateway.2``), its command, its log."""

    name: str
    command: tuple[str, ...]
    log: Path


@dataclass
class Backoff:
    """Delay before the next restart: ``initial`` doubling to ``ceiling``; back to ``initial``
    once a process has stayed up ``stable`` seconds."""

    initial: float = 0.5
    ceiling: float = 30.0
    stable: float = 10.0
    _next: float = field(default=0.0, init=False)

    def after_exit(self, uptime: float) -> float:
        """The delay to wait before restarting a process that ran ``uptime`` seconds."""
        if uptime >= self.stable or self._next == 0.0:
            self._next = self.initial
        delay = self._next
        self._next = min(self._next * 2, self.ceiling)
        return delay


@dataclass
class _Slot:
    child: Child
    backoff: Backoff
    process: Process | None = None
    started_at: float = 0.0
    restart_at: float | None = None  # set while waiting to restart
    restarts: int = 0


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with code {code}"


class Supervisor:
    def __init__(
        self,
        children: list[Child],
        spawn: Callable[[Child], Process],
        say: Callable[[str], None],
        clock: Callable[[], float] = time.monotonic,
        backoff: Callable[[], Backoff] = Backoff,
    ) -> None:
        self._slots = [_Slot(child, backoff()) for child in children]
        self._spawn, self._say, self._clock = spawn, say, clock

    def start(self) -> None:
        for slot in self._slots:
            self._launch(slot)
        self._say("started " + ", ".join(f"{name} (pid {pid})" for name, pid in self.pids().items()))

    def _launch(self, slot: _Slot) -> None:
        slot.process = self._spawn(slot.child)
        slot.started_at = self._clock()
        slot.restart_at = None

    def exited(self) -> list[tuple[Child, int]]:
        """Children that have died since the last look, with their exit codes (not restarted)."""
        dead = []
        for slot in self._slots:
            code = slot.process.poll() if slot.process is not None else None
            if code is not None:
                dead.append((slot.child, code))
        return dead

    def tick(self) -> None:
        """Notice deaths and schedule their restarts; restart those whose delay is over."""
        now = self._clock()
        for slot in self._slots:
            if slot.process is not None and slot.restart_at is None:
                code = slot.process.poll()
                if code is None:
                    continue
                delay = slot.backoff.after_exit(now - slot.started_at)
                slot.restart_at = now + delay
                self._say(
                    f"{slot.child.name} (pid {slot.process.pid}) {describe_exit(code)} after "
                    f"{now - slot.started_at:.1f} s; restarting in {delay:g} s (see {slot.child.log})"
                )
            elif slot.restart_at is not None and now >= slot.restart_at:
                self._launch(slot)
                slot.restarts += 1
                assert slot.process is not None
                self._say(f"{slot.child.name} restarted (pid {slot.process.pid}, restart {slot.restarts})")

    def pids(self) -> dict[str, int]:
        return {s.child.name: s.process.pid for s in self._slots if s.process is not None}

    def stop(self, grace: float, hurry: Callable[[], bool] = lambda: False) -> list[str]:
        """SIGTERM every live child once, SIGKILL those still alive after ``grace`` seconds (or
        at once when ``hurry()`` turns true); returns the names of those killed."""
        live = [s for s in self._slots if s.process is not None and s.process.poll() is None]
        for slot in self._slots:
            slot.restart_at = None
        for slot in live:
            assert slot.process is not None
            slot.process.send_signal(signal.SIGTERM)
        deadline = self._clock() + grace
        while any(s.process.poll() is None for s in live if s.process) and self._clock() < deadline and not hurry():
            time.sleep(0.05)
        stragglers = [s for s in live if s.process is not None and s.process.poll() is None]
        for slot in stragglers:
            assert slot.process is not None
            slot.process.kill()
            self._say(f"{slot.child.name} (pid {slot.process.pid}) did not stop within {grace:g} s; killed")
        reap_until = self._clock() + 1.0  # SIGKILL cannot be refused; collect the exit status
        while any(s.process.poll() is None for s in stragglers if s.process) and self._clock() < reap_until:
            time.sleep(0.01)
        return [s.child.name for s in stragglers]
