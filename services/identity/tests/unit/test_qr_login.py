"""Use case 扫码登录 (manual 2.1.2, 3.1.1, 4) over in-memory ports with a clock the tests move:
the browser's side and the e-SSC's reports."""

import itertools
import json

import pytest
from identity_ports import Ports

from hrss_contracts.examples import random_id_number
from hrss_identity.domain.errors import (
    AssertionReplayed,
    AssertionsExceeded,
    InvalidAssertion,
    QrSessionNotFound,
    SlowDown,
)
from hrss_identity.domain.qr import QrSessionClosed, ScannedByAnother

pytestmark = pytest.mark.unit

JTIS = itertools.count()


def assertion(ports, act, opened, id_number, name="张三", jti=None, exp=None, **extra):
    claims = {
        "qr": opened.qr_id,
        "act": act,
        "sub": id_number,
        "name": name,
        "jti": jti or f"jti-{next(JTIS)}",
        "exp": exp or ports.now + 60,
        **extra,
    }
    return json.dumps(claims)


def report(ports, act, opened, id_number, **kwargs):
    return ports.identity.essc_assertion(assertion(ports, act, opened, id_number, **kwargs))


def status(ports, opened, waiting=True, binding=None):
    return ports.identity.qr_status(opened.qr_id, opened.binding if binding is None else binding, waiting)


def test_a_new_session_is_pending_for_two_minutes_with_its_role_and_a_binding():
    ports = Ports()
    opened = ports.identity.open_qr_session("clerk")
    assert (opened.role, opened.expires_in, opened.interval) == ("clerk", 120, 2)
    assert opened.qr_content.endswith(f"?qr={opened.qr_id}") and len(opened.binding) >= 43
    assert status(ports, opened) == {"status": "pending", "expires_in": 120}


def test_a_scan_is_seen_by_the_browser_and_announced_to_waiting_gateways():
    ports = Ports()
    opened = ports.identity.open_qr_session("legal")
    assert report(ports, "scan", opened, random_id_number()) == "scanned"
    assert status(ports, opened)["status"] == "scanned"
    assert ports.qr.sessions.announced == [opened.qr_id]


def test_without_the_binding_the_session_does_not_exist():
    ports = Ports()
    opened = ports.identity.open_qr_session("legal")
    for binding in ("", "a-stolen-guess", ports.identity.open_qr_session("legal").binding):
        with pytest.raises(QrSessionNotFound):
            status(ports, opened, binding=binding)
    with pytest.raises(QrSessionNotFound):
        ports.identity.select_enterprise(opened.qr_id, "wrong", "91110000600037341L")


def test_a_session_expires_after_120_seconds_and_takes_no_report_after():
    ports = Ports()
    opened = ports.identity.open_qr_session("legal")
    ports.now += 119
    assert status(ports, opened)["status"] == "pending"
    ports.now += 1
    assert status(ports, opened) == {"status": "expired", "expires_in": 0}
    with pytest.raises(QrSessionClosed):
        report(ports, "scan", opened, random_id_number())


def test_cancel_by_the_person_who_scanned_ends_the_session():
    ports = Ports()
    opened, person = ports.identity.open_qr_session("legal"), random_id_number()
    report(ports, "scan", opened, person)
    with pytest.raises(ScannedByAnother):
        report(ports, "cancel", opened, random_id_number())
    assert report(ports, "cancel", opened, person) == "cancelled"
    with pytest.raises(QrSessionClosed):
        report(ports, "confirm", opened, person)


def test_a_code_scanned_by_one_person_cannot_be_scanned_or_confirmed_by_another():
    ports = Ports()
    opened = ports.identity.open_qr_session("legal")
    report(ports, "scan", opened, random_id_number())
    with pytest.raises(ScannedByAnother):
        report(ports, "scan", opened, random_id_number())
    with pytest.raises(ScannedByAnother):
        report(ports, "confirm", opened, random_id_number())


def test_a_confirm_before_a_scan_is_refused():
    ports = Ports()
    opened = ports.identity.open_qr_session("legal")
    with pytest.raises(QrSessionClosed):
        report(ports, "confirm", opened, random_id_number())


def test_a_replayed_assertion_is_refused_even_when_its_step_could_repeat():
    ports = Ports()
    opened, person = ports.identity.open_qr_session("legal"), random_id_number()
    report(ports, "scan", opened, person, jti="once")
    with pytest.raises(AssertionReplayed):
        report(ports, "scan", opened, person, jti="once")


def test_a_forged_assertion_changes_nothing():
    ports = Ports()
    opened = ports.identity.open_qr_session("legal")
    with pytest.raises(InvalidAssertion):
        report(ports, "scan", opened, random_id_number(), forged=True)
    assert status(ports, opened)["status"] == "pending"


def test_too_many_assertions_for_one_session_are_refused():
    ports = Ports()
    opened, person = ports.identity.open_qr_session("legal"), random_id_number()
    for _ in range(10):
        report(ports, "scan", opened, person)
    with pytest.raises(AssertionsExceeded):
        report(ports, "scan", opened, person)


def test_polling_without_waiting_faster_than_the_interval_is_slow_down():
    ports = Ports()
    opened = ports.identity.open_qr_session("legal")
    status(ports, opened, waiting=False)
    ports.now += 1.9
    with pytest.raises(SlowDown):
        status(ports, opened, waiting=False)
    ports.now += 0.1
    assert status(ports, opened, waiting=False)["status"] == "pending"
    assert status(ports, opened, waiting=True)["status"] == "pending"  # waiting is never too fast
