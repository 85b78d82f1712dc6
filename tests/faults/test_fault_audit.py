"""How `make faults` judges a run (bench/faults/audit.py, report.py): a loss, a doubled effect
and a bad answer are each counted against the phase the registration was sent in, and a
redelivered event is counted apart from effects."""

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from faults.audit import Snapshot, check  # noqa: E402
from faults.load import Outcome  # noqa: E402
from faults.report import Phase, table  # noqa: E402

pytestmark = pytest.mark.unit


def registered(uscc, phase, status=201, kind="new"):
    return Outcome(kind, uscc, phase, started=1.0, ended=1.1, status=status)


def event(event_id, event_type, uscc):
    return {"event_id": event_id, "event_type": event_type, "aggregate_id": uscc, "data": {"uscc": uscc}}


def consistent_platform():
    """Codes A (phase p1) and B (p2) registered; each event published, handled and audited."""
    snapshot = Snapshot({})
    snapshot.registered = {"A": [("ea", True)], "B": [("eb", True)]}
    snapshot.created = {"A": [("ca", True)], "B": [("cb", True)]}
    snapshot.accounts = Counter({"A": 1, "B": 1})
    snapshot.processed = {"ea", "eb"}
    audit = [event("ea", "EnterpriseRegistered", "A"), event("eb", "EnterpriseRegistered", "B")]
    audit += [event("ca", "AccountCreated", "A"), event("cb", "AccountCreated", "B")]
    return [registered("A", "p1"), registered("B", "p2")], snapshot, audit


def test_a_consistent_run_has_nothing_lost_doubled_or_redelivered():
    findings = check(*consistent_platform())
    assert sum(findings.lost.values()) == sum(findings.doubled.values()) == sum(findings.redelivered.values()) == 0


def test_a_201_without_its_account_and_an_event_identity_never_handled_are_lost_in_their_phases():
    outcomes, snapshot, audit = consistent_platform()
    snapshot.accounts["A"] = 0
    snapshot.processed.discard("eb")
    findings = check(outcomes, snapshot, audit)
    assert findings.lost["p1"] >= 1 and findings.lost["p2"] == 1
    assert any("no account" in line for line in findings.details)


def test_an_event_missing_at_the_audit_queue_or_never_published_is_lost():
    outcomes, snapshot, audit = consistent_platform()
    snapshot.created["B"] = [("cb", False)]
    audit = [e for e in audit if e["event_id"] != "ea"]
    findings = check(outcomes, snapshot, audit)
    assert findings.lost == Counter({"p1": 1, "p2": 1})


def test_the_same_event_twice_is_redelivered_but_two_events_for_one_code_are_a_doubled_effect():
    outcomes, snapshot, audit = consistent_platform()
    audit.append(event("ea", "EnterpriseRegistered", "A"))  # a relay died between publish and mark
    snapshot.registered["B"].append(("eb2", True))  # B registered twice
    snapshot.processed.add("eb2")
    audit.append(event("eb2", "EnterpriseRegistered", "B"))
    findings = check(outcomes, snapshot, audit)
    assert findings.redelivered == Counter({"p1": 1})
    assert findings.doubled == Counter({"p2": 1})
    assert sum(findings.lost.values()) == 0


def test_the_table_misses_its_target_on_a_500_a_timeout_or_a_dropped_connection_outside_a_gateway_kill():
    outcomes, snapshot, audit = consistent_platform()
    phases = [Phase("kill -9 gateway.1", 0.0, 1.0, 1.0, 1.1), Phase("Redis restart", 0.0, 1.0, 2.0, 2.5)]
    outcomes = [registered("A", phases[0].name), registered("B", phases[1].name)]
    outcomes.append(Outcome("new", "C", phases[0].name, 1.0, 2.0, error="connection: ConnectionError"))
    text, missed = table(phases, outcomes, check(outcomes, snapshot, audit))
    assert missed == []
    assert "| kill -9 gateway.1 | 0.0 | 2 | 1 |" in text
    outcomes.append(Outcome("new", "D", phases[1].name, 3.0, 4.0, status=500, code="INTERNAL_ERROR"))
    outcomes.append(Outcome("new", "E", phases[1].name, 3.0, 23.0, error="timeout"))
    outcomes.append(Outcome("new", "F", phases[1].name, 3.0, 4.0, error="connection: ConnectionError"))
    _, missed = table(phases, outcomes, check(outcomes, snapshot, audit))
    assert any("Redis restart: 1 answers other than" in m for m in missed)
    assert any("Redis restart: 1 connections dropped, 1 requests unanswered" in m for m in missed)
    assert any("F sent 3.0 s into the phase, connection: ConnectionError after 1.0 s" in m for m in missed)


def test_a_request_sent_before_a_gateway_kill_and_dropped_by_it_is_the_kill_s_doing_whatever_its_phase():
    outcomes, snapshot, audit = consistent_platform()
    before = Phase("kill -9 enterprise.1", 0.0, 1.0, 1.0, 1.1)
    killed = Phase("kill -9 gateway.1", 10.0, 14.0, 14.0, 14.1)
    outcomes = [registered("A", before.name), registered("B", killed.name)]
    # sent at the end of the enterprise phase, still under way when the gateway was killed
    outcomes.append(Outcome("new", "C", before.name, 9.5, 14.0, error="connection: ConnectionError"))
    text, missed = table([before, killed], outcomes, check(outcomes, snapshot, audit))
    assert missed == []
    assert "note: kill -9 enterprise.1: new C sent 9.5 s into the phase, dropped after 4.5 s by a gateway kill" in text
    outcomes.append(Outcome("new", "D", before.name, 5.0, 5.5, error="connection: ConnectionError"))
    _, missed = table([before, killed], outcomes, check(outcomes, snapshot, audit))
    assert missed == [
        "kill -9 enterprise.1: 1 connections dropped, 0 requests unanswered in time; "
        "new D sent 5.0 s into the phase, connection: ConnectionError after 0.5 s"
    ]


def test_a_request_overdue_when_a_gateway_was_killed_is_not_excused_by_the_kill():
    outcomes, snapshot, audit = consistent_platform()
    before = Phase("kill -9 enterprise.1", 0.0, 1.0, 1.0, 1.1)
    killed = Phase("kill -9 gateway.1", 10.0, 20.0, 20.0, 20.1)
    outcomes = [registered("A", before.name), registered("B", killed.name)]
    outcomes.append(Outcome("new", "C", before.name, 0.5, 20.0, error="connection: ConnectionError"))  # hung 19.5 s

    _, missed = table([before, killed], outcomes, check(outcomes, snapshot, audit))

    assert missed == [
        "kill -9 enterprise.1: 1 connections dropped, 0 requests unanswered in time; "
        "new C sent 0.5 s into the phase, connection: ConnectionError after 19.5 s"
    ]


def test_a_process_that_dies_in_a_fault_that_kills_nothing_misses_the_target():
    outcomes, snapshot, audit = consistent_platform()
    killed = Phase("kill -9 identity.1", 0.0, 1.0, 1.0, 1.1, deaths=["identity.1 killed by SIGKILL"], kills=True)
    restarted = Phase("RabbitMQ stop_app/start_app", 0.0, 1.0, 5.0, 6.0, deaths=["identity.2 exited with code 1"])
    outcomes = [registered("A", killed.name), registered("B", restarted.name)]
    _, missed = table([killed, restarted], outcomes, check(outcomes, snapshot, audit))
    assert missed == [
        "RabbitMQ stop_app/start_app: processes died instead of riding it out: identity.2 exited with code 1"
    ]
