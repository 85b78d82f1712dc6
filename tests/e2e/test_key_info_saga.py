"""单位关键信息维护 (manual 4, issue 8 part 5) end to end, a saga across services: an approved
case makes the enterprise service change the enterprise's code, name and legal representative
(``EnterpriseKeyInfoChanged``); identity follows (the new legal representative scans in, the
old one no longer can and their sessions end), authorization and business follow (the new
legal representative sees the relations and the case). 信用代码维护 aligns the enterprise's
other unit with the new code (``UnitCreditCodeChanged``). A code another registered enterprise
has turns the case back with the reason, and nothing changes."""

import json
import time
import uuid

import pytest
from e2e_clerks import (
    AGENCY,
    PASSWORD,
    PDF,
    assert_error,
    call,
    qr_login,
    register_with_units,
    staff_token,
    until,
    upload,
)

from hrss_contracts.errors import CATALOGUE
from hrss_contracts.examples import random_id_number, random_uscc

pytestmark = pytest.mark.e2e

KEY_INFO = "unit-key-info"
KEY_INFO_MATERIALS = ("change-form", "licence-copy", "change-proof")
FOLLOW_SECONDS = 10.0  # the change travels by events: identity, authorization and business follow


def legal_scans_in(platform, registered):
    view = qr_login(platform, "legal", registered.rep_id, registered.rep_name)
    assert view["status"] == "authenticated", view
    return view["token"]


def relations_of(platform, token):
    answer = call(platform, "GET", "/api/v1/insurance-relations", token)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def key_info_form(uscc, name, rep_name, rep_id, **extra):
    return {"uscc": uscc, "name": name, "legal_rep_name": rep_name, "legal_rep_id": rep_id, **extra}


def submit_key_info(platform, token, relation_id, form):
    """A 单位关键信息维护 case with its three materials (the business service may learn of the
    enterprise a little after the registration: retried until 201); its number."""
    attachments = {}
    for code in KEY_INFO_MATERIALS:
        stored = upload(platform, token, PDF, f"{code}.pdf")
        assert stored.status_code == 201, stored.text
        attachments[code] = stored.json()["attachment_id"]
    body = {"item_code": KEY_INFO, "relation_id": relation_id, "form": form, "attachments": attachments}
    created = until(lambda: call(platform, "POST", "/api/v1/cases", token, body), 201).json()
    assert created["status"] == "submitted" and created["item_code"] == KEY_INFO, created
    return created["case_no"]


def decide(platform, token, case_no, action, comment=""):
    body = {"action": action, "comment": comment}
    return call(platform, "POST", f"/api/v1/agency/cases/{case_no}/decisions", token, body)


def accept_and_approve(platform, staff, case_no):
    accepted = decide(platform, staff, case_no, "accept", "材料齐全,予以受理")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted", accepted.text
    return decide(platform, staff, case_no, "approve", "准予变更")


def align(platform, token, unit_no, uscc):
    return call(platform, "POST", f"/api/v1/agency/units/{unit_no}/credit-code", token, {"uscc": uscc})


def events(platform, aggregate_id, event_type):
    return [e for e in platform.events if f"aggregate={aggregate_id} " in e and f" {event_type} " in e]


def event_data(line):
    return json.loads(line.split(" data=", 1)[1])


def eventually(check, what, timeout=FOLLOW_SECONDS, interval=0.2):
    """``check()``'s first truthy answer before the deadline; the last answer in the failure."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {timeout} s; last: {result!r}")
        time.sleep(interval)


def test_an_approved_key_info_change_moves_the_login_to_the_new_legal_rep_and_the_other_unit_is_aligned(
    platform, tmp_path
):
    registered = register_with_units(platform, tmp_path)
    old_legal = legal_scans_in(platform, registered)
    relations = relations_of(platform, old_legal)
    units = sorted({r["unit_no"] for r in relations})
    assert len(units) == 2, relations
    first_unit, second_unit = units
    on_first = next(r["relation_id"] for r in relations if r["unit_no"] == first_unit and r["insurance"] == "110")
    new_uscc, new_name = random_uscc(), "关键信息变更后有限公司"
    new_rep_id, new_rep_name = random_id_number(), "新任法人"
    form = key_info_form(new_uscc, new_name, new_rep_name, new_rep_id, reason="法定代表人变更")
    case_no = submit_key_info(platform, old_legal, on_first, form)
    staff = staff_token(platform)

    approved = accept_and_approve(platform, staff, case_no)

    assert approved.status_code == 200 and approved.json()["status"] == "approved", approved.text
    # The enterprise service published the change under the code it registered with.
    changed = platform.events_about(registered.uscc, "EnterpriseKeyInfoChanged")
    assert changed, "no EnterpriseKeyInfoChanged"
    data = event_data(changed[0])
    assert (data["uscc"], data["previous_uscc"], data["name"], data["legal_rep_name"]) == (
        new_uscc,
        registered.uscc,
        new_name,
        new_rep_name,
    )
    assert len(events(platform, registered.uscc, "EnterpriseKeyInfoChanged")) == 1

    # Identity follows: the new legal representative scans in, under the new code.
    def new_rep_in():
        view = qr_login(platform, "legal", new_rep_id, new_rep_name)
        return view if view["status"] == "authenticated" else None

    new_legal = eventually(new_rep_in, "the new legal representative scanned in")["token"]
    me = call(platform, "GET", "/api/v1/me", new_legal)
    assert me.status_code == 200, me.text
    assert (me.json()["role"], me.json()["uscc"], me.json()["name"]) == ("legal", new_uscc, new_rep_name)
    # ... the old one's sessions end (the QR one and the password one), and a new scan is rejected.
    for token in (old_legal, registered.token):
        eventually(lambda t=token: call(platform, "GET", "/api/v1/me", t).status_code == 401, "old session refused")

    def old_rep_refused():
        view = qr_login(platform, "legal", registered.rep_id, registered.rep_name)
        return view if view["status"] == "rejected" else None

    refused = eventually(old_rep_refused, "the old legal representative's scan rejected")
    code = "LEGAL_ACCOUNT_NOT_FOUND"
    assert refused["error"] == {"code": code, "message": CATALOGUE[code].message}, refused
    assert "token" not in refused or not refused["token"]
    # The enterprise account follows, without the former legal representative's password: by
    # either code it is there, for scanning in only (manual 5.2.1.5).
    for code in (registered.uscc, new_uscc):
        assert_error(platform.post("/api/v1/auth/login", {"account": code, "password": PASSWORD}), "USE_QR_LOGIN")

    # Business follows: the new legal representative's user center has the approved case.
    def case_seen():
        answer = call(platform, "GET", "/api/v1/cases", new_legal)
        return answer.json() if answer.status_code == 200 and answer.json().get("total") else None

    mine = eventually(case_seen, "the case in the new legal representative's user center")
    assert [(c["case_no"], c["status"], c["item_code"]) for c in mine["items"]] == [(case_no, "approved", KEY_INFO)]
    whole = call(platform, "GET", f"/api/v1/cases/{case_no}", new_legal)
    assert whole.status_code == 200, whole.text
    assert [s["action"] for s in whole.json()["history"]] == ["submit", "accept", "approve"]
    # Authorization follows: the new legal representative lists the relations.
    listed = eventually(
        lambda: (a := call(platform, "GET", "/api/v1/insurance-relations", new_legal)).status_code == 200 and a,
        "the relations listed for the new legal representative",
    )
    assert sorted((r["relation_id"], r["unit_no"], r["insurance"], r["agency"]) for r in listed.json()["items"]) == (
        sorted((r["relation_id"], r["unit_no"], r["insurance"], r["agency"]) for r in relations)
    )

    # 信用代码维护: the second unit still carries the old code; only the new one aligns it.
    assert_error(align(platform, staff, second_unit, registered.uscc), "CREDIT_CODE_MISMATCH")
    elsewhere = staff_token(platform, agency=f"大庆市社会保险事业服务中心{uuid.uuid4().hex[:6]}")
    assert_error(align(platform, elsewhere, second_unit, new_uscc), "UNIT_NOT_FOUND")
    assert not events(platform, registered.uscc, "UnitCreditCodeChanged")

    aligned = align(platform, staff, second_unit, new_uscc)

    assert aligned.status_code == 200, aligned.text
    assert aligned.json() == {
        "uscc": new_uscc,
        "units": [{"unit_no": first_unit, "credit_code": new_uscc}, {"unit_no": second_unit, "credit_code": new_uscc}],
    }
    credit = platform.events_about(registered.uscc, "UnitCreditCodeChanged")
    assert credit, "no UnitCreditCodeChanged"
    credit_data = event_data(credit[0])
    assert (credit_data["unit_no"], credit_data["uscc"], credit_data["previous_uscc"], credit_data["agency"]) == (
        second_unit,
        new_uscc,
        registered.uscc,
        AGENCY,
    )
    again = align(platform, staff, second_unit, new_uscc)
    assert again.status_code == 200 and again.json() == aligned.json(), again.text
    time.sleep(0.5)  # a second event would have arrived by now
    assert len(events(platform, registered.uscc, "UnitCreditCodeChanged")) == 1


def test_a_code_another_registered_enterprise_has_turns_the_case_back_and_nothing_changes(platform, tmp_path):
    first, second = register_with_units(platform, tmp_path), register_with_units(platform, tmp_path)
    legal = legal_scans_in(platform, second)
    relation = relations_of(platform, legal)[0]["relation_id"]
    form = key_info_form(first.uscc, "冒用代码有限公司", second.rep_name, second.rep_id)
    case_no = submit_key_info(platform, legal, relation, form)
    staff = staff_token(platform)

    answer = accept_and_approve(platform, staff, case_no)

    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "correction_required", answer.text
    case = call(platform, "GET", f"/api/v1/cases/{case_no}", legal)
    assert case.status_code == 200 and case.json()["status"] == "correction_required", case.text
    last = case.json()["history"][-1]
    assert (last["action"], last["from_status"], last["status"]) == ("return", "accepted", "correction_required")
    assert "已被其他单位注册" in last["comment"], last
    assert [s["action"] for s in case.json()["history"]] == ["submit", "accept", "return"]
    returned = platform.wait_for_event(
        lambda e: f"aggregate={case_no} " in e and " CaseStatusChanged " in e and '"correction_required"' in e
    )
    assert returned, "no CaseStatusChanged to correction_required"
    # Nothing changed: the legal representative still acts under the old code, still scans in.
    assert call(platform, "GET", "/api/v1/me", legal).json()["uscc"] == second.uscc
    again = qr_login(platform, "legal", second.rep_id, second.rep_name)
    assert again["status"] == "authenticated", again
    assert call(platform, "GET", "/api/v1/me", again["token"]).json()["uscc"] == second.uscc
    assert [r["relation_id"] for r in relations_of(platform, again["token"])] == [
        r["relation_id"] for r in relations_of(platform, legal)
    ]
    time.sleep(0.5)  # a change would have been published before the answer
    assert not events(platform, second.uscc, "EnterpriseKeyInfoChanged")
    assert not [e for e in platform.events if " EnterpriseKeyInfoChanged " in e and first.uscc in e]
    # The case is back with the applicant: a correction is for them, the agency cannot approve it.
    refused = decide(platform, staff, case_no, "approve", "准予")
    assert_error(refused, "CASE_STATUS_CONFLICT")
    assert refused.json()["error"]["current_status"] == "correction_required"
