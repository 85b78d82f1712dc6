"""Registrations per second through the gateway, on the platform as `make run` starts it
(Postgres databases), with the CPU each process used. Each request registers a different
enterprise that the enterprise-pension source knows, so every one is a full success path:
identity → enterprise (three-source check, enterprise, units, relations, outbox) → account."""

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

from procs import BIN, ROOT, Databases, Vhost, broker_pid, cpu_seconds, wait_http, wrk

from hrss_contracts.examples import random_id_number, random_uscc

PORT = 18080
SECONDS = 10


def enterprises(n):
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


def bodies_file(path, records, password=None):
    with path.open("w") as out:
        for r in records:
            body = {
                "uscc": r["uscc"],
                "name": r["name"],
                "legal_rep_name": r["legal_rep_name"],
                "legal_rep_id": r["legal_rep_id"],
                "phone": "13900000001",
            }
            if password:
                body["password"] = password
            out.write(json.dumps(body, ensure_ascii=False) + "\n")


def postgres_cpu():
    """CPU seconds of each PostgreSQL process (server and backends), by pid."""
    seconds = {}
    for pid in subprocess.run(["pgrep", "-u", "postgres"], capture_output=True, text=True).stdout.split():
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            seconds[pid] = cpu_seconds(int(pid))
    return seconds


def run_load(label, bodies, processes, seconds, connections=10):
    before = {name: cpu_seconds(pid) for name, pid in processes.items()}
    before_pg = postgres_cpu()
    started = time.monotonic()
    rps, p99, bad, _ = wrk(
        f"http://127.0.0.1:{PORT}/",
        connections,
        seconds,
        script=ROOT / "bench" / "registrations.lua",
        args=[str(bodies)],
    )
    elapsed = time.monotonic() - started
    cpu = {name: (cpu_seconds(pid) - before[name]) / elapsed for name, pid in processes.items()}
    after_pg = postgres_cpu()  # a backend that ended during the run is not counted
    cpu["postgres"] = sum(after_pg[pid] - before_pg.get(pid, 0.0) for pid in after_pg) / elapsed
    return label, rps, p99, bad, cpu


def main():
    results = []
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
            "MAX_WORKERS": os.environ.get("BENCH_MAX_WORKERS", "10"),
            # wrk sends from one address: past the gateway's per-address limit every answer is 429
            "RATE_LIMIT_POSTS": "1000000000",
            "RATE_LIMIT_PREFIX": f"bench:{vhost.uri.rsplit('/', 1)[-1]}",
        }
        platform = subprocess.Popen(
            [str(BIN / "hrssctl"), "platform", "run", "--root", str(ROOT), "--no-demo", "--var", str(tmp)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_http(f"http://127.0.0.1:{PORT}/healthz", timeout=90)
            records = list(enterprises(9000))
            source = tmp / "pension.jsonl"
            source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
            subprocess.run(
                [str(BIN / "hrssctl"), "sources", "import", "--source", "enterprise-pension", str(source)],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            children = subprocess.run(["pgrep", "-P", str(platform.pid)], capture_output=True, text=True).stdout.split()
            processes = {}
            for pid in children:
                cmd = Path(f"/proc/{pid}/cmdline").read_text()
                name = next(n for n in ("enterprise", "identity", "gateway") if f"hrss_{n}" in cmd)
                processes[name] = int(pid)
            processes["rabbitmq"] = broker_pid()
            # Each run its own enterprises: a registration repeated would be a quick 409.
            plain, plain50, with_password = tmp / "plain.jsonl", tmp / "plain50.jsonl", tmp / "password.jsonl"
            bodies_file(plain, records[:3000])
            bodies_file(plain50, records[3000:8000])
            bodies_file(with_password, records[8000:], password="bench-password-1")
            results.append(run_load("without password, 10 connections", plain, processes, SECONDS))
            results.append(run_load("without password, 50 connections", plain50, processes, SECONDS, connections=50))
            results.append(run_load("with password (argon2id in tpool)", with_password, processes, 5, connections=4))
        finally:
            platform.send_signal(signal.SIGTERM)
            platform.wait(timeout=60)
            if os.environ.get("BENCH_KEEP_LOGS"):
                shutil.copytree(tmp / "log", os.environ["BENCH_KEEP_LOGS"], dirs_exist_ok=True)
    print("\n## Registrations per second through the gateway (Postgres; each a different enterprise)")
    print(
        "| requests | registrations/s | p99 ms | non-2xx | CPU: gateway | identity | enterprise | rabbitmq | postgres |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for label, rps, p99, bad, cpu in results:
        print(
            f"| {label} | {rps:.0f} | {p99:.0f} | {bad} | {cpu['gateway']:.0%} | {cpu['identity']:.0%} | "
            f"{cpu['enterprise']:.0%} | {cpu['rabbitmq']:.0%} | {cpu['postgres']:.0%} |"
        )
    return results


if __name__ == "__main__":
    main()
