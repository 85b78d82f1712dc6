"""``hrssctl platform run``: the whole platform on this machine, in the foreground.

Applies each service's migrations, starts every service and the gateway as separate
processes (as deployed), waits until the gateway's health check passes, loads the demo data
through the same import the operators use, and stops everything on Ctrl-C.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from hrss_kit.migrate import upgrade
from hrss_kit.rpc_client import StandaloneRpc
from hrssctl.sources import import_file

# service → (package, nameko service class, database variable)
SERVICES = {
    "enterprise": (
        "hrss_enterprise",
        "hrss_enterprise.entrypoints.service:EnterpriseService",
        "ENTERPRISE_DATABASE_URL",
    ),
    "identity": ("hrss_identity", "hrss_identity.entrypoints.service:IdentityService", "IDENTITY_DATABASE_URL"),
}
GATEWAY = "hrss_gateway.service:GatewayService"
DEMO_SOURCES = ("market", "enterprise-pension", "institution-pension")


def database_urls(var: Path) -> dict[str, str]:
    """Postgres where ``<SERVICE>_DATABASE_URL`` says so, else a SQLite file under ``var``."""
    return {
        name: os.environ.get(var_name) or f"sqlite:///{var / (name + '.db')}"
        for name, (_, _, var_name) in SERVICES.items()
    }


def start(root: Path, env: dict[str, str], logs: Path) -> list[subprocess.Popen[bytes]]:
    nameko = str(Path(sys.executable).with_name("nameko"))
    processes = []
    for name, (_, target, _) in SERVICES.items():
        config = root / "services" / name / "config.yml"
        processes.append(_spawn([nameko, "run", "--config", str(config), target], env, logs / f"{name}.log"))
    processes.append(
        _spawn([nameko, "run", "--config", str(root / "gateway" / "config.yml"), GATEWAY], env, logs / "gateway.log")
    )
    return processes


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("ab")
    # A session of its own: Ctrl-C reaches only us, and each service gets one SIGTERM from us
    # (two stop signals at once make nameko stop twice over, slowly).
    return subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)


def wait_healthy(base_url: str, processes: list[subprocess.Popen[bytes]], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            raise SystemExit("a service exited during start-up; see its log")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=3) as response:
                if json.load(response)["status"] == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the platform did not become healthy within {timeout:.0f} s; see the logs")


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def run(root: Path, demo: Path | None, var: Path | None = None) -> int:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    var = var or root / "var"
    urls = database_urls(var)
    for name, (package, _, var_name) in SERVICES.items():
        upgrade(package, urls[name])
        env[var_name] = urls[name]
        print(f"migrated {name}: {urls[name]}")
    logs = var / "log"
    logs.mkdir(parents=True, exist_ok=True)
    port = env.get("GATEWAY_PORT", "8000")
    base_url = f"http://127.0.0.1:{port}"
    # Ctrl-C and SIGTERM both stop the platform, even when started in the background.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    processes = start(root, env, logs)
    try:
        wait_healthy(base_url, processes)
        if demo is not None:
            with StandaloneRpc(env.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")) as rpc:
                for source in DEMO_SOURCES:
                    import_file(rpc, source, demo / f"{source}.jsonl")
        print(
            f"\nhrss-platform is up: gateway {base_url}, logs in {logs}. Ctrl-C stops it.\n"
            f"  curl {base_url}/healthz\n  .venv/bin/hrssctl events tail\n"
            f"  README.md walks through a registration with the demo data.",
            flush=True,
        )
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        print("a service exited; stopping the platform", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping…")
        return 0
    finally:
        for p in processes:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in processes:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
