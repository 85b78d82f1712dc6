"""The platform under test: `hrssctl platform run` with replicas, on a vhost, a port and Postgres
databases of its own; which process is which (from the runner's own lines); and, once it has
stopped, the processes it left behind."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

from procs import BIN, ROOT

REPLICAS = "identity=2,enterprise=2,gateway=2"
# "started enterprise.1 (pid 12), …", "identity.2 restarted (pid 40, restart 1)",
# "gateway.1 (pid 13) killed by SIGKILL after 30.2 s; restarting in 0.5 s (see …)"
PID_OF = re.compile(r"([a-z]+(?:\.\d+)?) (?:restarted )?\(pid (\d+)")
DEATH = re.compile(r"([a-z]+(?:\.\d+)?) \(pid (\d+)\) (killed by \w+|exited with code -?\d+) after")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie does not count)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def processes_with_env(marker: str) -> dict[int, str]:
    """pid → command line of every live process whose environment contains ``marker`` (the vhost)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker.encode() in (entry / "environ").read_bytes() and alive(int(entry.name)):
                    found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                continue
    return found


class Stack:
    """One `hrssctl platform run --replicas …`; ``lines`` is its output, each with its time."""

    def __init__(self, env: dict[str, str], var: Path) -> None:
        self.env, self.var = env, var
        self.base_url = f"http://127.0.0.1:{env['GATEWAY_PORT']}"
        self.lines: list[tuple[float, str]] = []
        self.seen: set[int] = set()  # every pid the runner reported
        self.slow_to_stop: list[int] = []  # children still stopping 5 s after the runner's SIGTERM
        self.process = subprocess.Popen(
            [str(BIN / "hrssctl"), "platform", "run", "--root", str(ROOT), "--var", str(var), "--no-demo"]
            + ["--replicas", REPLICAS],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._follow, daemon=True).start()

    def _follow(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.monotonic(), line.rstrip("\n")))
            self.seen.update(int(pid) for _, pid in PID_OF.findall(line))

    def wait_up(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not any("hrss-platform is up" in line for _, line in self.lines):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("faults: the platform did not start:\n" + self.output() + self.log_tails())
            time.sleep(0.2)

    def pid(self, name: str) -> int:
        """The current pid of ``name`` (``identity.1``), from the runner's latest line about it."""
        pids = [int(pid) for _, line in self.lines for n, pid in PID_OF.findall(line) if n == name]
        if not pids:
            raise KeyError(name)
        return pids[-1]

    def deaths(self, since: float, until: float) -> list[str]:
        """ "identity.1 killed by SIGKILL", … as the runner reported them in [since, until)."""
        return [f"{m[1]} {m[3]}" for at, line in self.lines if since <= at < until for m in DEATH.finditer(line)]

    def said_since(self, text: str, since: float) -> float | None:
        return next((at for at, line in self.lines if at >= since and text in line), None)

    def output(self, since: float = 0.0) -> str:
        return "".join(f"  {line}\n" for at, line in self.lines if at >= since)

    def log_tails(self, chars: int = 3000) -> str:
        logs = sorted((self.var / "log").glob("*.log"))
        return "".join(f"--- {p.name}\n{p.read_text(errors='replace')[-chars:]}\n" for p in logs)

    def stop(self, timeout: float = 30) -> tuple[int | None, float]:
        """SIGTERM to the runner as Ctrl-C would; returns its exit code and how long it took."""
        began = time.monotonic()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                # Whoever is still stopping after 5 s logs what each green thread waits for
                # (hrss_kit.debug), before the runner's SIGKILL at 8 s ends it.
                for pid, command in processes_with_env(self.env["AMQP_URI"]).items():
                    with contextlib.suppress(ProcessLookupError):
                        if pid == self.process.pid or "nameko" not in command:
                            continue
                        os.kill(pid, signal.SIGUSR1)
                        self.slow_to_stop.append(pid)
                try:
                    self.process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        return self.process.returncode, time.monotonic() - began

    def left_behind(self, marker: str) -> dict[int, str]:
        """Processes of this platform alive once the runner is gone: every child is started with
        this run's vhost in its environment (a pid the runner had may have been reused since)."""
        deadline = time.monotonic() + 5  # the kernel's SIGKILL on the parent's death is quick
        while (found := processes_with_env(marker)) and time.monotonic() < deadline:
            time.sleep(0.2)
        return found
