"""``hrssctl platform run``: the whole platform on this machine, in the foreground.

Refuses at once if a platform already runs here (``guard``); applies each service's
migrations; starts every service and the gateway as separate processes (as deployed, with
``--replicas`` as many of each as asked) under a supervisor that restarts one that dies;
waits until the gateway's health check passes; loads the demo data through the same import
the operators use. Ctrl-C or SIGTERM, at any moment, stops every process within 10 s.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.request
from functools import partial
from pathlib import Path

from hrss_contracts.sources import SOURCES
from hrss_kit.migrate import declare_queues, upgrade
from hrss_kit.rpc_client import StandaloneRpc
from hrssctl import settings
from hrssctl.guard import AlreadyRunning, RunLock, check_port_free
from hrssctl.processes import spawn
from hrssctl.replicas import PROCESSES
from hrssctl.signals import StopSignals
from hrssctl.sources import import_file
from hrssctl.supervisor import Child, Supervisor, describe_exit

# service → (package, nameko service class, database variable)
SERVICES = {
    "enterprise": (
        "hrss_enterprise",
        "hrss_enterprise.entrypoints.service:EnterpriseService",
        "ENTERPRISE_DATABASE_URL",
    ),
    "identity": ("hrss_identity", "hrss_identity.entrypoints.service:IdentityService", "IDENTITY_DATABASE_URL"),
    "authorization": (
        "hrss_authorization",
        "hrss_authorization.entrypoints.service:AuthorizationService",
        "AUTHORIZATION_DATABASE_URL",
    ),
    "business": ("hrss_business", "hrss_business.entrypoints.service:BusinessService", "BUSINESS_DATABASE_URL"),
}
GATEWAY = "hrss_gateway.service:GatewayService"
STOP_GRACE = 8.0  # seconds between SIGTERM and SIGKILL: the whole stop stays under 10 s
TICK = 0.2


class StartupFailed(Exception):
    pass


def database_urls(var: Path) -> dict[str, str]:
    """Postgres where ``<SERVICE>_DATABASE_URL`` says so, else a SQLite file under ``var``."""
    return {
        name: os.environ.get(var_name) or f"sqlite:///{var / (name + '.db')}"
        for name, (_, _, var_name) in SERVICES.items()
    }


def children(root: Path, logs: Path, replicas: dict[str, int]) -> list[Child]:
    """Every process to run; replicas are named ``identity.1``, ``identity.2``, …"""
    nameko = str(Path(sys.executable).with_name("nameko"))
    result = []
    for name in PROCESSES:
        target = GATEWAY if name == "gateway" else SERVICES[name][1]
        config = root / ("gateway" if name == "gateway" else f"services/{name}") / "config.yml"
        count = replicas.get(name, 1)
        for index in range(1, count + 1):
            label = name if count == 1 else f"{name}.{index}"
            result.append(Child(label, (nameko, "run", "--config", str(config), target), logs / f"{label}.log"))
    return result


def say(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} hrssctl: {message}", file=sys.stderr, flush=True)


def wait_healthy(base_url: str, supervisor: Supervisor, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child, code in supervisor.exited():
            tail = child.log.read_text(errors="replace").splitlines()[-15:] if child.log.exists() else []
            raise StartupFailed(
                f"{child.name} {describe_exit(code)} during start-up; its log, {child.log}, ends:\n  "
                + "\n  ".join(tail)
            )
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=3) as response:
                if json.load(response)["status"] == "ok":
                    return
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
    raise StartupFailed(f"the platform did not become healthy within {timeout:.0f} s; see the logs")


def migrate(var: Path, env: dict[str, str]) -> None:
    """Each service's migrations, then the queues of the events it consumes (declared before
    any service starts, so none of their events can find its queue missing); ``env`` gets the
    database URLs the services will read."""
    urls = database_urls(var)
    amqp_uri = env.get("AMQP_URI", settings.AMQP_URI)
    for name, (package, _, var_name) in SERVICES.items():
        upgrade(package, urls[name])
        env[var_name] = urls[name]
        queues = declare_queues(package, amqp_uri)
        print(f"migrated {name}: {urls[name]}" + (f"; declared {', '.join(queues)}" if queues else ""), flush=True)


def load_demo(env: dict[str, str], demo: Path) -> None:
    with StandaloneRpc(env.get("AMQP_URI", settings.AMQP_URI)) as rpc:
        for source in SOURCES:
            import_file(rpc, source, demo / f"{source}.jsonl")


def run(root: Path, demo: Path | None, var: Path | None = None, replicas: dict[str, int] | None = None) -> int:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    var = var or root / "var"
    # Identity makes the development e-SSC key pair here; `hrssctl essc` signs with it.
    env.setdefault("ESSC_DEV_KEY_DIR", str(var / "essc"))
    # The gateway keeps uploaded attachments here (a local blob store; S3 in docker-compose).
    env.setdefault("BLOB_DIR", str(var / "blobs"))
    # Development mode: the pages' e-SSC simulator, and their session cookie over plain HTTP.
    env.setdefault("WEB_ROOT", str(root / "web"))
    env.setdefault("HRSS_DEVELOPMENT", "true")
    env.setdefault("SESSION_COOKIE_SECURE", "false")
    host, port = env.get("GATEWAY_HOST", "127.0.0.1"), int(env.get("GATEWAY_PORT", "8000"))
    base_url, logs = f"http://{host}:{port}", var / "log"
    lock = RunLock(var / "run.lock")
    try:
        # Before anything else, so that a second run touches nothing of the first.
        lock.acquire(port)
        check_port_free(host, port)
    except AlreadyRunning as refusal:
        lock.release()
        print(f"hrssctl: {refusal}", file=sys.stderr)
        return 1
    signals = StopSignals()
    supervisor: Supervisor | None = None
    try:
        with signals.installed():
            try:
                migrate(var, env)
                supervisor = Supervisor(children(root, logs, replicas or {}), partial(spawn, env=env), say)
                with signals.deferred():  # a child is either started and known, or not started
                    supervisor.start()
                wait_healthy(base_url, supervisor)
                if demo is not None:
                    load_demo(env, demo)
                print(
                    f"\nhrss-platform is up: gateway {base_url}, logs in {logs}. Ctrl-C stops it.\n"
                    f"  curl {base_url}/healthz\n  .venv/bin/hrssctl events tail\n"
                    f"  README.md walks through a registration with the demo data.",
                    flush=True,
                )
                while True:
                    with signals.deferred():
                        supervisor.tick()
                    time.sleep(TICK)
            except KeyboardInterrupt:
                print("\nstopping…", flush=True)
                return 0
            except StartupFailed as failure:
                say(str(failure))
                return 1
            finally:
                signals.stopping = True  # from here on a signal only hurries the stop
                if supervisor is not None:
                    began = time.monotonic()
                    supervisor.stop(STOP_GRACE, hurry=lambda: signals.hurry)
                    say(f"every process stopped ({time.monotonic() - began:.1f} s)")
    finally:
        lock.release()
