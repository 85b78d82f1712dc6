"""The platform as `hrssctl platform run` starts it (Postgres databases), for a benchmark: a
vhost, databases, a gateway port, a log directory and a rate-limit prefix of its own, and as
many replicas of each process as asked. The enterprise-pension source is loaded with the
enterprises the benchmark will register, so every registration is a full success path:
gateway → identity → enterprise (three-source check, enterprise, units, relations, outbox) →
account, and the EnterpriseRegistered event back to identity."""

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import requests
from procs import BIN, RABBIT_API, ROOT, Databases, Vhost, broker_pid, cpu_seconds, wait_http

from hrss_contracts.examples import random_id_number, random_uscc

NAMES = ("enterprise", "identity", "authorization", "business", "gateway")


def enterprises(n):
    """``n`` enterprises the pension source knows, each with a different code."""
    for k in range(n):
        yield {
            "uscc": random_uscc(),
            "name": f"压测企业{k}有限公司",
            "address": "哈尔滨",
            "legal_rep_name": f"法人{k}",
            "legal_rep_id": random_id_number(),
            "legal_rep_phone": "13900000000",
            "units": [
                {
                    "unit_no": f"B{k:08d}{random.randint(0, 99):02d}",
                    "relations": [
                        {"insurance": "110", "agency": "哈尔滨市社保局"},
                        {"insurance": "210", "agency": "哈尔滨市社保局"},
                    ],
                }
            ],
        }


def registration(record, password=None):
    """The body of ``POST /api/v1/registrations`` for ``record``."""
    body = {
        "uscc": record["uscc"],
        "name": record["name"],
        "legal_rep_name": record["legal_rep_name"],
        "legal_rep_id": record["legal_rep_id"],
        "phone": "13900000001",
    }
    if password:
        body["password"] = password
    return body


def bodies_file(path, records, password=None):
    """One registration body a line, for ``registrations.lua``."""
    with path.open("w") as out:
        for r in records:
            out.write(json.dumps(registration(r, password), ensure_ascii=False) + "\n")
    return path


def cpu_per_operation(before, after, operations, unit=1000):
    """CPU of each process group (``cpu_by_process`` before and after) per operation, in ms
    (``unit`` 1000) or µs (1e6)."""
    return {name: (after[name] - before.get(name, 0.0)) * unit / max(operations, 1) for name in after}


def listening_sockets(port):
    """How many sockets listen on ``port`` (gateway replicas share it with SO_REUSEPORT)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError), open(table) as lines:
            for line in list(lines)[1:]:
                local, state = line.split()[1], line.split()[3]
                count += state == "0A" and int(local.rsplit(":", 1)[1], 16) == port
    return count


class Platform:
    """``with Platform(records, port, replicas={"identity": 2}) as p:`` … ``p.url``, ``p.pids()``."""

    def __init__(self, records, port, replicas=None, env=None):
        self.records, self.port, self.replicas, self.extra_env = records, port, replicas or {}, env or {}
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self):
        self._stack = contextlib.ExitStack()
        try:
            self._start()
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *_):
        self._stack.close()

    def _start(self):
        stack = self._stack
        self.vhost = stack.enter_context(Vhost())
        self.dbs = stack.enter_context(Databases("enterprise", "identity", "authorization", "business"))
        self.tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        self.env = {
            **os.environ,
            "AMQP_URI": self.vhost.uri,
            "GATEWAY_PORT": str(self.port),
            "PYTHONWARNINGS": "ignore",
            "ENTERPRISE_DATABASE_URL": self.dbs.urls["enterprise"],
            "IDENTITY_DATABASE_URL": self.dbs.urls["identity"],
            "AUTHORIZATION_DATABASE_URL": self.dbs.urls["authorization"],
            "BUSINESS_DATABASE_URL": self.dbs.urls["business"],
            "LOG_LEVEL": "WARNING",
            "MAX_WORKERS": os.environ.get("BENCH_MAX_WORKERS", "10"),
            # wrk sends from one address: past the gateway's per-address limit every answer is 429
            "RATE_LIMIT_POSTS": "1000000000",
            "RATE_LIMIT_PREFIX": f"bench:{self.vhost.name}",
            "IDENTITY_REDIS_PREFIX": f"bench:{self.vhost.name}:identity",
            **self.extra_env,
        }
        command = [str(BIN / "hrssctl"), "platform", "run", "--root", str(ROOT), "--no-demo", "--var", str(self.tmp)]
        if self.replicas:
            command += ["--replicas", ",".join(f"{name}={n}" for name, n in self.replicas.items())]
        with (self.tmp / "runner.log").open("ab") as log:
            self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        stack.callback(self._stop)
        wait_http(f"{self.url}/healthz", timeout=90)
        self._wait_for_replicas()
        source = self.tmp / "pension.jsonl"
        source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self.records))
        subprocess.run(
            [str(BIN / "hrssctl"), "sources", "import", "--source", "enterprise-pension", str(source)],
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def _wait_for_replicas(self, timeout=60):
        """Healthy means one of each answers; a benchmark of replicas wants every one serving."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            serving = listening_sockets(self.port) >= self.replicas.get("gateway", 1)
            for name in ("identity", "enterprise", "authorization", "business"):
                serving = serving and self._consumers(f"rpc-{name}") >= self.replicas.get(name, 1)
            if serving:
                return
            time.sleep(0.5)
        raise SystemExit(f"bench: not every replica of {self.replicas} started; see {self.tmp / 'log'}")

    def _consumers(self, queue):
        try:
            answer = requests.get(f"{RABBIT_API}/queues/{self.vhost.name}/{queue}", auth=("guest", "guest"), timeout=5)
        except requests.RequestException:
            return 0  # the management API is not up (yet, or again)
        return answer.json().get("consumers", 0) if answer.ok else 0

    def pids(self):
        """``{"identity": [pid, …], …}``: the runner's children, by the service they run."""
        children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        found = {name: [] for name in NAMES}
        for pid in children.stdout.split():
            with contextlib.suppress(FileNotFoundError):
                command = Path(f"/proc/{pid}/cmdline").read_text()
                name = next((n for n in NAMES if f"hrss_{n}" in command), None)
                if name:
                    found[name].append(int(pid))
        return found

    def cpu_by_process(self):
        """CPU seconds so far of each platform process group, the broker, Postgres and Redis."""
        groups = dict(self.pids())
        groups["rabbitmq"] = [broker_pid()] if broker_pid() else []
        for name, pattern in (("postgres", "postgres"), ("redis", "redis-server")):
            found = subprocess.run(["pgrep", "-x", pattern], capture_output=True, text=True).stdout.split()
            groups[name] = [int(pid) for pid in found]
        seconds = {}
        for name, pids in groups.items():
            total = 0.0
            for pid in pids:
                with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                    total += cpu_seconds(pid)
            seconds[name] = total
        return seconds

    def _stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        if os.environ.get("BENCH_KEEP_LOGS"):
            shutil.copytree(self.tmp, Path(os.environ["BENCH_KEEP_LOGS"]) / self.vhost.name, dirs_exist_ok=True)
