"""Use case 扫码登录 (manual 2.1.2, 3.1.1, 4) over in-memory ports with a clock the tests move:
the browser's side and the e-SSC's reports."""

import itertools
import json
import uuid

import pytest
from identity_builders import an_account
from identity_ports import Ports

from hrss_contracts.examples import random_id_number, random_uscc
from hrss_identity.domain.commands import ForgetClerk, RememberClerk, RememberLegalRepresentative
from hrss_identity.domain.errors import (
    AssertionReplayed,
    AssertionsExceeded,
    InvalidAssertion,
    QrSessionNotFound,
    SlowDown,
)
from hrss_identity.domain.events import LoginSucceeded
from hrss_identity.domain.qr import Person, QrSessionClosed, ScannedByAnother

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


# logging in: the person's enterprises decide, when the browser collects the login


def legal_rep_of(ports, *usccs, id_number=None, name="王建国"):
    id_number = id_number or random_id_number()
    for uscc in usccs:
        ports.database.accounts[uscc] = an_account(uscc)
        command = RememberLegalRepresentative(uscc, uscc, f"测试企业{uscc[-6:]}有限公司", id_number, name)
        ports.identity.remember_legal_representative(command, session=None)
    return id_number


def clerk_of(ports, uscc, id_number, name="李小红", id_type="resident_id"):
    clerk_id = str(uuid.uuid4())
    command = RememberClerk(clerk_id, uscc, id_number, name, "13904510002", id_type)
    ports.identity.remember_clerk(command, session=None)
    return clerk_id


def confirmed(ports, role, id_number, name, **claims):
    opened = ports.identity.open_qr_session(role)
    report(ports, "scan", opened, id_number, name=name, **claims)
    report(ports, "confirm", opened, id_number, name=name, **claims)
    return opened


def test_a_legal_representative_of_one_enterprise_gets_a_token_once_when_the_browser_collects_it():
    ports, uscc = Ports(), random_uscc()
    person = legal_rep_of(ports, uscc)
    opened = confirmed(ports, "legal", person, "王建国")
    assert ports.sessions.rows == {}, "no session before the browser collects it"
    view = status(ports, opened)
    session = ports.identity.authenticate(view["token"])
    assert (view["status"], session.role, session.uscc, session.id_number) == ("authenticated", "legal", uscc, person)
    assert "token" not in status(ports, opened)
    assert isinstance(ports.published[-1], LoginSucceeded)


def test_the_right_id_number_with_another_name_is_rejected_with_the_manuals_code():
    ports = Ports()
    person = legal_rep_of(ports, random_uscc())
    opened = confirmed(ports, "legal", person, "王建")
    assert status(ports, opened) == {"status": "rejected", "expires_in": 120, "error": "LEGAL_ACCOUNT_NOT_FOUND"}


def test_a_legal_representative_scanning_as_clerk_is_rejected_as_no_clerk():
    ports = Ports()
    person = legal_rep_of(ports, random_uscc())
    opened = confirmed(ports, "clerk", person, "王建国")
    assert status(ports, opened)["error"] == "CLERK_ACCOUNT_NOT_FOUND"


def test_a_clerk_known_by_a_foreign_document_logs_in_with_that_document_and_not_another_of_the_same_number():
    ports, uscc = Ports(), random_uscc()
    legal_rep_of(ports, uscc)
    clerk_of(ports, uscc, "E12345678", name="John Smith", id_type="passport")

    other = confirmed(ports, "clerk", "E12345678", "John Smith", id_type="hk_macao_permit")
    assert status(ports, other)["error"] == "CLERK_ACCOUNT_NOT_FOUND"
    opened = confirmed(ports, "clerk", "E12345678", "John Smith", id_type="passport")
    view = status(ports, opened)
    assert (view["status"], ports.identity.authenticate(view["token"]).uscc) == ("authenticated", uscc)


def test_a_legal_representative_is_known_by_a_resident_id_only():
    ports = Ports()
    person = legal_rep_of(ports, random_uscc())
    opened = confirmed(ports, "legal", person, "王建国", id_type="passport")
    assert status(ports, opened)["error"] == "LEGAL_ACCOUNT_NOT_FOUND"


def test_a_clerk_removed_between_confirm_and_collection_gets_no_session():
    ports, uscc = Ports(), random_uscc()
    legal_rep_of(ports, uscc)
    person = random_id_number()
    clerk_id = clerk_of(ports, uscc, person)
    opened = confirmed(ports, "clerk", person, "李小红")
    ports.identity.forget_clerk(ForgetClerk(clerk_id), session=None)
    view = status(ports, opened)
    assert (view["status"], "token" in view, view["error"]) == ("rejected", False, "CLERK_ACCOUNT_NOT_FOUND")
    assert ports.sessions.rows == {}


def test_several_enterprises_ask_the_browser_to_pick_and_a_stale_pick_opens_nothing():
    ports, first, second = Ports(), random_uscc(), random_uscc()
    person = random_id_number()
    legal_rep_of(ports, first, id_number=person)
    legal_rep_of(ports, second, id_number=person)
    opened = confirmed(ports, "legal", person, "王建国")
    view = status(ports, opened)
    assert sorted(e["uscc"] for e in view["enterprises"]) == sorted([first, second])
    with pytest.raises(LookupError):
        ports.identity.select_enterprise(opened.qr_id, opened.binding, random_uscc())
    token = ports.identity.select_enterprise(opened.qr_id, opened.binding, second)
    assert ports.identity.authenticate(token).uscc == second
    assert "token" not in status(ports, opened)
    with pytest.raises(QrSessionClosed):
        ports.identity.select_enterprise(opened.qr_id, opened.binding, first)


def test_of_two_racing_confirms_exactly_one_wins():
    ports, uscc = Ports(), random_uscc()
    person = legal_rep_of(ports, uscc)
    opened = ports.identity.open_qr_session("legal")
    report(ports, "scan", opened, person, name="王建国")
    read = ports.qr.sessions.get(opened.qr_id)
    report(ports, "confirm", opened, person, name="王建国")
    racing = read.confirmed(Person(person, "王建国"), [], "LEGAL_ACCOUNT_NOT_FOUND", ports.now)
    assert ports.qr.sessions.replace(read, racing) is False
    assert status(ports, opened)["status"] == "authenticated"
