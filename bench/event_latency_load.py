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
COMMITTED = "SELECT event_id, created_at, published_at FROM outbox WHERE event_type = 'EnterpriseRegistered'"
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
    """Event id → (committed, marked published, handled) of every EnterpriseRegistered, once
    identity handled all and the relay marked all."""
    producer, consumer = create_engine(platform.dbs.urls["enterprise"]), create_engine(platform.dbs.urls["identity"])
    deadline = time.monotonic() + 60
    try:
        while True:
            with producer.connect() as conn:
                committed = {event: (at, marked) for event, at, marked in conn.execute(text(COMMITTED))}
            with consumer.connect() as conn:
                handled = dict(conn.execute(text(HANDLED), {"consumer": CONSUMER}).all())
            done = all(marked is not None for _, marked in committed.values())
            if len(committed) >= expected and done and set(committed) <= set(handled):
                return {event: (at, marked, handled[event]) for event, (at, marked) in committed.items()}
            if time.monotonic() > deadline:
                raise SystemExit(f"bench: {len(set(committed) - set(handled))} events not handled within 60 s")
            time.sleep(0.5)
    finally:
        producer.dispose()
        consumer.dispose()


def spread(values, digits=1):
    """``p50 / p99`` of ``values``, or a dash when there are none."""
    if not values:
        return "-"
    return f"{statistics.median(values):.{digits}f} / {percentile(values, 99):.{digits}f}"


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
            warm_up = phase_started + (WARM_UP if length > 2 * WARM_UP else 0)
            timed = [times for times in events.values() if times[0].timestamp() >= warm_up]
            ms = [(handled - at).total_seconds() * 1000 for at, _, handled in timed]
            relay_ms = [(marked - at).total_seconds() * 1000 for at, marked, _ in timed]
            answer_ms = [(answered - scheduled) * 1000 for scheduled, _, answered, _ in answers]
            span = max(a for _, _, a, _ in answers) - min(s for s, _, _, _ in answers)
            other = sum(1 for *_, status in answers if status != 201)
            results.append((label, len(answers) / span, other, answer_ms, ms, relay_ms))
    print("\n## Event latency while registrations flow, commit → consumer (platform, Postgres, 1 of each)")
    print("EnterpriseRegistered, enterprise's commit → identity's handler; registrations sent open loop; the")
    print("relay marks an event published once the broker confirmed it. Target: p99 under 20 ms at 100/s.\n")
    print(
        "| registrations | done/s | not 201 | answer ms p50 / p99 | events | commit → handler ms p50 / p99 "
        "| max ms | commit → marked published ms p50 / p99 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, rate, other, answer_ms, ms, relay_ms in results:
        print(
            f"| {label} | {rate:.0f} | {other} | {spread(answer_ms, 0)} | {len(ms)} | {spread(ms)} "
            f"| {max(ms, default=0):.1f} | {spread(relay_ms)} |"
        )
    return results


if __name__ == "__main__":
    main()
