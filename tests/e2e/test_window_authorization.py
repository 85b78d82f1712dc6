"""公共服务单位用户授权 (manual 3.1.2) end to end: agency staff upload materials, find the
enterprise, see a clerk's relations marked, submit; the clerk then scans in. Uploads are judged
by their bytes and kept from other accounts."""

import time

import pytest
from e2e_clerks import AGENCY, PDF, PNG, assert_error, call, clerk_logs_in, registered_with_units, staff_token, upload
from e2e_records import import_records, source_record

from hrss_contracts.examples import random_id_number, random_uscc

pytestmark = pytest.mark.e2e


def test_staff_authorize_a_new_clerk_with_materials_and_the_clerk_scans_in(platform, tmp_path):
    uscc, legal = registered_with_units(platform, tmp_path)
    staff = staff_token(platform)
    stored = upload(platform, staff, PDF)
    assert stored.status_code == 201, stored.text
    attachment = stored.json()
    assert attachment["content_type"] == "application/pdf" and attachment["size"] == len(PDF)
    found = call(platform, "GET", "/api/v1/agency/enterprises", staff, params={"uscc": uscc}).json()["items"][0]
    relations = [r["relation_id"] for unit in found["units"] for r in unit["relations"]]
    id_number = random_id_number()
    marked = call(
        platform, "GET", f"/api/v1/agency/enterprises/{uscc}/relations", staff, params={"clerk_id_number": id_number}
    )
    assert [r["granted"] for r in marked.json()["items"]] == [False, False, False]

    submitted = call(
        platform,
        "POST",
        "/api/v1/agency/authorizations",
        staff,
        {
            "uscc": uscc,
            "attachment_ids": [attachment["attachment_id"]],
            "clerks": [{"id_number": id_number, "name": "窗口办事员", "phone": "13900139000"}],
            "grants": [{"id_number": id_number, "relation_ids": relations[:2]}],
        },
    )

    assert submitted.status_code == 201, submitted.text
    assert submitted.json()["clerks"][0]["relation_ids"] == sorted(relations[:2])
    marked = call(
        platform, "GET", f"/api/v1/agency/enterprises/{uscc}/relations", staff, params={"clerk_id_number": id_number}
    )
    assert [r["granted"] for r in marked.json()["items"]] == [True, True, False]
    assert clerk_logs_in(platform, id_number, "窗口办事员")["status"] == "authenticated"
    history = call(platform, "GET", "/api/v1/authorization-audit", legal).json()["items"]
    assert {(e["channel"], tuple(e["attachments"])) for e in history} == {
        ("agency_window", (attachment["attachment_id"],))
    }


def test_an_enterprise_that_never_registered_gets_the_manuals_masked_text(platform, tmp_path):
    uscc, rep_id = random_uscc(), random_id_number()
    unit = {"unit_no": f"U{uscc[-8:]}9", "relations": [{"insurance": "110", "agency": AGENCY}]}
    import_records(
        platform, tmp_path, "enterprise-pension", source_record(uscc, "未注册有限公司", "某法人", rep_id, [unit])
    )
    staff = staff_token(platform)
    attachment = upload(platform, staff, PNG, "执照.png", "image/png").json()["attachment_id"]
    expected = (
        f"系统没有识别到统一社会信用代码:{uscc[:10]}******** 以及法人信息证件号码:{rep_id[:11]}********"
        "的有效公共服务注册信息,请在公共服务端办理注册后再由经办机构进行授权操作。"
    )

    for answer in (
        call(platform, "GET", "/api/v1/agency/enterprises", staff, params={"uscc": uscc}),
        call(platform, "GET", "/api/v1/agency/enterprises", staff, params={"unit_no": unit["unit_no"]}),
        call(
            platform,
            "POST",
            "/api/v1/agency/authorizations",
            staff,
            {
                "uscc": uscc,
                "attachment_ids": [attachment],
                "clerks": [{"id_number": random_id_number(), "name": "甲", "phone": "13900139000"}],
            },
        ),
    ):
        assert_error(answer, "PUBLIC_SERVICE_REGISTRATION_MISSING")
        assert answer.json()["error"]["message"] == expected


def stored_blobs(platform):
    folder = platform.var / "blobs"
    return {b.name for b in folder.iterdir() if not b.name.startswith(".")} if folder.exists() else set()


def test_uploads_are_judged_by_their_bytes_and_a_refused_one_leaves_nothing(platform):
    staff = staff_token(platform)
    before = stored_blobs(platform)

    assert_error(
        upload(platform, staff, b"just some text, not an image", "photo.png", "image/png"),
        "ATTACHMENT_TYPE_NOT_ALLOWED",
    )
    as_pdf = upload(platform, staff, PNG, "scan.pdf", "application/pdf")
    assert as_pdf.status_code == 201 and as_pdf.json()["content_type"] == "image/png"
    assert_error(upload(platform, staff, b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1)), "ATTACHMENT_TOO_LARGE")
    assert_error(upload(platform, staff, b""), "ATTACHMENT_REQUIRED")
    assert stored_blobs(platform) - before == {as_pdf.json()["attachment_id"]}
    assert not [b for b in (platform.var / "blobs").iterdir() if b.name.startswith(".")]  # no temp file left


def test_an_attachment_serves_and_counts_only_for_the_account_that_uploaded_it(platform, tmp_path):
    uscc, _ = registered_with_units(platform, tmp_path)
    owner, other = staff_token(platform), staff_token(platform)
    attachment = upload(platform, owner, PDF).json()["attachment_id"]

    mine = call(platform, "GET", f"/api/v1/attachments/{attachment}", owner)
    assert mine.status_code == 200 and mine.content == PDF and mine.headers["Content-Type"] == "application/pdf"
    assert_error(call(platform, "GET", f"/api/v1/attachments/{attachment}", other), "NOT_FOUND")
    body = {
        "uscc": uscc,
        "attachment_ids": [attachment],
        "clerks": [{"id_number": random_id_number(), "name": "甲", "phone": "13900139000"}],
    }
    assert_error(call(platform, "POST", "/api/v1/agency/authorizations", other, body), "ATTACHMENT_NOT_FOUND")
    assert_error(
        call(platform, "POST", "/api/v1/agency/authorizations", owner, {**body, "attachment_ids": []}),
        "VALIDATION_FAILED",
    )


def test_control_characters_in_paths_and_queries_are_refused_and_only_signed_in_accounts_upload(platform, tmp_path):
    uscc, legal = registered_with_units(platform, tmp_path)
    staff = staff_token(platform)

    for path, params in (
        ("/api/v1/agency/enterprises", {"unit_no": "U\x00"}),
        ("/api/v1/agency/enterprises/%00/relations", None),
        ("/api/v1/attachments/%00", None),
    ):
        assert_error(call(platform, "GET", path, staff, params=params), "VALIDATION_FAILED")
    assert_error(
        call(platform, "GET", "/api/v1/authorization-audit", legal, params={"clerk_id": "\x00"}), "VALIDATION_FAILED"
    )
    assert (
        call(platform, "GET", "/api/v1/authorization-audit", legal, params={"clerk_id": "", "page": ""}).status_code
        == 200
    )
    assert_error(upload(platform, "not-a-token", PDF), "UNAUTHENTICATED")
    assert upload(platform, legal, PDF).status_code == 201  # a case's materials (issue 8)
    named = upload(platform, staff, PDF, "a\x00b.pdf")
    assert named.status_code == 201 and named.json()["filename"] == "ab.pdf"


def test_the_window_tells_two_clerks_apart_by_document_type_when_their_numbers_are_the_same(platform, tmp_path):
    uscc, _ = registered_with_units(platform, tmp_path)
    staff = staff_token(platform)
    attachment = upload(platform, staff, PDF).json()["attachment_id"]
    found = call(platform, "GET", "/api/v1/agency/enterprises", staff, params={"uscc": uscc}).json()["items"][0]
    relations = [r["relation_id"] for unit in found["units"] for r in unit["relations"]]
    permit = {"id_type": "taiwan_permit", "id_number": "01234567"}
    passport = {"id_type": "passport", "id_number": "01234567"}

    submitted = call(
        platform,
        "POST",
        "/api/v1/agency/authorizations",
        staff,
        {
            "uscc": uscc,
            "attachment_ids": [attachment],
            "clerks": [
                {**permit, "name": "陈小明", "phone": "13900139000"},
                {**passport, "name": "Ann Lee", "phone": "13900139001"},
            ],
            "grants": [{**permit, "relation_ids": relations[:1]}, {**passport, "relation_ids": relations[1:]}],
        },
    )

    assert submitted.status_code == 201, submitted.text
    granted = {(c["id_type"], c["name"]): c["relation_ids"] for c in submitted.json()["clerks"]}
    assert granted == {("taiwan_permit", "陈小明"): relations[:1], ("passport", "Ann Lee"): sorted(relations[1:])}
    for document, expected in ((permit, [True, False, False]), (passport, [False, True, True])):
        params = {"clerk_id_type": document["id_type"], "clerk_id_number": document["id_number"]}
        marked = call(platform, "GET", f"/api/v1/agency/enterprises/{uscc}/relations", staff, params=params)
        assert [r["granted"] for r in marked.json()["items"]] == expected
    assert clerk_logs_in(platform, "01234567", "陈小明", id_type="taiwan_permit")["status"] == "authenticated"
    bad_type = call(
        platform, "GET", f"/api/v1/agency/enterprises/{uscc}/relations", staff, params={"clerk_id_type": "licence"}
    )
    assert_error(bad_type, "VALIDATION_FAILED")


def test_the_legal_representatives_new_contact_phone_is_what_the_window_shows(platform, tmp_path):
    uscc, legal = registered_with_units(platform, tmp_path)
    staff = staff_token(platform)
    assert call(platform, "GET", "/api/v1/account/contact", legal).json() == {"phone": "13900000001"}

    assert_error(call(platform, "PUT", "/api/v1/account/contact", legal, {"phone": "12345"}), "VALIDATION_FAILED")
    assert_error(call(platform, "PUT", "/api/v1/account/contact", staff, {"phone": "13800138000"}), "FORBIDDEN")
    changed = call(platform, "PUT", "/api/v1/account/contact", legal, {"phone": "0451-86661234"})

    assert changed.status_code == 200 and changed.json() == {"phone": "0451-86661234"}
    assert call(platform, "GET", "/api/v1/account/contact", legal).json() == {"phone": "0451-86661234"}
    assert platform.events_about(uscc, "EnterpriseContactChanged")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = call(platform, "GET", "/api/v1/agency/enterprises", staff, params={"uscc": uscc}).json()["items"][0]
        if found["legal_rep_phone"] == "0451-86661234":
            break
        time.sleep(0.1)
    assert found["legal_rep_phone"] == "0451-86661234"
