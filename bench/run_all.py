"""`make bench`: every benchmark of the foundation issue, figures printed as Markdown.

Needs the local Postgres, RabbitMQ (management plugin) and Redis, and wrk; each benchmark
makes its own vhost and databases and removes them after. Takes about two minutes.
"""

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import event_latency  # noqa: E402
import http_hop  # noqa: E402
import registrations  # noqa: E402
import rpc_roundtrip  # noqa: E402


def main():
    if shutil.which("wrk") is None:
        raise SystemExit("bench: wrk is needed (Debian: apt-get install wrk)")
    print("# hrss-platform benchmarks (2 cores; load generator, broker and services on one machine)")
    http_hop.main()
    rpc_roundtrip.main()
    event_latency.main()
    registrations.main()


if __name__ == "__main__":
    main()
