"""A gateway endpoint with one RPC hop against the same endpoint with none (issue target:
the hop at least 40% of the hop-free figure), for the kit and for nameko's defaults."""

import tempfile
import time
from pathlib import Path

from procs import Service, Vhost, wait_http, write_config, wrk

SECONDS = 6


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


def main():
    results = []
    with Vhost() as vhost, tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        services = [
            Service("bench_services:BenchEcho", write_config(tmp / "echo.yml", vhost.uri)),
            Service("bench_services:StockEcho", write_config(tmp / "stock.yml", vhost.uri)),
        ]
        kit_gw = Service(
            "bench_services:BenchGateway",
            write_config(tmp / "gw.yml", vhost.uri, WEB_SERVER_ADDRESS="127.0.0.1:18001", max_workers=100),
        )
        stock_gw = Service(
            "bench_services:StockGateway",
            write_config(tmp / "sgw.yml", vhost.uri, WEB_SERVER_ADDRESS="127.0.0.1:18002", max_workers=100),
        )
        services += [kit_gw, stock_gw]
        try:
            wait_http("http://127.0.0.1:18001/hop")
            wait_http("http://127.0.0.1:18002/hop")
            time.sleep(1)
            measure(results, "kit", "http://127.0.0.1:18001", kit_gw, rounds=3)
            measure(results, "nameko defaults", "http://127.0.0.1:18002", stock_gw, rounds=1)
        finally:
            for service in services:
                service.stop()
    print("\n## HTTP endpoint with one RPC hop vs none (same run, each service its own process)")
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
