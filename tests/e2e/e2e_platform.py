"""The platform as `make run` starts it (hrssctl platform run), on a vhost, a port and databases
of its own: started by the end-to-end tests and by the browser tests."""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
RABBIT_API = os.environ.get("HRSS_TEST_RABBIT_API", "http://127.0.0.1:15672/api")
AMQP_BASE = os.environ.get("HRSS_TEST_AMQP_BASE", "amqp://guest:guest@127.0.0.1:5672")


def rabbit_api(method, path, body=None):
    response = requests.request(method, f"{RABBIT_API}{path}", auth=("guest", "guest"), json=body, timeout=10)
    response.raise_for_status()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Platform:
    base_url: str
    env: dict
    events: list = field(default_factory=list)
    var: Path | None = None

    def post(self, path, body=None, data=None, headers=None):
        return requests.post(f"{self.base_url}{path}", json=body, data=data, headers=headers, timeout=30)

    def get(self, path):
        return requests.get(f"{self.base_url}{path}", timeout=30)

    def hrssctl(self, *args, stdin=None):
        return subprocess.run(
            [str(BIN / "hrssctl"), *args], env=self.env, capture_output=True, text=True, input=stdin, timeout=120
        )

    def events_about(self, aggregate_id, event_type, timeout=10.0):
        """Lines of ``hrssctl events tail`` about ``aggregate_id`` (waits for the first)."""
        line = self.wait_for_event(lambda e: f"aggregate={aggregate_id} " in e and f" {event_type} " in e, timeout)
        return [line] if line else []

    def wait_for_event(self, matches, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [e for e in self.events if matches(e)]
            if found:
                return found[0]
            time.sleep(0.05)
        return None


def _follow(process, sink):
    for line in process.stdout:
        sink.append(line.rstrip("\n"))


@contextlib.contextmanager
def running_platform(store, make_database, var, settings=None):
    """The platform on SQLite files (``store`` "sqlite", the runner's default) or Postgres, its
    runner's files in ``var``; its events followed (``Platform.events``). ``settings``: more of
    its environment (``RATE_LIMIT_POSTS``, say)."""
    vhost = f"hrss_e2e_{uuid.uuid4().hex[:8]}"
    rabbit_api("PUT", f"/vhosts/{vhost}", {})
    rabbit_api("PUT", f"/permissions/{vhost}/guest", {"configure": ".*", "write": ".*", "read": ".*"})
    port = free_port()
    env = {
        **os.environ,
        "AMQP_URI": f"{AMQP_BASE}/{vhost}",
        "GATEWAY_PORT": str(port),
        "REDIS_URL": "redis://127.0.0.1:6379/14",
        "PYTHONWARNINGS": "ignore",
        **(settings or {}),
    }
    if store == "postgres":
        env["ENTERPRISE_DATABASE_URL"] = make_database("e2e_enterprise")
        env["IDENTITY_DATABASE_URL"] = make_database("e2e_identity")
        env["AUTHORIZATION_DATABASE_URL"] = make_database("e2e_authorization")
        env["BUSINESS_DATABASE_URL"] = make_database("e2e_business")
    else:
        for name in ("ENTERPRISE", "IDENTITY", "AUTHORIZATION", "BUSINESS"):
            env.pop(f"{name}_DATABASE_URL", None)
    env["ESSC_DEV_KEY_DIR"] = str(var / "essc")  # where identity makes the key `hrssctl essc` signs with
    process = subprocess.Popen(
        [str(BIN / "hrssctl"), "platform", "run", "--root", str(ROOT), "--var", str(var)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = []
    threading.Thread(target=_follow, args=(process, output), daemon=True).start()
    tail = None
    try:
        deadline = time.monotonic() + 90
        while not any("hrss-platform is up" in line for line in output):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                logs = "\n".join(p.read_text()[-3000:] for p in (var / "log").glob("*.log"))
                pytest.fail("platform did not start:\n" + "\n".join(output) + "\n" + logs)
            time.sleep(0.1)
        platform = Platform(f"http://127.0.0.1:{port}", env, var=var)
        tail = subprocess.Popen(
            [str(BIN / "hrssctl"), "events", "tail"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        threading.Thread(target=_follow, args=(tail, platform.events), daemon=True).start()
        time.sleep(1.0)  # the tail's queue is bound
        yield platform
    finally:
        if tail is not None:
            tail.terminate()
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        rabbit_api("DELETE", f"/vhosts/{vhost}")
