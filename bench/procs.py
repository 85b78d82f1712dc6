"""Helpers for the benchmarks: processes, CPU time, wrk, a vhost and databases of their own."""

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg2
import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RABBIT_API = "http://127.0.0.1:15672/api"
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
TICKS = os.sysconf("SC_CLK_TCK")


def scaled(default):
    """A run's length (seconds, calls, events): ``default`` times ``BENCH_SCALE`` (e.g. 0.2 for
    a quick check of the scripts; figures from such a run are not comparable)."""
    return max(1, round(default * float(os.environ.get("BENCH_SCALE", "1"))))


class Vhost:
    def __init__(self):
        self.name = f"hrss_bench_{uuid.uuid4().hex[:8]}"
        self.uri = f"amqp://guest:guest@127.0.0.1:5672/{self.name}"

    def __enter__(self):
        auth = ("guest", "guest")
        requests.put(f"{RABBIT_API}/vhosts/{self.name}", json={}, auth=auth, timeout=10).raise_for_status()
        requests.put(
            f"{RABBIT_API}/permissions/{self.name}/guest",
            json={"configure": ".*", "write": ".*", "read": ".*"},
            auth=auth,
            timeout=10,
        ).raise_for_status()
        return self

    def __exit__(self, *_):
        # The broker may be restarting (the fault benchmarks restart it): wait a little for it,
        # and never let a vhost left behind hide what ended the benchmark.
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.delete(f"{RABBIT_API}/vhosts/{self.name}", auth=("guest", "guest"), timeout=30)
                return
            except requests.RequestException as exc:
                if time.monotonic() > deadline:
                    print(f"bench: vhost {self.name} left behind ({exc})", file=sys.stderr)
                    return
                time.sleep(1)

    def heartbeats(self, expected, patience=15):
        """The heartbeat (s) each open AMQP connection of this vhost negotiated (0: none), once
        ``expected`` connections are listed (the management API lists them a few seconds late)."""
        deadline = time.monotonic() + patience
        while True:
            response = requests.get(f"{RABBIT_API}/connections", auth=("guest", "guest"), timeout=10)
            response.raise_for_status()
            beats = [c.get("timeout", 0) for c in response.json() if c.get("vhost") == self.name]
            if len(beats) >= expected or time.monotonic() > deadline:
                return beats
            time.sleep(0.5)


class Databases:
    """Postgres databases created for one benchmark and dropped after it."""

    def __init__(self, *labels):
        self.names = {label: f"hrss_bench_{label}_{uuid.uuid4().hex[:6]}" for label in labels}
        self.urls = {label: f"postgresql+psycopg2://postgres@127.0.0.1:5432/{n}" for label, n in self.names.items()}

    def _admin(self, sql, patience=30):
        # Postgres is shared: when every connection slot is taken, wait for one to free up.
        deadline = time.monotonic() + patience
        while True:
            try:
                conn = psycopg2.connect(PG_ADMIN)
                break
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql)
        conn.close()

    def __enter__(self):
        for name in self.names.values():
            self._admin(f'CREATE DATABASE "{name}"')
        return self

    def __exit__(self, *_):
        for name in self.names.values():
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def write_config(path, amqp_uri, **extra):
    lines = [f"AMQP_URI: {amqp_uri}", "LOGGING: {version: 1, root: {level: WARNING}}"]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


class Service:
    """``nameko run`` of one service class in its own process; its output goes to a log file
    beside its config (a pipe nobody reads would stall the service once full)."""

    def __init__(self, target, config, env=None):
        self.log = Path(config).with_suffix(".log")
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(BIN / "nameko"), "run", "--config", str(config), target],
                cwd=ROOT,
                env={**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONPATH": str(ROOT / "bench"), **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def cpu_seconds(self):
        return cpu_seconds(self.process.pid)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def broker_pid():
    out = subprocess.run(["pgrep", "-f", "beam.smp"], capture_output=True, text=True).stdout.split()
    return int(out[0]) if out else None


def wait_http(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def wrk(url, connections, seconds=10, script=None, args=()):
    """Runs wrk; returns (requests per second, p99 ms, non-2xx count, raw output)."""
    # One wrk thread: it keeps up with these rates and leaves the CPU to what is measured.
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    command += [url, *(["--", *args] if args else [])]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(p99.group(1)) * scale, int(bad.group(1)) if bad else 0, out
