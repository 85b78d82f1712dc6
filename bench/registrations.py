"""Registrations per second through the gateway, on the platform as `hrssctl platform run`
starts it (Postgres databases), with the CPU each service used: one process of each, then two
gateways, two identity and two enterprise processes (issue target: 250/s), in the same run.
Each request registers a different enterprise that the enterprise-pension source knows, so
every one is a full success path (``running_platform``)."""

import contextlib
import subprocess
import time

from procs import ROOT, broker_pid, cpu_seconds, scaled, wrk
from running_platform import Platform, bodies_file, enterprises

SECONDS = scaled(10)
PASSWORD_SECONDS = scaled(5)
REPLICAS = {"identity": 2, "enterprise": 2, "gateway": 2}
# label, connections, seconds, password, a rate no run reaches (that many bodies a second)
LOADS = (
    ("without password, 10 connections", 10, SECONDS, None, 400),
    ("without password, 50 connections", 50, SECONDS, None, 400),
    ("with password (argon2id in tpool), 4 connections", 4, PASSWORD_SECONDS, "bench-password-1", 60),
)


def postgres_cpu():
    """CPU seconds of each PostgreSQL process (server and backends), by pid."""
    seconds = {}
    for pid in subprocess.run(["pgrep", "-u", "postgres"], capture_output=True, text=True).stdout.split():
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            seconds[pid] = cpu_seconds(int(pid))
    return seconds


def service_cpu(pids):
    """CPU seconds of each service, its replicas summed."""
    total = {}
    for name, group in pids.items():
        total[name] = 0.0
        for pid in group:
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                total[name] += cpu_seconds(pid)
    return total


def run_load(platform, bodies, connections, seconds):
    """One wrk run; returns (registrations/s, p99 ms, non-2xx, CPU share by process)."""
    pids = {**platform.pids(), "rabbitmq": [broker_pid()]}
    before, before_pg = service_cpu(pids), postgres_cpu()
    started = time.monotonic()
    rps, p99, bad, _ = wrk(
        f"{platform.url}/", connections, seconds, script=ROOT / "bench" / "registrations.lua", args=[str(bodies)]
    )
    elapsed = time.monotonic() - started
    after = service_cpu(pids)  # a replica restarted during the run is not counted
    cpu = {name: (after[name] - before[name]) / elapsed for name in pids}
    after_pg = postgres_cpu()  # nor is a backend that ended during the run
    cpu["postgres"] = sum(after_pg[pid] - before_pg.get(pid, 0.0) for pid in after_pg) / elapsed
    return rps, p99, bad, cpu


def measure(replicas, port):
    """Every load of ``LOADS`` on one platform; each run registers enterprises of its own (a
    registration repeated would be a quick 409)."""
    sizes = [ceiling * seconds for *_, seconds, _, ceiling in LOADS]
    records = list(enterprises(sum(sizes)))
    results = []
    with Platform(records, port, replicas) as platform:
        start = 0
        for (label, connections, seconds, password, _), size in zip(LOADS, sizes, strict=True):
            bodies = bodies_file(platform.tmp / f"bodies{start}.jsonl", records[start : start + size], password)
            start += size
            results.append((label, *run_load(platform, bodies, connections, seconds)))
    return results


def main():
    single = measure({}, 18080)
    replicated = measure(REPLICAS, 18081)
    print("\n## Registrations per second through the gateway (Postgres; each a different enterprise)")
    print("One process of each service, then two of each (`--replicas identity=2,enterprise=2,gateway=2`,")
    print("gateways on one port), same run; CPU in % of a core, replicas summed. Target: 250/s.\n")
    print(
        "| processes | requests | registrations/s | p99 ms | non-2xx "
        "| CPU: gateway | identity | enterprise | authorization | business | rabbitmq | postgres |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for processes, results in (("1 of each", single), ("2 of each", replicated)):
        for label, rps, p99, bad, cpu in results:
            print(
                f"| {processes} | {label} | {rps:.0f} | {p99:.0f} | {bad} | {cpu['gateway']:.0%} | "
                f"{cpu['identity']:.0%} | {cpu['enterprise']:.0%} | {cpu['authorization']:.0%} | "
                f"{cpu['business']:.0%} | "
                f"{cpu['rabbitmq']:.0%} | {cpu['postgres']:.0%} |"
            )
    print("\n| requests | 2 of each / 1 of each |")
    print("|---|---|")
    for (label, one, *_), (_, two, *_) in zip(single, replicated, strict=True):
        print(f"| {label} | {two / one:.2f}x |")
    return single, replicated


if __name__ == "__main__":
    main()
