"""What keeps a second platform from starting, and what keeps a child from outliving the runner:
real files, sockets and processes."""

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time

import pytest

from hrssctl.guard import AlreadyRunning, RunLock, check_port_free

pytestmark = pytest.mark.integration


def _alive(pid):
    """True while ``pid`` runs (a zombie, dead but not yet reaped, does not count)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_second_lock_on_the_same_var_is_refused_naming_the_holder_and_its_port(tmp_path):
    first, second = RunLock(tmp_path / "run.lock"), RunLock(tmp_path / "run.lock")
    first.acquire(port=18001)
    with pytest.raises(AlreadyRunning, match=f"pid {os.getpid()}, gateway port 18001"):
        second.acquire(port=18002)
    first.release()
    second.acquire(port=18002)
    second.release()


def test_the_lock_of_a_runner_killed_hard_is_free_at_once(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, pathlib; from hrssctl.guard import RunLock; "
            "lock = RunLock(pathlib.Path(sys.argv[1])); lock.acquire(1); print('held', flush=True); time.sleep(60)",
            str(tmp_path / "run.lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(AlreadyRunning):
        RunLock(tmp_path / "run.lock").acquire(2)
    holder.kill()
    holder.wait()
    lock = RunLock(tmp_path / "run.lock")
    lock.acquire(2)
    lock.release()


def test_a_port_a_gateway_listens_on_with_so_reuseport_is_reported_in_use():
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)  # as eventlet.listen does
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with pytest.raises(AlreadyRunning, match=f"port {port} on 127.0.0.1 is already in use"):
            check_port_free("127.0.0.1", port)
    check_port_free("127.0.0.1", port)  # closed: free again


def test_a_child_started_by_the_runner_dies_when_the_runner_is_killed_with_sigkill(tmp_path):
    runner = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
                import time
                from pathlib import Path
                from hrssctl.processes import spawn
                from hrssctl.supervisor import Child
                child = spawn(Child("sleeper", ("sleep", "60"), Path({str(tmp_path / "s.log")!r})), {{}})
                print(child.pid, flush=True)
                time.sleep(60)
            """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    child = int(runner.stdout.readline())
    assert _alive(child)
    runner.send_signal(signal.SIGKILL)
    runner.wait()
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _alive(child)
