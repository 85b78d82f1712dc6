"""办件 (manual 4, issue 8) end to end: a clerk granted two relations submits a case with its
materials, agency staff of the relation's agency accept and approve it, the user center shows
the whole history; who may submit, see and decide what; the form and materials checked; the
statuses after the Administrative Licensing Law.

One enterprise (two units: 110 and 210 in the first, 410 in the second), one clerk granted 110
and 210, and staff of its agency are shared by the module (``shop``); tests that change grants
or need another enterprise make their own."""

import re
import threading
import time
import uuid
from dataclasses import dataclass

import pytest
from e2e_clerks import (
    AGENCY,
    PDF,
    PNG,
    assert_error,
    call,
    clerk_logs_in,
    new_staff,
    qr_login,
    register_with_units,
    staff_token,
    until,
    upload,
)

from hrss_contracts.examples import random_id_number

pytestmark = pytest.mark.e2e

KEY_INFO = "unit-key-info"
KEY_INFO_MATERIALS = ("change-form", "change-proof", "licence-copy")
CONTRIBUTION_BASE = "contribution-base"
CONTRIBUTION_MATERIALS = ("base-form", "employee-confirmation", "wage-roster")
CASE_NO = re.compile(r"^YW[0-9]{8}[0-9]{6}$")


@dataclass(frozen=True)
class Clerk:
    clerk_id: str
    id_number: str
    name: str
    token: str


@dataclass(frozen=True)
class Shop:
    uscc: str
    name: str
    rep_name: str
    rep_id: str
    legal: str
    relations: dict  # insurance type → relation id
    clerk: Clerk  # granted 110 and 210, not 410
    staff: str  # agency staff of AGENCY


def add_clerk(platform, legal, name, relation_ids):
    """A clerk added by the legal representative, granted ``relation_ids``, scanned in."""
    id_number = random_id_number()
    added = call(
        platform, "POST", "/api/v1/clerks", legal, {"id_number": id_number, "name": name, "phone": "13900139000"}
    )
    assert added.status_code == 201, added.text
    clerk_id = added.json()["clerk_id"]
    granted = call(platform, "PUT", f"/api/v1/clerks/{clerk_id}/grants", legal, {"relation_ids": sorted(relation_ids)})
    assert granted.status_code == 200 and granted.json()["relation_ids"] == sorted(relation_ids), granted.text
    view = clerk_logs_in(platform, id_number, name)
    assert view["status"] == "authenticated", view
    return Clerk(clerk_id, id_number, name, view["token"])


def relations_of(platform, legal):
    items = call(platform, "GET", "/api/v1/insurance-relations", legal).json()["items"]
    return {r["insurance"]: r["relation_id"] for r in items}


def key_info_form(shop, **changes):
    """单位关键信息维护 with the enterprise's own key information (nothing actually changes)."""
    form = {"uscc": shop.uscc, "name": shop.name, "legal_rep_name": shop.rep_name, "legal_rep_id": shop.rep_id}
    return {**form, **changes}


def contribution_form():
    return {
        "year": 2026,
        "total_wage": 120000.0,
        "insured_count": 1,
        "employees": [{"id_number": random_id_number(), "name": "职工甲", "avg_monthly_wage": 10000}],
        "contact_phone": "13900139000",
    }


def uploaded(platform, token, codes, content=PDF):
    """One new upload of ``token``'s per material code: ``{code: attachment_id}``."""
    found = {}
    for code in codes:
        stored = upload(platform, token, content, f"{code}.png" if content == PNG else f"{code}.pdf")
        assert stored.status_code == 201, stored.text
        found[code] = stored.json()["attachment_id"]
    return found


def submit(platform, token, item_code, relation_id, form, attachments):
    body = {"item_code": item_code, "relation_id": relation_id, "form": form, "attachments": attachments}
    return call(platform, "POST", "/api/v1/cases", token, body)


def submitted_case(platform, shop, token=None, relation="110"):
    """A new 单位关键信息维护 case of the shop's clerk (or ``token``), status submitted: its number."""
    token = token or shop.clerk.token
    attachments = uploaded(platform, token, KEY_INFO_MATERIALS)
    answer = submit(platform, token, KEY_INFO, shop.relations[relation], key_info_form(shop), attachments)
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "submitted"
    return answer.json()["case_no"]


def decide(platform, token, case_no, action, comment=""):
    body = {"action": action, "comment": comment}
    return call(platform, "POST", f"/api/v1/agency/cases/{case_no}/decisions", token, body)


def show(platform, token, case_no):
    return call(platform, "GET", f"/api/v1/cases/{case_no}", token)


def listed(platform, token, path="/api/v1/cases", **params):
    answer = call(platform, "GET", path, token, params={"page_size": 100, **params})
    assert answer.status_code == 200, answer.text
    return answer.json()


def steps(case):
    return [(s["action"], s["from_status"], s["status"], s["actor"]["role"], s["comment"]) for s in case["history"]]


def assert_conflict(answer, current_status):
    assert_error(answer, "CASE_STATUS_CONFLICT")
    assert answer.json()["error"]["current_status"] == current_status, answer.text


def events_of_case(platform, case_no, event_type):
    return [e for e in platform.events if f"aggregate={case_no} " in e and f" {event_type} " in e]


@pytest.fixture(scope="module")
def shop(platform, tmp_path_factory):
    registered = register_with_units(platform, tmp_path_factory.mktemp("cases"))
    relations = relations_of(platform, registered.token)
    assert sorted(relations) == ["110", "210", "410"]
    clerk = add_clerk(platform, registered.token, "办件甲", [relations["110"], relations["210"]])
    # The business service learns of the enterprise and the grants by events: a submission
    # with an empty form is 400 once it knows, 403 RELATION_NOT_GRANTED before.
    until(lambda: submit(platform, clerk.token, KEY_INFO, relations["110"], {}, {}), 400)
    staff = staff_token(platform)
    return Shop(
        registered.uscc,
        registered.name,
        registered.rep_name,
        registered.rep_id,
        registered.token,
        relations,
        clerk,
        staff,
    )


def test_a_clerk_submits_agency_staff_accept_and_approve_and_the_user_center_shows_the_history(platform, tmp_path):
    registered = register_with_units(platform, tmp_path)
    legal_view = qr_login(platform, "legal", registered.rep_id, registered.rep_name)
    assert legal_view["status"] == "authenticated", legal_view
    legal = legal_view["token"]
    relations = relations_of(platform, legal)
    clerk = add_clerk(platform, legal, "办件乙", [relations["110"], relations["210"]])
    attachments = uploaded(platform, clerk.token, CONTRIBUTION_MATERIALS)
    form = contribution_form()

    created = until(
        lambda: submit(platform, clerk.token, CONTRIBUTION_BASE, relations["210"], form, attachments), 201
    ).json()

    case_no = created["case_no"]
    assert CASE_NO.match(case_no) and created["status"] == "submitted", created
    assert (created["item_code"], created["insurance"], created["agency"]) == (CONTRIBUTION_BASE, "210", AGENCY)
    account, staff = new_staff(platform)
    queue = listed(platform, staff, "/api/v1/agency/cases", status="submitted")["items"]
    assert case_no in [c["case_no"] for c in queue]
    assert {c["status"] for c in queue} == {"submitted"}
    seen = show(platform, staff, case_no)
    assert seen.status_code == 200, seen.text
    case = seen.json()
    assert case["form"] == form and case["relation_id"] == relations["210"] and case["uscc"] == registered.uscc
    assert {m["material_code"]: m["attachment_id"] for m in case["materials"]} == attachments
    assert {(m["content_type"], m["size"]) for m in case["materials"]} == {("application/pdf", len(PDF))}
    material = call(platform, "GET", f"/api/v1/cases/{case_no}/materials/{attachments['wage-roster']}", staff)
    assert material.status_code == 200 and material.content == PDF
    assert material.headers["Content-Type"] == "application/pdf"

    accepted = decide(platform, staff, case_no, "accept", "材料齐全,予以受理")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted", accepted.text
    approved = decide(platform, staff, case_no, "approve", "核定缴费基数,准予办理")
    assert approved.status_code == 200 and approved.json()["status"] == "approved", approved.text

    for token in (clerk.token, legal):
        mine = listed(platform, token)
        assert [(c["case_no"], c["status"], c["status_label"], c["applicant"]) for c in mine["items"]] == [
            (case_no, "approved", "已办结(准予)", clerk.name)
        ]
        assert mine["total"] == 1
        whole = show(platform, token, case_no).json()
        assert whole["status"] == "approved"
        assert steps(whole) == [
            ("submit", None, "submitted", "clerk", ""),
            ("accept", "submitted", "accepted", "agency", "材料齐全,予以受理"),
            ("approve", "accepted", "approved", "agency", "核定缴费基数,准予办理"),
        ]
        assert [s["actor"]["name"] for s in whole["history"]] == [clerk.name, AGENCY, AGENCY]
        times = [s["at"] for s in whole["history"]]
        assert times == sorted(times) and times[0] == whole["submitted_at"] and times[-1] == whole["updated_at"]
        assert [s["actor"]["agency"] for s in whole["history"][1:]] == [AGENCY, AGENCY]
    mine = call(platform, "GET", f"/api/v1/cases/{case_no}/materials/{attachments['base-form']}", legal)
    assert mine.status_code == 200 and mine.content == PDF

    assert platform.events_about(case_no, "CaseSubmitted")
    concluded = platform.events_about(case_no, "CaseConcluded")
    assert concluded and '"status": "approved"' in concluded[0]
    deadline = time.monotonic() + 10
    while len(events_of_case(platform, case_no, "CaseStatusChanged")) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    changed = events_of_case(platform, case_no, "CaseStatusChanged")
    assert sorted(re.search(r'"status": "(\w+)"', e).group(1) for e in changed) == ["accepted", "approved"]
    assert len(events_of_case(platform, case_no, "CaseSubmitted")) == 1
    assert len(events_of_case(platform, case_no, "CaseConcluded")) == 1


def test_a_clerk_is_refused_on_a_relation_not_granted_to_them(platform, shop):
    attachments = uploaded(platform, shop.clerk.token, KEY_INFO_MATERIALS)
    before = listed(platform, shop.legal)["total"]

    refused = submit(platform, shop.clerk.token, KEY_INFO, shop.relations["410"], key_info_form(shop), attachments)

    assert_error(refused, "RELATION_NOT_GRANTED")
    assert refused.json()["error"]["message"] == "当前用户没有该参保关系的经办权限!"
    assert listed(platform, shop.legal)["total"] == before
    # The legal representative acts for any relation of the enterprise.
    mine = uploaded(platform, shop.legal, KEY_INFO_MATERIALS)
    done = submit(platform, shop.legal, KEY_INFO, shop.relations["410"], key_info_form(shop), mine)
    assert done.status_code == 201 and done.json()["insurance"] == "410", done.text
    # ... and the clerk does not see it in their user center (not their relation).
    assert done.json()["case_no"] not in [c["case_no"] for c in listed(platform, shop.clerk.token)["items"]]
    assert_error(show(platform, shop.clerk.token, done.json()["case_no"]), "CASE_NOT_FOUND")


def test_a_revoked_grant_stops_new_submissions_within_a_second_and_the_legal_rep_still_sees_the_case(platform, shop):
    clerk = add_clerk(platform, shop.legal, "办件丙", [shop.relations["110"], shop.relations["210"]])
    attachments = uploaded(platform, clerk.token, KEY_INFO_MATERIALS)
    body = (KEY_INFO, shop.relations["110"], key_info_form(shop), attachments)
    earlier = until(lambda: submit(platform, clerk.token, *body), 201).json()["case_no"]

    revoked = call(
        platform,
        "PUT",
        f"/api/v1/clerks/{clerk.clerk_id}/grants",
        shop.legal,
        {"relation_ids": [shop.relations["210"]]},
    )
    assert revoked.status_code == 200 and revoked.json()["relation_ids"] == [shop.relations["210"]], revoked.text
    start = time.monotonic()
    while True:
        answer = submit(platform, clerk.token, *body)
        elapsed = time.monotonic() - start
        if answer.status_code != 201 or elapsed > 1.0:
            break
        time.sleep(0.02)

    assert_error(answer, "RELATION_NOT_GRANTED")
    assert elapsed <= 1.0, f"still submitting {elapsed:.2f} s after the revocation"
    # Still refused afterwards, while the relation still granted goes on.
    assert_error(submit(platform, clerk.token, *body), "RELATION_NOT_GRANTED")
    other = submit(platform, clerk.token, KEY_INFO, shop.relations["210"], key_info_form(shop), attachments)
    assert other.status_code == 201, other.text
    seen = show(platform, shop.legal, earlier)
    assert seen.status_code == 200 and seen.json()["status"] == "submitted"
    assert seen.json()["history"][0]["actor"]["role"] == "clerk"
    assert earlier in [c["case_no"] for c in listed(platform, shop.legal)["items"]]
    # The clerk no longer sees the relation's cases; the other relation's they do.
    assert [c["case_no"] for c in listed(platform, clerk.token)["items"]] == [other.json()["case_no"]]
    assert_error(show(platform, clerk.token, earlier), "CASE_NOT_FOUND")


def test_a_wrong_form_and_missing_materials_are_named_field_by_field_and_nothing_is_written(platform, shop):
    clerk = shop.clerk.token
    before = listed(platform, shop.legal)["total"]
    change_form = uploaded(platform, clerk, ["change-form"])
    form = {"uscc": "123", "name": "", "legal_rep_id": "23010219900101123", "reason": 7}

    wrong = submit(platform, clerk, KEY_INFO, shop.relations["110"], form, change_form)

    assert_error(wrong, "VALIDATION_FAILED")
    assert set(wrong.json()["error"]["fields"]) == {
        "form.uscc",
        "form.name",
        "form.legal_rep_name",
        "form.legal_rep_id",
        "form.reason",
        "attachments.licence-copy",
        "attachments.change-proof",
    }
    fields = wrong.json()["error"]["fields"]
    assert fields["form.legal_rep_name"] == ["法定代表人姓名不能为空"]
    assert fields["form.uscc"] == ["统一社会信用代码格式不正确"]
    # A field the form does not have is named too.
    extra = submit(
        platform,
        clerk,
        KEY_INFO,
        shop.relations["110"],
        key_info_form(shop, nickname="x"),
        uploaded(platform, clerk, KEY_INFO_MATERIALS),
    )
    assert_error(extra, "VALIDATION_FAILED")
    assert list(extra.json()["error"]["fields"]) == ["form.nickname"]
    # Attachments must be the submitter's own: the legal representative's upload is not the clerk's.
    theirs = uploaded(platform, shop.legal, ["licence-copy"])
    own = uploaded(platform, clerk, ["change-form", "change-proof"])
    foreign = submit(platform, clerk, KEY_INFO, shop.relations["110"], key_info_form(shop), {**own, **theirs})
    assert_error(foreign, "ATTACHMENT_NOT_FOUND")
    assert set(foreign.json()["error"]["fields"]) == {"attachments.licence-copy"}
    unknown_attachment = {**own, "licence-copy": uuid.uuid4().hex}
    assert_error(
        submit(platform, clerk, KEY_INFO, shop.relations["110"], key_info_form(shop), unknown_attachment),
        "ATTACHMENT_NOT_FOUND",
    )

    assert listed(platform, shop.legal)["total"] == before


def test_items_that_do_not_apply_are_online_only_at_the_window_or_do_not_exist_are_refused(platform, shop):
    clerk = shop.clerk.token
    before = listed(platform, shop.legal)["total"]
    injury = {
        "applicant_type": "用人单位",
        "employee_name": "职工乙",
        "employee_id_number": random_id_number(),
        "injury_type": "事故伤害",
        "occurred_on": "2026-01-05",
    }

    not_applicable = submit(platform, clerk, "injury-recognition", shop.relations["110"], injury, {})
    window_only = submit(platform, clerk, "clerk-authorization", shop.relations["110"], {}, {})
    unknown = submit(platform, clerk, "no-such-item", shop.relations["110"], {}, {})

    assert_error(not_applicable, "ITEM_NOT_APPLICABLE")
    assert_error(window_only, "ITEM_NOT_ONLINE")
    assert_error(unknown, "BUSINESS_ITEM_NOT_FOUND")
    assert unknown.status_code == 404
    # The legal representative may act for 410, where 工伤认定申请 applies: past that check
    # (the form is incomplete, so 400 naming what is missing).
    on_410 = submit(platform, shop.legal, "injury-recognition", shop.relations["410"], injury, {})
    assert_error(on_410, "VALIDATION_FAILED")
    assert "attachments.diagnosis" in on_410.json()["error"]["fields"]
    assert listed(platform, shop.legal)["total"] == before


def test_a_correction_needs_a_comment_and_the_resubmitted_case_is_accepted(platform, shop):
    case_no = submitted_case(platform, shop)

    for comment in ("", "   "):
        silent = decide(platform, shop.staff, case_no, "request_correction", comment)
        assert_error(silent, "VALIDATION_FAILED")
        assert list(silent.json()["error"]["fields"]) == ["comment"]
    assert show(platform, shop.clerk.token, case_no).json()["status"] == "submitted"
    asked = decide(platform, shop.staff, case_no, "request_correction", "请补充工商变更证明")
    assert asked.status_code == 200 and asked.json()["status"] == "correction_required", asked.text
    assert_conflict(decide(platform, shop.staff, case_no, "accept", "受理"), "correction_required")
    corrected = uploaded(platform, shop.clerk.token, KEY_INFO_MATERIALS, PNG)
    form = key_info_form(shop, reason="补充工商变更证明")
    wrong = call(
        platform, "POST", f"/api/v1/cases/{case_no}/resubmission", shop.clerk.token, {"form": {}, "attachments": {}}
    )
    assert_error(wrong, "VALIDATION_FAILED")
    assert "attachments.change-proof" in wrong.json()["error"]["fields"]

    again = call(
        platform,
        "POST",
        f"/api/v1/cases/{case_no}/resubmission",
        shop.clerk.token,
        {"form": form, "attachments": corrected},
    )

    assert again.status_code == 200 and again.json()["status"] == "resubmitted", again.text
    assert_conflict(
        call(
            platform,
            "POST",
            f"/api/v1/cases/{case_no}/resubmission",
            shop.clerk.token,
            {"form": form, "attachments": corrected},
        ),
        "resubmitted",
    )
    accepted = decide(platform, shop.staff, case_no, "accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted", accepted.text
    case = show(platform, shop.legal, case_no).json()
    assert case["round"] == 2 and case["form"] == form
    assert {m["material_code"]: (m["attachment_id"], m["content_type"]) for m in case["materials"]} == {
        code: (attachment, "image/png") for code, attachment in corrected.items()
    }
    assert steps(case) == [
        ("submit", None, "submitted", "clerk", ""),
        ("request_correction", "submitted", "correction_required", "agency", "请补充工商变更证明"),
        ("resubmit", "correction_required", "resubmitted", "clerk", ""),
        ("accept", "resubmitted", "accepted", "agency", ""),
    ]
    queue = listed(platform, shop.staff, "/api/v1/agency/cases")["items"]
    assert [c["status"] for c in queue if c["case_no"] == case_no] == ["accepted"]


def test_an_applicant_withdraws_before_a_decision_and_illegal_steps_are_409_with_the_status(platform, shop):
    first, second = submitted_case(platform, shop), submitted_case(platform, shop)
    assert first < second  # readable, unique and sortable

    assert_conflict(decide(platform, shop.staff, first, "approve", "准予"), "submitted")
    conflict = decide(platform, shop.staff, first, "deny", "不予")
    assert_conflict(conflict, "submitted")
    assert conflict.json()["error"]["message"] == "该办件当前状态为“已提交”,不能进行此操作!"
    withdrawn = call(platform, "POST", f"/api/v1/cases/{first}/withdrawal", shop.legal, {"comment": "信息填写有误"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn", withdrawn.text
    assert_conflict(decide(platform, shop.staff, first, "accept"), "withdrawn")
    assert_conflict(call(platform, "POST", f"/api/v1/cases/{first}/withdrawal", shop.clerk.token), "withdrawn")

    assert decide(platform, shop.staff, second, "accept").json()["status"] == "accepted"
    assert_conflict(call(platform, "POST", f"/api/v1/cases/{second}/withdrawal", shop.clerk.token), "accepted")
    assert_conflict(decide(platform, shop.staff, second, "accept"), "accepted")

    assert steps(show(platform, shop.clerk.token, first).json()) == [
        ("submit", None, "submitted", "clerk", ""),
        ("withdraw", "submitted", "withdrawn", "legal", "信息填写有误"),
    ]
    assert show(platform, shop.legal, second).json()["status"] == "accepted"
    assert '"status": "withdrawn"' in platform.events_about(first, "CaseConcluded")[0]
    mine = listed(platform, shop.clerk.token)["items"]
    assert [c["case_no"] for c in mine] == sorted((c["case_no"] for c in mine), reverse=True)  # newest first
    withdrawn = listed(platform, shop.clerk.token, status="withdrawn")["items"]
    assert first in [c["case_no"] for c in withdrawn] and {c["status"] for c in withdrawn} == {"withdrawn"}


def at_once(platform, case_no, deciders):
    """Each ``(token, action)`` decided on ``case_no`` in its own thread, released together."""
    barrier = threading.Barrier(len(deciders))
    answers = [None] * len(deciders)

    def decide_now(index, token, action):
        barrier.wait()
        answers[index] = decide(platform, token, case_no, action, "同时处理")

    threads = [threading.Thread(target=decide_now, args=(i, *d)) for i, d in enumerate(deciders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_two_staff_deciding_the_same_case_at_once_one_wins_the_other_gets_409(platform, shop):
    other = staff_token(platform)
    for actions in (("accept", "accept"), ("accept", "request_correction")):
        case_no = submitted_case(platform, shop)

        answers = at_once(platform, case_no, [(shop.staff, actions[0]), (other, actions[1])])

        assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
        won = next(a for a in answers if a.status_code == 200).json()["status"]
        assert_conflict(next(a for a in answers if a.status_code == 409), won)
        case = show(platform, shop.legal, case_no).json()
        assert case["status"] == won and len(case["history"]) == 2


def test_only_the_cases_agency_and_enterprise_see_a_case_and_clerks_have_no_agency_queue(platform, shop, tmp_path):
    case_no = submitted_case(platform, shop)
    material = show(platform, shop.clerk.token, case_no).json()["materials"][0]["attachment_id"]
    elsewhere = staff_token(platform, agency=f"大庆市社会保险事业服务中心{uuid.uuid4().hex[:6]}")
    stranger = register_with_units(platform, tmp_path)

    for token in (elsewhere, stranger.token):
        assert_error(show(platform, token, case_no), "CASE_NOT_FOUND")
        assert_error(call(platform, "GET", f"/api/v1/cases/{case_no}/materials/{material}", token), "CASE_NOT_FOUND")
    assert_error(decide(platform, elsewhere, case_no, "accept"), "CASE_NOT_FOUND")
    assert listed(platform, elsewhere, "/api/v1/agency/cases") == {"items": [], "page": 1, "page_size": 100, "total": 0}
    assert_error(call(platform, "POST", f"/api/v1/cases/{case_no}/withdrawal", stranger.token), "CASE_NOT_FOUND")
    stranger_cases = until(lambda: call(platform, "GET", "/api/v1/cases", stranger.token), 200).json()
    assert stranger_cases["total"] == 0
    refused = submit(
        platform,
        stranger.token,
        KEY_INFO,
        shop.relations["110"],
        key_info_form(shop),
        uploaded(platform, stranger.token, KEY_INFO_MATERIALS),
    )
    assert_error(refused, "RELATION_NOT_GRANTED")
    assert_error(call(platform, "GET", "/api/v1/agency/cases", shop.clerk.token), "FORBIDDEN")
    assert_error(call(platform, "GET", "/api/v1/agency/cases", shop.legal), "FORBIDDEN")
    assert_error(decide(platform, shop.clerk.token, case_no, "accept"), "FORBIDDEN")
    assert_error(call(platform, "GET", "/api/v1/cases", shop.staff), "FORBIDDEN")
    # The case's own agency still has it, untouched.
    assert case_no in [c["case_no"] for c in listed(platform, shop.staff, "/api/v1/agency/cases")["items"]]
    assert show(platform, shop.staff, case_no).json()["status"] == "submitted"


def test_case_numbers_stay_unique_and_in_order_when_cases_are_submitted_at_once(platform, shop):
    bodies = [uploaded(platform, shop.legal, KEY_INFO_MATERIALS) for _ in range(6)]
    answers = [None] * len(bodies)
    barrier = threading.Barrier(len(bodies))

    def submit_now(index):
        barrier.wait()
        answers[index] = submit(
            platform, shop.legal, KEY_INFO, shop.relations["210"], key_info_form(shop), bodies[index]
        )

    threads = [threading.Thread(target=submit_now, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [a.status_code for a in answers] == [201] * len(bodies), [a.text for a in answers]
    numbers = sorted(a.json()["case_no"] for a in answers)
    assert len(set(numbers)) == len(bodies) and all(CASE_NO.match(n) for n in numbers)
    sequence = [int(n[-6:]) for n in numbers]
    assert sequence == list(range(sequence[0], sequence[0] + len(bodies)))  # no gap, no repeat
    newest = listed(platform, shop.legal)["items"][: len(bodies)]
    assert [c["case_no"] for c in newest] == numbers[::-1]
