"""What one registration costs the databases: SQL statements, transactions and pool checkouts
per registration, in each service, counted inside the
processes by SQLAlchemy event listeners (``sql_census``). The platform's processes, one of
each, run as ``hrssctl platform run`` runs them, with its config files and migrations; the
registrations are sent one at a time, then every event is let through before the count.

``--detail`` also prints each transaction's statements and how often it ran per registration.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import requests
from procs import ROOT, Databases, Vhost, scaled, wait_http
from running_platform import enterprises, registration
from sqlalchemy import create_engine, text

from hrss_kit.migrate import upgrade

REGISTRATIONS = scaled(200)
PORT = 18090
PROCESSES = {  # name: (package or None, nameko target, config)
    "enterprise": ("hrss_enterprise", "hrss_enterprise.entrypoints.service:EnterpriseService", "services/enterprise"),
    "identity": ("hrss_identity", "hrss_identity.entrypoints.service:IdentityService", "services/identity"),
    "gateway": (None, "hrss_gateway.service:GatewayService", "gateway"),
}


def census(processes, files):
    """Every process's counts so far (each writes them on SIGUSR2)."""
    for name, process in processes.items():
        files[name].unlink(missing_ok=True)
        process.send_signal(signal.SIGUSR2)
    counts = {}
    for name in processes:
        deadline = time.monotonic() + 10
        while not files[name].exists():
            if time.monotonic() > deadline:
                raise SystemExit(f"bench: {name} wrote no SQL census")
            time.sleep(0.05)
        raw = json.loads(files[name].read_text())
        counts[name] = {
            "statements": Counter(raw["statements"]),
            "transactions": Counter(raw["transactions"]),
            "checkouts": raw["checkouts"],
        }
    return counts


def settled(dbs):
    """Every enterprise event published and EnterpriseRegistered handled by identity. (Identity's
    own AccountCreated has no consumer on this platform: it stays in its log, unpublished.)"""
    with create_engine(dbs.urls["enterprise"]).connect() as conn:
        waiting = conn.execute(text("SELECT count(*) FROM outbox WHERE published_at IS NULL")).scalar()
    engine = create_engine(dbs.urls["identity"])
    with engine.connect() as conn:
        handled = conn.execute(
            text("SELECT count(*) FROM processed_events WHERE consumer LIKE '%on_enterprise_registered%'")
        ).scalar()
    engine.dispose()
    return waiting == 0 and handled >= REGISTRATIONS


def measure():
    records = list(enterprises(REGISTRATIONS))
    with Vhost() as vhost, Databases("enterprise", "identity") as dbs, tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = {
            **os.environ,
            "AMQP_URI": vhost.uri,
            "GATEWAY_PORT": str(PORT),
            "PYTHONWARNINGS": "ignore",
            "ENTERPRISE_DATABASE_URL": dbs.urls["enterprise"],
            "IDENTITY_DATABASE_URL": dbs.urls["identity"],
            "LOG_LEVEL": "WARNING",
            "RATE_LIMIT_POSTS": "1000000000",
            "RATE_LIMIT_PREFIX": f"bench:{vhost.name}",
        }
        processes, files = {}, {}
        try:
            for name, (package, target, config) in PROCESSES.items():
                if package:
                    upgrade(package, dbs.urls[name])
                files[name] = tmp / f"{name}.json"
                with (tmp / f"{name}.log").open("ab") as log:
                    processes[name] = subprocess.Popen(
                        [sys.executable, str(ROOT / "bench" / "sql_census.py"), str(files[name]), "run"]
                        + ["--config", str(ROOT / config / "config.yml"), target],
                        cwd=ROOT,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
            wait_http(f"http://127.0.0.1:{PORT}/healthz", timeout=60)
            source = tmp / "pension.jsonl"
            source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
            subprocess.run(
                [str(Path(sys.executable).with_name("hrssctl")), "sources", "import", "--source", "enterprise-pension"]
                + [str(source)],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            before = census(processes, files)
            with requests.Session() as http:
                for record in records:
                    answer = http.post(f"http://127.0.0.1:{PORT}/api/v1/registrations", json=registration(record))
                    if answer.status_code != 201:
                        raise SystemExit(f"bench: registration answered {answer.status_code}: {answer.text}")
            deadline = time.monotonic() + 30
            while not settled(dbs):
                if time.monotonic() > deadline:
                    raise SystemExit("bench: the registrations' events did not all arrive")
                time.sleep(0.2)
            time.sleep(1.5)  # the relays mark their last batch published after the consumers saw it
            after = census(processes, files)
        finally:
            for process in processes.values():
                process.send_signal(signal.SIGTERM)
            for process in processes.values():
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
    return {
        name: {
            "statements": after[name]["statements"] - before[name]["statements"],
            "transactions": after[name]["transactions"] - before[name]["transactions"],
            "checkouts": after[name]["checkouts"] - before[name]["checkouts"],
        }
        for name in after
    }


def main(detail=False):
    counts = measure()
    n = REGISTRATIONS
    print(f"\n## SQL per registration ({n} registrations one at a time, every event handled; per process)")
    print(
        "Counted inside each process (SQLAlchemy events); the kit's engines do not pre-ping, "
        "so a checkout adds no statement.\n"
    )
    print("| process | statements | transactions | pool checkouts | statements by kind |")
    print("|---|---|---|---|---|")
    for name, c in counts.items():
        if not c["statements"]:
            continue  # the gateway has no database
        kinds = ", ".join(f"{what} {k / n:.1f}" for what, k in c["statements"].most_common() if k / n >= 0.05)
        print(
            f"| {name} | {sum(c['statements'].values()) / n:.1f} | {sum(c['transactions'].values()) / n:.1f} "
            f"| {c['checkouts'] / n:.1f} | {kinds or '-'} |"
        )
    if detail:
        for name, c in counts.items():
            print(f"\n### {name}: transactions per registration")
            for shape, k in c["transactions"].most_common():
                print(f"- {k / n:.2f} × {shape}")
    return counts


if __name__ == "__main__":
    main(detail="--detail" in sys.argv)
