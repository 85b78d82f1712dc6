"""``python -m hrss_kit.healthcheck SERVICE``: exit 0 when the service answers a ping over RPC.

Used by container health checks; reads ``AMQP_URI`` from the environment.
"""

from __future__ import annotations

import os
import sys

from hrss_kit.rpc_client import StandaloneRpc


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m hrss_kit.healthcheck SERVICE", file=sys.stderr)
        return 2
    try:
        with StandaloneRpc(os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/"), timeout=3) as rpc:
            return 0 if rpc.service(argv[0]).ping() == "ok" else 1
    except Exception as exc:  # any failure means unhealthy
        print(f"{argv[0]}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
