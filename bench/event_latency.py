"""Event latency with nothing else going on: from the producer's commit to the consumer's effect,
through the outbox relay (mandatory, confirmed), the broker and a reliable handler, on Postgres,
between two small services of the kit (``bench_services``). The same figure on the platform,
idle and under 100 registrations a second, is ``event_latency_load``'s."""

import statistics
import tempfile
import time
from pathlib import Path

from bench_services import consumer_metadata, latencies, producer_metadata
from procs import Databases, Service, Vhost, scaled, write_config
from sqlalchemy import create_engine, func, select

from hrss_contracts.examples import random_uscc
from hrss_kit.rpc_client import StandaloneRpc

EVENTS = scaled(500)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main():
    with Vhost() as vhost, Databases("producer", "consumer") as dbs, tempfile.TemporaryDirectory() as tmp:
        for label, metadata in (("producer", producer_metadata), ("consumer", consumer_metadata)):
            engine = create_engine(dbs.urls[label])
            metadata.create_all(engine)
            engine.dispose()
        tmp = Path(tmp)
        services = [
            Service(
                "bench_services:BenchConsumer",
                write_config(tmp / "c.yml", vhost.uri, DATABASE_URL=dbs.urls["consumer"]),
            ),
            Service(
                "bench_services:BenchProducer",
                write_config(tmp / "p.yml", vhost.uri, DATABASE_URL=dbs.urls["producer"]),
            ),
        ]
        engine = create_engine(dbs.urls["consumer"])
        try:
            time.sleep(3)
            with StandaloneRpc(vhost.uri) as rpc:
                producer = rpc.service("benchproducer")
                for _ in range(EVENTS):
                    producer.emit(uscc=random_uscc())
                    time.sleep(0.005)
            deadline = time.monotonic() + 30
            with engine.connect() as conn:
                while conn.execute(select(func.count()).select_from(latencies)).scalar() < EVENTS:
                    if time.monotonic() > deadline:
                        raise SystemExit("not every event arrived")
                    time.sleep(0.1)
                values = list(conn.execute(select(latencies.c.ms)).scalars())
        finally:
            engine.dispose()
            for service in services:
                service.stop()
    p50, p99 = statistics.median(values), percentile(values, 99)
    print(f"\n## Event latency, commit → consumer's effect ({EVENTS} events, one every ~5 ms, Postgres)")
    print(f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(values):.1f} ms (kit services, nothing else running)")
    return p50, p99


if __name__ == "__main__":
    main()
