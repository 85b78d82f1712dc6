"""Serial RPC round trips: the kit (StandaloneRpc → a nameko service served by the kit's
``rpc``) against bare kombu on the same broker (issue target: at most 2x), with nameko's
own standalone proxy and stock ``rpc`` for reference.

The kit's requests carry what every kit call carries: a relative TTL (``expiration``) and an
idempotency key; the server's connection has heartbeats (a standalone caller reads its
connection only while it waits, so it negotiates none). Bare kombu has none of these."""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import kombu
from kombu import Queue
from nameko.standalone.rpc import ClusterRpcProxy
from procs import ROOT, Service, Vhost, scaled, write_config
from raw_echo import EXCHANGE

from hrss_kit.rpc_client import StandaloneRpc

CALLS = scaled(2000)


def timed(call, n=CALLS):
    for _ in range(100):
        call()
    started = time.perf_counter()
    for _ in range(n):
        call()
    return (time.perf_counter() - started) / n * 1000


def raw_client(amqp_uri):
    connection = kombu.Connection(amqp_uri)
    reply_queue = Queue(f"raw-reply-{uuid.uuid4().hex}", exclusive=True, auto_delete=True)
    got = {}
    consumer = connection.Consumer(
        [reply_queue], callbacks=[lambda body, msg: got.update(body=body)], no_ack=True, accept=["json"]
    )
    consumer.consume()
    producer = connection.Producer()

    def call():
        got.clear()
        producer.publish(
            {"ping": 1},
            exchange=EXCHANGE,
            routing_key="echo",
            reply_to=reply_queue.name,
            correlation_id=uuid.uuid4().hex,
            serializer="json",
        )
        while "body" not in got:
            connection.drain_events(timeout=5)

    return call


def main():
    with Vhost() as vhost, tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        raw = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "raw_echo.py"), vhost.uri],
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        services = [
            Service("bench_services:BenchEcho", write_config(tmp / "e.yml", vhost.uri)),
            Service("bench_services:StockEcho", write_config(tmp / "s.yml", vhost.uri)),
        ]
        try:
            time.sleep(3)
            raw_ms = timed(raw_client(vhost.uri))
            with StandaloneRpc(vhost.uri) as rpc:
                kit_ms = timed(rpc.service("benchecho").ping)
            with ClusterRpcProxy({"AMQP_URI": vhost.uri}, timeout=5) as proxy:
                stock_ms = timed(proxy.stockecho.ping, n=max(1, CALLS // 4))
        finally:
            raw.terminate()
            for service in services:
                service.stop()
    print(f"\n## Serial RPC round trip ({CALLS} calls, same broker, same run)")
    print("Kit requests carry a relative TTL and an idempotency key; target: kit ≤ 2x bare kombu.\n")
    print("| client → server | ms per call | against bare kombu |")
    print("|---|---|---|")
    print(f"| bare kombu → bare kombu | {raw_ms:.2f} | 1.00x |")
    print(f"| kit StandaloneRpc → kit rpc (nameko service) | {kit_ms:.2f} | {kit_ms / raw_ms:.2f}x |")
    print(f"| nameko ClusterRpcProxy → stock nameko rpc | {stock_ms:.2f} | {stock_ms / raw_ms:.2f}x |")
    return raw_ms, kit_ms, stock_ms


if __name__ == "__main__":
    main()
