"""QR login with the e-SSC (manual 2.1.2, 3.1.1, 4) over HTTP, the e-SSC played by `hrssctl essc`,
on the platform as `make run` runs it."""

import threading
import time

import pytest
import requests
from e2e_records import application, import_records, source_record

from hrss_contracts.errors import CATALOGUE
from hrss_contracts.examples import random_id_number, random_uscc

pytestmark = pytest.mark.e2e

SESSIONS = "/api/v1/auth/qr-sessions"


def open_session(platform, role="legal"):
    answer = platform.post(SESSIONS, {"role": role})
    assert answer.status_code == 201, answer.text
    return answer.json()


def status(platform, session, wait=None, binding=None):
    query = {"wait": wait} if wait is not None else {}
    return requests.get(
        f"{platform.base_url}{SESSIONS}/{session['qr_id']}",
        params=query,
        headers={"X-QR-Binding": session["binding"] if binding is None else binding},
        timeout=40,
    )


def essc(platform, act, session, id_number, name, expect_ok=True):
    done = platform.hrssctl("essc", act, "--qr", session["qr_content"], "--id-number", id_number, "--name", name)
    assert (done.returncode == 0) == expect_ok, done.stdout + done.stderr
    return done


def registered_enterprise(platform, tmp_path, rep_id=None, rep="扫码法人"):
    uscc, rep_id = random_uscc(), rep_id or random_id_number()
    import_records(platform, tmp_path, "market", source_record(uscc, f"扫码测试{uscc[-4:]}有限公司", rep, rep_id))
    body = application(uscc, f"扫码测试{uscc[-4:]}有限公司", rep, rep_id)
    assert platform.post("/api/v1/registrations", body).status_code == 201
    return uscc, rep_id


def me(platform, token):
    return requests.get(f"{platform.base_url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=30)


def until_status(platform, session, wanted, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        view = status(platform, session, wait=5).json()
        if view["status"] == wanted:
            return view
    pytest.fail(f"the session never became {wanted}")


def test_a_legal_representative_scans_confirms_and_the_waiting_browser_gets_the_token_once(platform, tmp_path):
    uscc, rep_id = registered_enterprise(platform, tmp_path)
    platform.wait_for_event(lambda e: " EnterpriseRegistered " in e and uscc in e)
    session = open_session(platform)
    assert session["title"] == "法人扫码登录"
    seen = {}
    waiter = threading.Thread(target=lambda: seen.update(status(platform, session, wait=20).json()))
    waiter.start()
    time.sleep(0.5)
    started = time.monotonic()
    essc(platform, "scan", session, rep_id, "扫码法人")
    waiter.join(timeout=20)
    assert seen["status"] == "scanned" and time.monotonic() - started < 5
    essc(platform, "confirm", session, rep_id, "扫码法人")
    view = until_status(platform, session, "authenticated")
    assert "token" in view
    again = status(platform, session, wait=1).json()
    assert again["status"] == "authenticated" and "token" not in again
    who = me(platform, view["token"]).json()
    assert (who["role"], who["uscc"], who["name"]) == ("legal", uscc, "扫码法人")
    assert who["id_number"] == rep_id[:11] + "********"


def test_a_legal_representative_of_two_enterprises_picks_one(platform, tmp_path):
    first, rep_id = registered_enterprise(platform, tmp_path, rep="双企法人")
    second, _ = registered_enterprise(platform, tmp_path, rep_id=rep_id, rep="双企法人")
    platform.wait_for_event(lambda e: " EnterpriseRegistered " in e and second in e)
    session = open_session(platform)
    essc(platform, "scan", session, rep_id, "双企法人")
    essc(platform, "confirm", session, rep_id, "双企法人")
    view = until_status(platform, session, "select_enterprise")
    assert sorted(e["uscc"] for e in view["enterprises"]) == sorted([first, second])
    picked = platform.post(
        f"{SESSIONS}/{session['qr_id']}/selection", {"uscc": second}, headers={"X-QR-Binding": session["binding"]}
    )
    assert picked.status_code == 200, picked.text
    assert me(platform, picked.json()["token"]).json()["uscc"] == second


def test_a_stranger_a_wrong_name_and_a_legal_representative_scanning_as_clerk_are_refused(platform, tmp_path):
    uscc, rep_id = registered_enterprise(platform, tmp_path, rep="真名法人")
    platform.wait_for_event(lambda e: " EnterpriseRegistered " in e and uscc in e)
    for role, person, name, code in (
        ("legal", random_id_number(), "路人", "LEGAL_ACCOUNT_NOT_FOUND"),
        ("legal", rep_id, "假名法人", "LEGAL_ACCOUNT_NOT_FOUND"),
        ("clerk", rep_id, "真名法人", "CLERK_ACCOUNT_NOT_FOUND"),
    ):
        session = open_session(platform, role)
        essc(platform, "scan", session, person, name)
        essc(platform, "confirm", session, person, name)
        view = until_status(platform, session, "rejected")
        assert view["error"] == {"code": code, "message": CATALOGUE[code].message}


def test_a_role_switch_opens_a_new_session_and_cancel_ends_one(platform):
    legal, clerk = open_session(platform, "legal"), open_session(platform, "clerk")
    assert legal["qr_id"] != clerk["qr_id"] and clerk["title"] == "办事员扫码登录"
    person = random_id_number()
    essc(platform, "scan", clerk, person, "某人")
    essc(platform, "cancel", clerk, person, "某人")
    assert status(platform, clerk, wait=1).json()["status"] == "cancelled"
    assert status(platform, legal, wait=1).json()["status"] == "pending"


def test_a_stolen_qr_id_without_the_binding_sees_nothing_and_a_replay_is_refused(platform):
    session = open_session(platform)
    assert status(platform, session, binding="stolen").status_code == 404
    person = random_id_number()
    printed = platform.hrssctl(
        "essc", "scan", "--qr", session["qr_content"], "--id-number", person, "--name", "某人", "--print"
    )
    token = printed.stdout.strip()
    first = platform.post("/api/v1/essc/assertions", {"assertion": token})
    replayed = platform.post("/api/v1/essc/assertions", {"assertion": token})
    assert first.status_code == 200 and first.json()["status"] == "scanned"
    assert replayed.status_code == 409 and replayed.json()["error"]["code"] == "ASSERTION_REPLAYED"
    forged = platform.post("/api/v1/essc/assertions", {"assertion": token[:-4] + "AAAA"})
    assert forged.status_code == 401 and forged.json()["error"]["code"] == "INVALID_ASSERTION"


def test_polling_without_wait_faster_than_the_interval_is_slow_down(platform):
    session = open_session(platform)
    assert status(platform, session).status_code == 200
    too_soon = status(platform, session)
    assert too_soon.status_code == 429 and too_soon.json()["error"]["code"] == "SLOW_DOWN"
    assert int(too_soon.headers["Retry-After"]) == session["interval"]
