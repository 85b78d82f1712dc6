"""`make faults`: registrations flowing through replicas while each fault is injected in turn;
then every effect checked against the answers, and the table printed. Exit status 1 if a
target is missed. ``--only NAME,…`` runs some faults (``--list`` names them)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

from procs import BIN, ROOT, Databases, Vhost

from faults.audit import check, declare_audit_queue, drain_audit_queue, settle
from faults.inject import FULL, Fault, restore_servers
from faults.load import Health, Load
from faults.report import Phase, table
from faults.stack import Stack, free_port
from hrss_contracts.examples import random_id_number, random_uscc

BEFORE, AFTER, RECOVERY_BOUND = 4.0, 5.0, 60.0  # seconds of load before and after each fault
SHORT = 2.0, 3.0  # --short: BEFORE and AFTER
SETTLE_BOUND = 120.0
LOGS = ROOT / "var" / "faults-logs"  # the last run's process logs


def source_records(count: int) -> list[dict]:
    return [
        {
            "uscc": random_uscc(),
            "name": f"故障演练企业{k}有限公司",
            "address": "哈尔滨",
            "legal_rep_name": f"法人{k}",
            "legal_rep_id": random_id_number(),
            "legal_rep_phone": "13900000000",
            "units": [{"unit_no": f"F{k:09d}", "relations": [{"insurance": "110", "agency": "哈尔滨市社保局"}]}],
        }
        for k in range(count)
    ]


def run_phase(fault: Fault | None, stack: Stack, load: Load, health: Health, vhost: str, short: bool) -> Phase:
    name = fault.name if fault else "none (baseline)"
    phase = Phase(name, time.monotonic(), kills=fault is not None and fault.kills)
    load.phase = name
    before, after = SHORT if short else (BEFORE, AFTER)
    time.sleep(before)
    if fault is not None:
        phase.fault_at = time.monotonic()
        phase.what = fault.inject(stack, vhost)
        phase.over_at = time.monotonic()
        while time.monotonic() - phase.over_at < RECOVERY_BOUND:
            firsts = [o.ended for o in load.outcomes if o.status == 201 and o.started >= phase.over_at]
            if firsts and health.ok_since(phase.over_at):
                phase.recovered_at = min(firsts)
                break
            time.sleep(0.1)
    time.sleep(after)
    phase.ended = time.monotonic()
    phase.deaths = stack.deaths(phase.began, phase.ended)
    print(f"faults: {name}: {phase.what or 'no fault'}; deaths: {phase.deaths or 'none'}", flush=True)
    return phase


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=float(os.environ.get("FAULTS_RATE", "25")))
    parser.add_argument("--only", default=os.environ.get("FAULTS_ONLY", ""), help="comma-separated fault names")
    parser.add_argument("--short", action="store_true", help=f"{SHORT[0]:g} s before and {SHORT[1]:g} s after each")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--logs", type=Path, default=LOGS, help=f"where the processes' logs are kept ({LOGS})")
    args = parser.parse_args()
    if args.list:
        print("\n".join(f.name for f in FULL))
        return 0
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    chosen = [f for f in FULL if not wanted or any(w in f.name for w in wanted)]
    shared = any(f.shared for f in chosen)
    try:
        with (
            Vhost() as vhost,
            Databases("enterprise", "identity", "authorization", "business") as dbs,
            tempfile.TemporaryDirectory() as tmp,
        ):
            return run(Path(tmp), vhost, dbs, chosen, args)
    finally:
        if shared:
            restore_servers()


def run(tmp: Path, vhost: Vhost, dbs: Databases, chosen: list[Fault], args: argparse.Namespace) -> int:
    (tmp / "relay-kill").mkdir()
    env = {
        **os.environ,
        "AMQP_URI": vhost.uri,
        "GATEWAY_PORT": str(free_port()),
        "ENTERPRISE_DATABASE_URL": dbs.urls["enterprise"],
        "IDENTITY_DATABASE_URL": dbs.urls["identity"],
        "AUTHORIZATION_DATABASE_URL": dbs.urls["authorization"],
        "BUSINESS_DATABASE_URL": dbs.urls["business"],
        "REDIS_URL": "redis://127.0.0.1:6379/13",
        "PYTHONWARNINGS": "ignore",
        "LOG_LEVEL": os.environ.get("FAULTS_LOG_LEVEL", "WARNING"),
        # All the load comes from one address: the per-address limit would answer 429.
        "RATE_LIMIT_POSTS": "1000000000",
        "RATE_LIMIT_PREFIX": f"faults:{vhost.name}",
        "HRSS_FAULT_KILL_RELAY_DIR": str(tmp / "relay-kill"),
    }
    stack = Stack(env, tmp)
    phases: list[Phase] = []
    load: Load | None = None
    try:
        stack.wait_up()
        declare_audit_queue(vhost.uri)
        seconds = (len(chosen) + 1) * (BEFORE + AFTER + 8)
        records = source_records(int(args.rate * seconds * 0.9) + 200)
        source = tmp / "pension.jsonl"
        source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        began = time.monotonic()
        subprocess.run(
            [str(BIN / "hrssctl"), "sources", "import", "--source", "enterprise-pension", str(source)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(
            f"faults: {len(records)} source records imported in {time.monotonic() - began:.1f} s; "
            f"{args.rate:g} registrations/s from now on",
            flush=True,
        )
        health = Health(stack.base_url)
        load = Load(stack.base_url, deque(records), args.rate)
        load.start()
        for fault in [None, *chosen]:
            phases.append(run_phase(fault, stack, load, health, vhost.name, args.short))
        load.stop()
        health.stop()
        snapshot, waited = settle(
            {k: f"postgresql://postgres@127.0.0.1:5432/{n}" for k, n in dbs.names.items()}, SETTLE_BOUND
        )
        audit = drain_audit_queue(vhost.uri)
    finally:
        if load is not None:
            load.stop()
        stopping = time.monotonic()
        code, took = stack.stop()
        print("faults: the runner, told to stop:\n" + stack.output(since=stopping), end="", flush=True)
        shutil.rmtree(args.logs, ignore_errors=True)
        if (tmp / "log").exists():
            shutil.copytree(tmp / "log", args.logs)
    left = stack.left_behind(vhost.name)
    findings = check(load.outcomes, snapshot, audit)
    text, missed = table(phases, load.outcomes, findings)
    print(f"\n## make faults: {args.rate:g} registrations/s (identity=2, enterprise=2, gateway=2; Postgres)\n")
    print(text)
    print(
        f"\nsettled {waited:.1f} s after the load; {len(audit)} events at faults.audit; "
        f"runner stopped in {took:.1f} s (exit {code}); processes left behind: {len(left)}"
    )
    if not snapshot.settled():
        missed.append(
            f"not settled after {SETTLE_BOUND:g} s: {snapshot.unpublished} events unpublished, "
            f"{len(snapshot.failed)} failed events"
        )
    if took > 10:
        missed.append(f"the runner took {took:.1f} s to stop every process (bound: 10 s)")
    if stack.slow_to_stop:
        print(
            f"  note: still stopping 5 s after the runner's SIGTERM: pids {stack.slow_to_stop}; each logged "
            "its green threads' stacks (SIGUSR1) to its log"
        )
    if left:
        missed.append("processes left behind: " + "; ".join(f"{pid} {cmd}" for pid, cmd in left.items()))
    for line in findings.details[:40]:
        print("  " + line)
    for line in missed:
        print("MISSED: " + line, file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
