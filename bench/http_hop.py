"""A gateway endpoint with one RPC hop against the same endpoint with none (issue target:
the hop at least 40% of the hop-free figure), for the kit and for nameko's defaults.

The kit's hop is its current path: a heartbeat on every connection, the request's relative
TTL, an idempotency key on every call (checked before the figures are taken)."""

import tempfile
import time
from pathlib import Path

import requests
from procs import REDIS_URL, Service, Vhost, scaled, wait_http, write_config, wrk

SECONDS = scaled(6)


def measure(results, label, base_url, gateway, rounds):
    """``rounds`` alternating runs of each endpoint; the median run of each is reported (the
    machine is shared by load generator, broker and services, so single runs wander ±10%)."""
    for connections in (10, 50):
        runs = {"/local": [], "/hop": []}
        for _ in range(rounds):
            for path in runs:
                cpu = gateway.cpu_seconds()
                rps, p99, bad, _ = wrk(base_url + path, connections, SECONDS)
                runs[path].append((rps, p99, (gateway.cpu_seconds() - cpu) / SECONDS, bad))
        figures = {path: sorted(r)[len(r) // 2] for path, r in runs.items()}
        results.append((label, connections, figures))


def check_kit_path(vhost, base_url):
    """Before the stock services connect: every connection in the vhost is the kit's, and each
    must have negotiated a heartbeat; a call through the gateway must bring its key."""
    key = requests.get(base_url + "/context", timeout=5).json().get("idempotency_key")
    beats = vhost.heartbeats(expected=2)  # the echo's RPC server, the gateway's RPC client
    if not key or len(beats) < 2 or min(beats) <= 0:
        raise SystemExit(f"bench: the kit's RPC path is not the current one (key {key!r}, heartbeats {beats})")
    return f"heartbeat {'/'.join(str(b) for b in sorted(set(beats)))} s on each of its {len(beats)} connections"


def main():
    results = []
    with Vhost() as vhost, tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        kit_gw = Service(
            "bench_services:BenchGateway",
            # The gateway's entrypoint sets up its Redis rate limiter (POSTs only; these are GETs).
            write_config(
                tmp / "gw.yml", vhost.uri, WEB_SERVER_ADDRESS="127.0.0.1:18001", REDIS_URL=REDIS_URL, max_workers=100
            ),
        )
        services = [Service("bench_services:BenchEcho", write_config(tmp / "echo.yml", vhost.uri)), kit_gw]
        try:
            wait_http("http://127.0.0.1:18001/hop")
            checked = check_kit_path(vhost, "http://127.0.0.1:18001")
            stock_gw = Service(
                "bench_services:StockGateway",
                write_config(tmp / "sgw.yml", vhost.uri, WEB_SERVER_ADDRESS="127.0.0.1:18002", max_workers=100),
            )
            services += [Service("bench_services:StockEcho", write_config(tmp / "stock.yml", vhost.uri)), stock_gw]
            wait_http("http://127.0.0.1:18002/hop")
            time.sleep(1)
            measure(results, "kit", "http://127.0.0.1:18001", kit_gw, rounds=3)
            measure(results, "nameko defaults", "http://127.0.0.1:18002", stock_gw, rounds=1)
        finally:
            for service in services:
                service.stop()
    print("\n## HTTP endpoint with one RPC hop vs none (same run, each service its own process)")
    print(f"Kit: {checked}, a relative TTL and an idempotency key on every call. Target: hop ≥ 40% of no hop.\n")
    print(
        "| stack | conns | no hop req/s | no hop p99 ms | hop req/s | hop p99 ms | hop / no hop | gateway CPU (hop) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, connections, f in results:
        (lr, lp, _, lbad), (hr, hp, hcpu, hbad) = f["/local"], f["/hop"]
        errors = f" ({lbad + hbad} non-2xx)" if lbad + hbad else ""
        print(
            f"| {label} | {connections} | {lr:.0f} | {lp:.1f} | {hr:.0f} | {hp:.1f} | {hr / lr:.0%}{errors} | "
            f"{hcpu:.0%} of a core |"
        )
    return results


if __name__ == "__main__":
    main()
