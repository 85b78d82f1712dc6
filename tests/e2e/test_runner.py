"""`hrssctl platform run` as a supervisor: replicas, restarts, refusal of a second run, and no
process left behind however the runner ends. Real processes; SQLite and no demo data, as
the point is the runner."""

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
HRSSCTL = str(Path(sys.executable).parent / "hrssctl")
REPLICAS = "identity=2,enterprise=2,gateway=2"
STOP_BOUND = 10.0  # seconds: the bound for stopping every process


def alive(pid):
    """True while ``pid`` runs (a zombie, dead but not yet reaped, does not count)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def children_of(pid):
    """pid → command line of every live process whose parent is ``pid``."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found[int(entry.name)] = command
    return found


def wait_until(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"not within {timeout} s: {what}")


class Runner:
    def __init__(self, env, var, *args):
        self.env, self.var = env, var
        self.base_url = f"http://127.0.0.1:{env['GATEWAY_PORT']}"
        self.process = subprocess.Popen(
            [HRSSCTL, "platform", "run", "--root", str(ROOT), "--var", str(var), "--no-demo", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output = []
        threading.Thread(target=self._follow, daemon=True).start()

    def _follow(self):
        for line in self.process.stdout:
            self.output.append(line.rstrip("\n"))

    def line(self, text, timeout=60):
        """The first output line containing ``text`` (waits for it)."""

        def found():
            if self.process.poll() is not None and not any(text in line for line in self.output):
                logs = "\n".join(p.read_text()[-2000:] for p in (self.var / "log").glob("*.log"))
                pytest.fail(f"the runner ended without saying {text!r}:\n" + "\n".join(self.output) + "\n" + logs)
            return next((line for line in self.output if text in line), None)

        return wait_until(found, timeout, f"the runner says {text!r}\n" + "\n".join(self.output))

    def healthy(self):
        try:
            return requests.get(f"{self.base_url}/healthz", timeout=2).json()["status"] == "ok"
        except (requests.RequestException, ValueError):
            return False

    def children(self):
        return children_of(self.process.pid)

    def end(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture(scope="module")
def replicated(runner_env, tmp_path_factory):
    runner = Runner(runner_env(), tmp_path_factory.mktemp("var-replicas"), "--replicas", REPLICAS)
    runner.line("hrss-platform is up", timeout=90)
    yield runner
    runner.end()


def test_replicas_run_as_processes_of_their_own_and_the_gateway_answers(replicated):
    started = replicated.line("started ")
    for name in ("enterprise.1", "enterprise.2", "identity.1", "identity.2", "gateway.1", "gateway.2"):
        assert f"{name} (pid " in started
    commands = list(replicated.children().values())
    assert sum("IdentityService" in c for c in commands) == 2
    assert sum("EnterpriseService" in c for c in commands) == 2
    assert sum("GatewayService" in c for c in commands) == 2
    assert sum("AuthorizationService" in c for c in commands) == 1
    assert sum("BusinessService" in c for c in commands) == 1
    assert len(commands) == 8  # nameko run starts no processes of its own
    assert all(replicated.healthy() for _ in range(10))


def test_a_second_run_is_refused_at_once_naming_the_port_and_the_first_runs_on(replicated, tmp_path):
    before = replicated.children()
    port = replicated.env["GATEWAY_PORT"]
    for var in (replicated.var, tmp_path):  # same files (the lock), other files (the port)
        began = time.monotonic()
        second = subprocess.run(
            [HRSSCTL, "platform", "run", "--root", str(ROOT), "--var", str(var), "--no-demo"],
            env=replicated.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode == 1
        assert f"port {port}" in second.stderr
        assert time.monotonic() - began < 5
    assert not (tmp_path / "log").exists()  # nothing was started
    assert replicated.children() == before
    assert replicated.healthy()


def test_services_killed_with_sigkill_are_restarted_and_a_gateway_replica_takes_over_the_port(replicated):
    identities = [pid for pid, command in replicated.children().items() if "IdentityService" in command]
    gateway = next(pid for pid, command in replicated.children().items() if "GatewayService" in command)
    for pid in [*identities, gateway]:
        subprocess.run(["kill", "-KILL", str(pid)], check=True)
    gateway_name = replicated.line(f"(pid {gateway}) killed by SIGKILL").split("hrssctl: ")[1].split()[0]
    # Its twin listens on the same port and answers before the killed gateway is even restarted.
    assert requests.get(f"{replicated.base_url}/api/v1/openapi.json", timeout=5).status_code == 200
    assert not any(f"{gateway_name} restarted" in line for line in replicated.output)
    for pid in identities:
        replicated.line(f"(pid {pid}) killed by SIGKILL")
    restarted = [replicated.line(f"{name} restarted (pid ") for name in ("identity.1", "identity.2", gateway_name)]
    wait_until(replicated.healthy, 30, "healthy again after the restarts")
    new_identities = [pid for pid, command in replicated.children().items() if "IdentityService" in command]
    assert len(new_identities) == 2 and not set(new_identities) & set(identities)
    assert all(f"(pid {pid}," in " ".join(restarted) for pid in new_identities)
    assert replicated.process.poll() is None


def test_no_process_outlives_a_runner_killed_with_sigkill(replicated):
    children = replicated.children()
    assert len(children) == 8
    replicated.process.send_signal(signal.SIGKILL)
    replicated.process.wait()
    wait_until(lambda: not any(alive(pid) for pid in children), 5, "every child gone after the runner's SIGKILL")


@pytest.mark.parametrize(
    ("stop_signal", "delay"),
    [(signal.SIGTERM, 0.0), (signal.SIGINT, 1.0)],
    ids=["sigterm-as-children-start", "ctrl-c-while-they-connect"],
)
def test_a_stop_signal_during_start_up_stops_every_process_within_ten_seconds(stop_signal, delay, runner_env, tmp_path):
    runner = Runner(runner_env(), tmp_path)
    try:
        children = wait_until(lambda: len(runner.children()) == 5 and runner.children(), 60, "five children")
        time.sleep(delay)
        assert not any("hrss-platform is up" in line for line in runner.output), "start-up was over already"
        runner.process.send_signal(stop_signal)
        began = time.monotonic()
        runner.process.wait(timeout=STOP_BOUND + 5)
        assert time.monotonic() - began < STOP_BOUND
        assert runner.process.returncode == 0
        assert not any(alive(pid) for pid in children)
    finally:
        runner.end()
