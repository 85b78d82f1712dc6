"""Event latency on the platform while registrations flow (issue target: p99 under 20 ms at
100 registrations a second): the platform as `hrssctl platform run` starts it, one process of
each (Postgres), registrations sent open loop (``open_loop``) at a few a second, then at 100 a
second. Each registration's EnterpriseRegistered is timed from the enterprise's commit (its
event-log row's ``created_at``, written by the unit of work as it commits) to identity's
handling of it (its ``processed_events`` row's ``processed_at``, written in the handler's
transaction, which then applies the effect), both on this machine's clock."""

import statistics
import time

from open_loop import OpenLoop
from procs import scaled
from running_platform import Platform, enterprises, registration
from sqlalchemy import create_engine, text

PORT = 18085
CONSUMER = "identity.on_enterprise_registered"
COMMITTED = "SELECT event_id, created_at FROM outbox WHERE event_type = 'EnterpriseRegistered'"
HANDLED = "SELECT event_id, processed_at FROM processed_events WHERE consumer = :consumer"
PHASES = (  # label, registrations a second, seconds
    ("idle (5 registrations a second)", 5, scaled(6)),
    ("under load (100 registrations a second)", 100, scaled(20)),
)
WARM_UP = 1.0  # seconds of each phase left out of its figures (unless the phase is that short)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def latencies(platform, expected):
    """Event id → (committed, handled) of every EnterpriseRegistered, once identity handled all."""
    producer, consumer = create_engine(platform.dbs.urls["enterprise"]), create_engine(platform.dbs.urls["identity"])
    deadline = time.monotonic() + 60
    try:
        while True:
            with producer.connect() as conn:
                committed = dict(conn.execute(text(COMMITTED)).all())
            with consumer.connect() as conn:
                handled = dict(conn.execute(text(HANDLED), {"consumer": CONSUMER}).all())
            if len(committed) >= expected and set(committed) <= set(handled):
                return {event: (at, handled[event]) for event, at in committed.items()}
            if time.monotonic() > deadline:
                raise SystemExit(f"bench: {len(set(committed) - set(handled))} events not handled within 60 s")
            time.sleep(0.5)
    finally:
        producer.dispose()
        consumer.dispose()


def main():
    records = list(enterprises(sum(rate * length for _, rate, length in PHASES)))
    results = []
    with Platform(records, PORT) as platform:
        start, registered = 0, 0
        for label, rate, length in PHASES:
            bodies = [registration(r) for r in records[start : start + rate * length]]
            start += len(bodies)
            phase_started = time.time()  # wall clock: compared with the rows' timestamps
            answers = OpenLoop(f"{platform.url}/api/v1/registrations", bodies, rate).run()
            registered += sum(1 for *_, status in answers if status == 201)
            events = latencies(platform, registered)
            ms = [
                (handled - committed).total_seconds() * 1000
                for committed, handled in events.values()
                if committed.timestamp() >= phase_started + (WARM_UP if length > 2 * WARM_UP else 0)
            ]
            answer_ms = [(answered - scheduled) * 1000 for scheduled, _, answered, _ in answers]
            span = max(a for _, _, a, _ in answers) - min(s for s, _, _, _ in answers)
            other = sum(1 for *_, status in answers if status != 201)
            results.append((label, len(answers) / span, other, answer_ms, ms))
    print("\n## Event latency while registrations flow, commit → consumer (platform, Postgres, 1 of each)")
    print("EnterpriseRegistered, enterprise's commit → identity's handler; registrations sent open loop.")
    print("Target: p99 under 20 ms at 100 registrations a second.\n")
    print("| registrations | done/s | not 201 | answer p50 ms | answer p99 ms | events | p50 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    for label, rate, other, answer_ms, ms in results:
        print(
            f"| {label} | {rate:.0f} | {other} | {statistics.median(answer_ms):.0f} | {percentile(answer_ms, 99):.0f} "
            f"| {len(ms)} | {statistics.median(ms):.1f} | {percentile(ms, 99):.1f} | {max(ms):.1f} |"
        )
    return results


if __name__ == "__main__":
    main()
