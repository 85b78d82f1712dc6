"""`make bench`: every benchmark, figures printed as Markdown.

Needs the local Postgres, RabbitMQ (management plugin) and Redis, and wrk; each benchmark
makes its own vhost and databases and removes them after. Takes about ten minutes.
``BENCH_SCALE=0.2`` shortens every run to check the scripts (its figures mean nothing).
"""

import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import authorization  # noqa: E402
import cases  # noqa: E402
import event_latency  # noqa: E402
import event_latency_load  # noqa: E402
import http_hop  # noqa: E402
import login_steps  # noqa: E402
import logins  # noqa: E402
import registration_sql  # noqa: E402
import registrations  # noqa: E402
import rpc_roundtrip  # noqa: E402

import web  # noqa: E402


def main():
    if shutil.which("wrk") is None:
        raise SystemExit("bench: wrk is needed (Debian: apt-get install wrk)")
    started = time.monotonic()
    print("# hrss-platform benchmarks (2 cores; load generator, broker and services on one machine)")
    http_hop.main()
    rpc_roundtrip.main()
    event_latency.main()
    registrations.main()
    event_latency_load.main()
    registration_sql.main()
    logins.main()
    login_steps.main()
    authorization.main()
    cases.main()
    web.main()
    print(f"\n(all benchmarks: {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
