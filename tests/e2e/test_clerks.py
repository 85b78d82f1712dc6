"""授权登录 (manual 3.1.1) end to end: a legal representative manages clerks and their grants
over HTTP; clerks scan in with the e-SSC (played by `hrssctl essc`); agency staff search."""

import pytest
from e2e_clerks import AGENCY, PASSWORD, assert_error, call, clerk_logs_in, qr_login, registered_with_units, until

from hrss_contracts.examples import random_id_number, random_uscc

pytestmark = pytest.mark.e2e


def test_a_legal_representative_adds_a_clerk_grants_two_relations_and_the_clerk_scans_in(platform, tmp_path):
    uscc, legal = registered_with_units(platform, tmp_path)
    relations = call(platform, "GET", "/api/v1/insurance-relations", legal).json()["items"]
    assert sorted(r["insurance"] for r in relations) == ["110", "210", "410"]
    id_number = random_id_number()

    added = call(
        platform, "POST", "/api/v1/clerks", legal, {"id_number": id_number, "name": "李四", "phone": "13900139000"}
    )
    assert added.status_code == 201, added.text
    clerk = added.json()
    assert clerk["id_number"] == id_number[:11] + "********" and clerk["relation_ids"] == []
    two = sorted(r["relation_id"] for r in relations[:2])
    granted = call(platform, "PUT", f"/api/v1/clerks/{clerk['clerk_id']}/grants", legal, {"relation_ids": two})
    assert granted.status_code == 200 and granted.json()["relation_ids"] == two

    view = clerk_logs_in(platform, id_number, "李四")
    assert view["status"] == "authenticated", view
    who = call(platform, "GET", "/api/v1/me", view["token"]).json()
    assert who["role"] == "clerk" and who["uscc"] == uscc
    mine = call(platform, "GET", "/api/v1/insurance-relations", view["token"]).json()["items"]
    assert sorted(r["relation_id"] for r in mine) == two  # the clerk's own, to submit cases for
    listed = call(platform, "GET", "/api/v1/clerks", legal).json()["items"]
    assert [(c["clerk_id"], c["relation_ids"]) for c in listed] == [(clerk["clerk_id"], two)]
    history = call(platform, "GET", "/api/v1/authorization-audit", legal, params={"clerk_id": clerk["clerk_id"]}).json()
    assert history["total"] == 2 and {e["action"] for e in history["items"]} == {"granted"}
    assert {e["channel"] for e in history["items"]} == {"legal_rep"}


def test_a_clerk_known_by_a_foreign_permanent_residence_card_is_added_and_scans_in_with_it(platform, tmp_path):
    uscc, legal = registered_with_units(platform, tmp_path)
    card = {"id_type": "foreign_permanent_residence", "name": "Anna Ivanova", "phone": "13900139000"}

    wrong = call(platform, "POST", "/api/v1/clerks", legal, {**card, "id_number": "911398199012310022"})
    assert_error(wrong, "VALIDATION_FAILED")
    assert wrong.json()["error"]["fields"] == {"id_number": ["外国人永久居留身份证号码格式不正确"]}
    assert call(platform, "GET", "/api/v1/clerks", legal).json()["items"] == []
    added = call(platform, "POST", "/api/v1/clerks", legal, {**card, "id_number": "911398199012310021"})
    assert added.status_code == 201, added.text
    assert (added.json()["id_type"], added.json()["id_number"]) == (
        "foreign_permanent_residence",
        "91139819901********",
    )

    as_a_passport = qr_login(platform, "clerk", "E12345678", "Anna Ivanova", "passport")
    assert as_a_passport["error"]["code"] == "CLERK_ACCOUNT_NOT_FOUND"
    # the same 18 digits claimed as a 居民身份证: a foreigner's card of 2023 all the same (9…)
    as_a_resident = clerk_logs_in(platform, "911398199012310021", "Anna Ivanova", id_type="resident_id")
    assert as_a_resident["status"] == "authenticated", as_a_resident
    view = clerk_logs_in(platform, "911398199012310021", "Anna Ivanova", id_type="foreign_permanent_residence")
    assert view["status"] == "authenticated", view
    assert call(platform, "GET", "/api/v1/me", view["token"]).json()["uscc"] == uscc


def test_a_clerk_added_with_a_wrong_name_cannot_scan_in(platform, tmp_path):
    _, legal = registered_with_units(platform, tmp_path)
    id_number = random_id_number()
    body = {"id_number": id_number, "name": "张冠", "phone": "13900139000"}
    assert call(platform, "POST", "/api/v1/clerks", legal, body).status_code == 201
    assert clerk_logs_in(platform, id_number, "张冠", timeout=10)["status"] == "authenticated"

    view = qr_login(platform, "clerk", id_number, "李戴")

    assert view["status"] == "rejected" and view["error"]["code"] == "CLERK_ACCOUNT_NOT_FOUND"


def test_a_deleted_clerk_can_no_longer_log_in_and_their_open_session_ends(platform, tmp_path):
    _, legal = registered_with_units(platform, tmp_path)
    id_number = random_id_number()
    clerk = call(
        platform, "POST", "/api/v1/clerks", legal, {"id_number": id_number, "name": "王五", "phone": "13700137000"}
    )
    token = clerk_logs_in(platform, id_number, "王五")["token"]
    assert call(platform, "GET", "/api/v1/me", token).status_code == 200

    removed = call(platform, "DELETE", f"/api/v1/clerks/{clerk.json()['clerk_id']}", legal)

    assert removed.status_code == 200 and removed.json()["status"] == "removed"
    until(lambda: call(platform, "GET", "/api/v1/me", token), 401)
    assert qr_login(platform, "clerk", id_number, "王五")["status"] == "rejected"
    assert call(platform, "GET", "/api/v1/clerks", legal).json()["items"] == []


def test_a_clerks_token_is_refused_on_every_legal_representative_route(platform, tmp_path):
    _, legal = registered_with_units(platform, tmp_path)
    id_number = random_id_number()
    clerk = call(
        platform, "POST", "/api/v1/clerks", legal, {"id_number": id_number, "name": "赵六", "phone": "13600136000"}
    )
    clerk_id = clerk.json()["clerk_id"]
    token = clerk_logs_in(platform, id_number, "赵六")["token"]
    person = {"id_number": random_id_number(), "name": "钱七", "phone": "13500135000"}

    # A clerk's relations are those granted to them (none yet): what they may submit cases for.
    assert call(platform, "GET", "/api/v1/insurance-relations", token).json() == {"items": []}
    for method, path, body in (
        ("GET", "/api/v1/clerks", None),
        ("POST", "/api/v1/clerks", person),
        ("PUT", f"/api/v1/clerks/{clerk_id}", person),
        ("DELETE", f"/api/v1/clerks/{clerk_id}", None),
        ("PUT", f"/api/v1/clerks/{clerk_id}/grants", {"relation_ids": []}),
        ("GET", "/api/v1/authorization-audit", None),
        ("GET", "/api/v1/agency/enterprises", None),
    ):
        assert_error(call(platform, method, path, token, body), "FORBIDDEN")
    assert [c["clerk_id"] for c in call(platform, "GET", "/api/v1/clerks", legal).json()["items"]] == [clerk_id]


def test_bad_clerks_and_foreign_relations_are_refused_and_change_nothing(platform, tmp_path):
    _, legal = registered_with_units(platform, tmp_path)
    _, other = registered_with_units(platform, tmp_path)
    foreign = call(platform, "GET", "/api/v1/insurance-relations", other).json()["items"][0]["relation_id"]
    bad = call(
        platform, "POST", "/api/v1/clerks", legal, {"id_number": "110105194912310021", "name": "", "phone": "12345"}
    )
    assert_error(bad, "VALIDATION_FAILED")
    assert set(bad.json()["error"]["fields"]) == {"id_number", "name", "phone"}
    id_number = random_id_number()
    person = {"id_number": id_number, "name": "孙八", "phone": "13900139000"}
    clerk = call(platform, "POST", "/api/v1/clerks", legal, person).json()
    assert_error(call(platform, "POST", "/api/v1/clerks", legal, person), "CLERK_EXISTS")
    assert_error(
        call(platform, "PUT", f"/api/v1/clerks/{clerk['clerk_id']}/grants", legal, {"relation_ids": [foreign]}),
        "RELATION_NOT_FOUND",
    )
    assert_error(call(platform, "DELETE", "/api/v1/clerks/no-such-clerk", other), "CLERK_NOT_FOUND")
    assert_error(call(platform, "DELETE", f"/api/v1/clerks/{clerk['clerk_id']}", other), "CLERK_NOT_FOUND")
    listed = call(platform, "GET", "/api/v1/clerks", legal).json()["items"]
    assert [(c["clerk_id"], c["relation_ids"]) for c in listed] == [(clerk["clerk_id"], [])]


def test_agency_staff_find_an_enterprise_by_code_or_unit_number(platform, tmp_path):
    uscc, _ = registered_with_units(platform, tmp_path)
    account = f"window{random_uscc()[-6:]}"
    added = platform.hrssctl("agency-users", "add", "--account", account, "--agency", AGENCY, stdin=PASSWORD)
    assert added.returncode == 0, added.stderr
    staff = platform.post("/api/v1/auth/login", {"account": account, "password": PASSWORD}).json()["token"]

    by_code = call(platform, "GET", "/api/v1/agency/enterprises", staff, params={"uscc": uscc.lower()}).json()["items"]
    unit_no = by_code[0]["units"][1]["unit_no"]
    by_unit = call(platform, "GET", "/api/v1/agency/enterprises", staff, params={"unit_no": unit_no}).json()["items"]

    assert by_code == by_unit and by_code[0]["uscc"] == uscc and by_code[0]["legal_rep_name"] == "授权法人"
    assert [[r["insurance"] for r in u["relations"]] for u in by_code[0]["units"]] == [["110", "210"], ["410"]]
    nothing = call(platform, "GET", "/api/v1/agency/enterprises", staff, params={"unit_no": "nope"})
    assert nothing.status_code == 200 and nothing.json()["items"] == []
    assert_error(call(platform, "GET", "/api/v1/agency/enterprises", staff), "VALIDATION_FAILED")
