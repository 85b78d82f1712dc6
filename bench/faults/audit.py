"""After the load: wait for the platform to settle, then check every effect against the answers.

Two consumers take each ``EnterpriseRegistered``: identity (its account, and its
``processed_events`` row) and ``faults.audit``, a durable queue of this bench bound to every
event the platform publishes, where a redelivered event is allowed but counted apart from
effects. An event is *lost* if one consumer never had it, or if a 201 has no account or no
event; an effect is *doubled* if one code has two accounts or two distinct events of a type.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import kombu
import psycopg2

from hrss_kit.topology import event_exchange

AUDIT_QUEUE = "faults.audit"
AUDITED = {"enterprise": ("EnterpriseRegistered", "RegistrationRejected"), "identity": ("AccountCreated",)}
IDENTITY_CONSUMER = "identity.on_enterprise_registered"


def declare_audit_queue(amqp_uri: str) -> None:
    """Before any event: a queue of our own bound as a consumer service's would be."""
    with kombu.Connection(amqp_uri) as connection:
        channel = connection.channel()
        queue = kombu.Queue(AUDIT_QUEUE, durable=True, auto_delete=False)
        queue(channel).declare()
        for source, types in AUDITED.items():
            exchange = event_exchange(source)
            exchange(channel).declare()
            for event_type in types:
                channel.queue_bind(AUDIT_QUEUE, exchange.name, event_type)


def drain_audit_queue(amqp_uri: str) -> list[dict]:
    envelopes = []
    with kombu.Connection(amqp_uri) as connection:
        channel = connection.channel()
        while (message := channel.basic_get(AUDIT_QUEUE, no_ack=True)) is not None:
            envelopes.append(json.loads(message.body))
    return envelopes


def query(dsn: str, sql: str) -> list[tuple]:
    connection = psycopg2.connect(dsn)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    finally:
        connection.close()


@dataclass
class Snapshot:
    """What the databases hold (``dsn`` per service: plain libpq URLs)."""

    dsns: dict[str, str]
    registered: dict[str, list[tuple]] = field(default_factory=dict)  # uscc → [(event_id, published)]
    created: dict[str, list[tuple]] = field(default_factory=dict)  # uscc → [(event_id, published)]
    accounts: Counter = field(default_factory=Counter)
    processed: set[str] = field(default_factory=set)
    unpublished: int = 0
    failed: list[tuple] = field(default_factory=list)  # (consumer, event_id, status)
    pending: list[tuple] = field(default_factory=list)

    def take(self) -> Snapshot:
        enterprise, identity = self.dsns["enterprise"], self.dsns["identity"]
        self.registered = _by_code(
            query(
                enterprise,
                "SELECT aggregate_id, event_id, published_at IS NOT NULL FROM outbox "
                "WHERE event_type = 'EnterpriseRegistered'",
            )
        )
        self.created = _by_code(
            query(
                identity,
                "SELECT (body::json)->'data'->>'uscc', event_id, published_at IS NOT NULL FROM outbox "
                "WHERE event_type = 'AccountCreated'",
            )
        )
        self.accounts = Counter(row[0] for row in query(identity, "SELECT uscc FROM accounts"))
        self.processed = {
            row[0]
            for row in query(identity, f"SELECT event_id FROM processed_events WHERE consumer = '{IDENTITY_CONSUMER}'")
        }
        self.unpublished = sum(
            query(dsn, "SELECT count(*) FROM outbox WHERE published_at IS NULL")[0][0] for dsn in (enterprise, identity)
        )
        self.failed = query(identity, "SELECT consumer, event_id, status FROM failed_events")
        self.pending = query(identity, "SELECT uscc, state, with_password FROM pending_registrations")
        return self

    def settled(self) -> bool:
        """Nothing left to publish, retry or handle: later looks would find the same."""
        events = {event_id for rows in self.registered.values() for event_id, _ in rows}
        return not self.unpublished and not self.failed and events <= self.processed


def settle(dsns: dict[str, str], timeout: float) -> tuple[Snapshot, float]:
    began = time.monotonic()
    while True:
        try:
            snapshot = Snapshot(dsns).take()
            if snapshot.settled() or time.monotonic() - began > timeout:
                return snapshot, time.monotonic() - began
        except psycopg2.OperationalError:
            if time.monotonic() - began > timeout:
                raise
        time.sleep(1.0)


def _by_code(rows: list[tuple]) -> dict[str, list[tuple]]:
    found: dict[str, list[tuple]] = defaultdict(list)
    for uscc, event_id, published in rows:
        found[uscc].append((event_id, published))
    return found


@dataclass
class Findings:
    lost: Counter = field(default_factory=Counter)  # phase → events lost
    doubled: Counter = field(default_factory=Counter)  # phase → codes with a doubled effect
    redelivered: Counter = field(default_factory=Counter)  # phase → extra copies at faults.audit
    details: list[str] = field(default_factory=list)


def check(outcomes: list, snapshot: Snapshot, audit: list[dict]) -> Findings:
    """Per phase (the phase its registration was sent in), what was lost and what doubled."""
    phase_of: dict[str, str] = {}
    answered_201: set[str] = set()
    with_password: set[str] = set()
    answer: dict[str, str] = {}  # the first answer to the code's registration
    for o in sorted(outcomes, key=lambda o: o.started):
        phase_of.setdefault(o.uscc, o.phase)
        answer.setdefault(o.uscc, f"{o.kind}: {o.status} {o.code}".strip() if o.status else f"{o.kind}: {o.error}")
        if o.kind in ("new", "password"):
            if o.status == 201:
                answered_201.add(o.uscc)
            if o.kind == "password":
                with_password.add(o.uscc)
    copies = Counter(e["event_id"] for e in audit)
    audit_ids: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in audit:
        audit_ids[(e["event_type"], e["data"].get("uscc") or e["aggregate_id"])].add(e["event_id"])
    findings = Findings()

    def about(uscc: str) -> str:
        return f"{uscc} (sent in {phase_of.get(uscc, '?')}, answered {answer.get(uscc, '?')})"

    def lost(uscc: str, why: str) -> None:
        findings.lost[phase_of.get(uscc, "?")] += 1
        findings.details.append(f"lost: {about(uscc)}: {why}")

    for uscc in sorted(answered_201):
        if not snapshot.accounts[uscc]:
            lost(uscc, "answered 201 but has no account")
        if not snapshot.registered.get(uscc):
            lost(uscc, "answered 201 but the enterprise's log has no EnterpriseRegistered")
    for kind, events in (("EnterpriseRegistered", snapshot.registered), ("AccountCreated", snapshot.created)):
        for uscc, rows in events.items():
            for event_id, published in rows:
                if not published:
                    lost(uscc, f"{kind} {event_id} never published")
                if event_id not in copies:
                    lost(uscc, f"{kind} {event_id} never reached {AUDIT_QUEUE}")
                if kind == "EnterpriseRegistered" and event_id not in snapshot.processed:
                    lost(uscc, f"{kind} {event_id} never handled by identity")
            if kind == "EnterpriseRegistered" and not snapshot.accounts[uscc]:
                if uscc in with_password and uscc not in answered_201:
                    findings.details.append(
                        f"note: {about(uscc)} registered, no account: its password died with its worker"
                    )
                else:
                    lost(uscc, "registered (EnterpriseRegistered) but has no account")
            distinct = {event_id for event_id, _ in rows} | audit_ids[(kind, uscc)]
            if len(distinct) > 1:
                findings.doubled[phase_of.get(uscc, "?")] += 1
                findings.details.append(f"doubled: {about(uscc)} has {len(distinct)} {kind} events: {sorted(distinct)}")
    for uscc, count in snapshot.accounts.items():
        if count > 1:
            findings.doubled[phase_of.get(uscc, "?")] += 1
            findings.details.append(f"doubled: {about(uscc)} has {count} accounts")
    by_id = {e["event_id"]: e for e in audit}
    for event_id, count in copies.items():
        if count > 1:
            e = by_id[event_id]
            findings.redelivered[phase_of.get(e["data"].get("uscc") or e["aggregate_id"], "?")] += count - 1
    for consumer, event_id, status in snapshot.failed:
        findings.lost["?"] += status == "parked"
        findings.details.append(f"failed event left: {consumer} {event_id} {status}")
    for uscc, state, password in snapshot.pending:
        findings.details.append(f"note: pending registration left: {about(uscc)}: {state}, password={password}")
    return findings
