"""Registration (manual 5.1) over HTTP, every outcome, on the platform as `make run` runs it."""

import os
import random
import threading
import time
import urllib.parse

import pytest
import requests
from e2e_records import application, import_records, source_record

from hrss_contracts.examples import random_id_number, random_uscc
from hrss_kit.rpc_client import StandaloneRpc

pytestmark = pytest.mark.e2e

REGISTRATIONS = "/api/v1/registrations"
RABBIT_API = os.environ.get("HRSS_TEST_RABBIT_API", "http://127.0.0.1:15672/api")


def unit_no():
    return f"23{random.randint(10**9, 10**10 - 1)}"


@pytest.fixture
def pension_enterprise(platform, tmp_path):
    """A fresh enterprise known to the market registry and to enterprise pension (two units)."""
    uscc, rep_id = random_uscc(), random_id_number()
    units = [
        {
            "unit_no": unit_no(),
            "relations": [
                {"insurance": "110", "agency": "哈尔滨市社保局"},
                {"insurance": "210", "agency": "哈尔滨市社保局"},
            ],
        },
        {"unit_no": unit_no(), "relations": [{"insurance": "410", "agency": "南岗区社保局"}]},
    ]
    import_records(
        platform, tmp_path, "market", source_record(uscc, "市场名称有限公司", "市场法人", random_id_number())
    )
    import_records(
        platform, tmp_path, "enterprise-pension", source_record(uscc, "养老名称有限公司", "养老法人", rep_id, units)
    )
    return {"uscc": uscc, "name": "养老名称有限公司", "rep": "养老法人", "rep_id": rep_id, "units": units}


def test_health_check_reports_every_service(platform):
    response = platform.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "services": {"enterprise": "ok", "identity": "ok", "authorization": "ok", "business": "ok"},
    }


def test_successful_registration_creates_the_enterprise_with_all_units_and_the_account(platform, pension_enterprise):
    e = pension_enterprise
    response = platform.post(
        REGISTRATIONS, application(e["uscc"], e["name"], e["rep"], e["rep_id"], password="pw-12345678")
    )
    assert response.status_code == 201, response.text
    assert response.json() == {"uscc": e["uscc"], "status": "registered"}

    registered = platform.events_about(e["uscc"], "EnterpriseRegistered")
    assert registered, "no EnterpriseRegistered event"
    assert e["rep_id"] not in registered[0], "ID number unmasked in the event tail"
    with StandaloneRpc(platform.env["AMQP_URI"]) as rpc:
        enterprise = rpc.service("enterprise").find_enterprise(uscc=e["uscc"])
        by_unit = rpc.service("enterprise").find_enterprise(unit_no=e["units"][1]["unit_no"])
    assert by_unit == enterprise
    assert sorted(u["unit_no"] for u in enterprise["units"]) == sorted(u["unit_no"] for u in e["units"])
    relations = {r["relation_id"] for u in enterprise["units"] for r in u["relations"]}
    assert relations == {f"{u['unit_no']}-{r['insurance']}" for u in e["units"] for r in u["relations"]}
    account = platform.wait_for_event(
        lambda line: " AccountCreated " in line and f'"login_name": "{e["uscc"]}"' in line
    )
    assert '"has_password": true' in account


def test_registering_the_same_enterprise_again_is_refused_with_the_manual_text(platform, pension_enterprise):
    e = pension_enterprise
    body = application(e["uscc"], e["name"], e["rep"], e["rep_id"])
    assert platform.post(REGISTRATIONS, body).status_code == 201
    again = platform.post(REGISTRATIONS, body)
    assert again.status_code == 409
    assert again.json()["error"] == {
        "code": "LEGAL_ACCOUNT_EXISTS",
        "message": "根据统一社会信用代码发现,当前法人账号已经存在,可以直接扫码登录!",
    }


def test_an_enterprise_no_source_knows_is_not_verified_and_a_rejection_is_published(platform):
    uscc = random_uscc()
    response = platform.post(REGISTRATIONS, application(uscc, "无名公司", "某人", random_id_number()))
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "ENTERPRISE_NOT_VERIFIED",
        "message": "企业信息在组织机构相关信息库验证失败,无法注册!",
    }
    rejected = platform.events_about(uscc, "RegistrationRejected")
    assert rejected and '"reason": "not_verified"' in rejected[0]


def test_a_mismatch_names_the_differing_fields_but_never_the_registered_values(platform, pension_enterprise):
    e = pension_enterprise
    response = platform.post(REGISTRATIONS, application(e["uscc"], "市场名称有限公司", "市场法人", e["rep_id"]))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "REGISTRATION_MISMATCH"
    assert set(error["fields"]) == {"name", "legal_rep_name"}
    assert e["name"] not in response.text and e["rep"] not in response.text
    # The pension record decided; a correct registration still succeeds afterwards.
    assert platform.post(REGISTRATIONS, application(e["uscc"], e["name"], e["rep"], e["rep_id"])).status_code == 201


def test_format_errors_name_each_bad_field_and_write_nothing(platform, pension_enterprise):
    e = pension_enterprise
    bad = {
        "uscc": e["uscc"][:-1] + ("0" if e["uscc"][-1] != "0" else "1"),
        "name": "",
        "legal_rep_name": "x",
        "legal_rep_id": "36042619910102009X",
        "phone": "12",
        "extra": 1,
    }
    response = platform.post(REGISTRATIONS, bad)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_FAILED"
    assert set(error["fields"]) == {"uscc", "name", "legal_rep_id", "phone", "extra"}
    missing = platform.post(REGISTRATIONS, {})
    assert set(missing.json()["error"]["fields"]) == {"uscc", "name", "legal_rep_name", "legal_rep_id", "phone"}
    # Nothing was written: the enterprise still registers.
    assert platform.post(REGISTRATIONS, application(e["uscc"], e["name"], e["rep"], e["rep_id"])).status_code == 201


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"', b"\xff\xfe"])
def test_malformed_bodies_are_answered_400_never_500(platform, body):
    response = platform.post(REGISTRATIONS, data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "MALFORMED_REQUEST"


def test_a_body_over_the_limit_is_answered_413(platform):
    response = platform.post(
        REGISTRATIONS, data=b"{" + b" " * 70_000 + b"}", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"


def test_unknown_routes_and_methods_answer_json_errors(platform):
    assert platform.get("/api/v1/nothing").json()["error"]["code"] == "NOT_FOUND"
    response = platform.post("/healthz", {})
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "METHOD_NOT_ALLOWED"


def test_the_openapi_document_describes_registration_from_the_request_schema(platform):
    spec = platform.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    schema = spec["components"]["schemas"]["RegistrationRequest"]
    assert set(schema["required"]) == {"uscc", "name", "legal_rep_name", "legal_rep_id", "phone"}
    assert {"201", "400", "409", "413", "422", "503"} <= set(
        spec["paths"]["/api/v1/registrations"]["post"]["responses"]
    )


def test_the_event_contract_is_served_as_asyncapi(platform):
    document = platform.get("/api/v1/asyncapi.json").json()
    assert document["asyncapi"].startswith("2.")
    assert "enterprise.events/EnterpriseRegistered" in document["channels"]


def test_concurrent_identical_registrations_create_one_account(platform, pension_enterprise, tmp_path):
    e = pension_enterprise
    body = application(e["uscc"], e["name"], e["rep"], e["rep_id"], password="pw-12345678")
    statuses = []

    def attempt():
        statuses.append(platform.post(REGISTRATIONS, body).status_code)

    threads = [threading.Thread(target=attempt) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201, 409, 409, 409, 409]
    # A registration begun after all five answered is the marker: each service's relay
    # publishes its outbox in order, so once the marker's events are in the tail, every event
    # the five attempts committed is there too. Exactly one of each, not "at most one".
    marker, marker_rep_id = random_uscc(), random_id_number()
    import_records(platform, tmp_path, "market", source_record(marker, "标记公司", "标记法人", marker_rep_id))
    assert platform.post(REGISTRATIONS, application(marker, "标记公司", "标记法人", marker_rep_id)).status_code == 201
    for event_type in ("EnterpriseRegistered", "AccountCreated"):
        assert platform.wait_for_event(lambda line, kind=event_type: f" {kind} " in line and marker in line), event_type
        about_ours = [line for line in platform.events if f" {event_type} " in line and e["uscc"] in line]
        assert len(about_ours) == 1, about_ours


def test_source_import_upserts_refuses_bad_records_with_their_line_and_is_idempotent(platform, tmp_path):
    good, other = random_uscc(), random_uscc()
    records = [
        source_record(good, "甲公司", "甲", random_id_number()),
        source_record(other, "乙公司", "乙", random_id_number()),
    ]
    first = import_records(platform, tmp_path, "market", *records, extra_lines=['{"uscc": "bad"}', "not json"])
    assert first.splitlines()[0] == "market: 2 added, 0 updated, 0 unchanged, 2 refused"
    assert "line 3 (bad): uscc: 统一社会信用代码格式不正确" in first
    assert "line 4 (-): not JSON" in first
    again = import_records(platform, tmp_path, "market", *records)
    assert again.splitlines()[0] == "market: 0 added, 0 updated, 2 unchanged, 0 refused"
    records[0]["name"] = "甲公司(更名)"
    changed = import_records(platform, tmp_path, "market", *records)
    assert changed.splitlines()[0] == "market: 0 added, 1 updated, 1 unchanged, 0 refused"


def test_the_demo_data_registers_as_the_readme_shows(platform):
    demo = {
        "uscc": "121200004013590816",
        "name": "黑龙江省示范技术研究院",
        "legal_rep_name": "李秀英",
        "legal_rep_id": "230103197506152343",
        "phone": "13904510002",
    }
    assert platform.post(REGISTRATIONS, demo).status_code == 201


def test_a_name_typed_with_full_width_brackets_matches_the_demo_record(platform):
    demo = {
        "uscc": "91310116052958608G",
        "name": "哈尔滨示范物流有限公司（黑龙江）",  # the market registry has (黑龙江)
        "legal_rep_name": "\u3000周海 ",
        "legal_rep_id": "230102198506151234",
        "phone": "13904510005",
    }
    response = platform.post(REGISTRATIONS, demo)
    assert response.status_code == 201, response.text
    registered = platform.events_about(demo["uscc"], "EnterpriseRegistered")
    assert registered and '"name": "哈尔滨示范物流有限公司(黑龙江)"' in registered[0]
    assert '"legal_rep_name": "周海"' in registered[0]


def wait_until_handled(platform, queue, timeout=30.0):
    vhost = urllib.parse.quote(platform.env["AMQP_URI"].rsplit("/", 1)[1], safe="")
    url = f"{RABBIT_API}/queues/{vhost}/{urllib.parse.quote(queue, safe='')}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # The management API's figures lag a few seconds; two readings of zero, apart, settle it.
        counts = requests.get(url, auth=("guest", "guest"), timeout=10).json()
        if counts.get("messages") == 0 and counts.get("messages_unacknowledged") == 0:
            time.sleep(6)
            counts = requests.get(url, auth=("guest", "guest"), timeout=10).json()
            if counts.get("messages") == 0 and counts.get("messages_unacknowledged") == 0:
                return
        time.sleep(0.5)
    pytest.fail(f"{queue} still holds events")


def test_the_event_log_replayed_to_identity_creates_no_second_account(platform, pension_enterprise):
    e = pension_enterprise
    assert platform.post(REGISTRATIONS, application(e["uscc"], e["name"], e["rep"], e["rep_id"])).status_code == 201
    assert platform.events_about(e["uscc"], "EnterpriseRegistered")

    def accounts_created():
        return [line for line in platform.events if " AccountCreated " in line and f'"{e["uscc"]}"' in line]

    assert platform.wait_for_event(lambda line: line in accounts_created())
    result = platform.hrssctl("events", "replay-log", "--source", "enterprise", "--to", "identity")
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[0]) >= 1 and "re-sent to identity" in result.stdout
    # The replayed events were confirmed into identity's queue before the command returned:
    # once the queue is empty with nothing unacknowledged, identity has handled every one.
    wait_until_handled(platform, "evt-enterprise-EnterpriseRegistered--identity.on_enterprise_registered")
    assert len(accounts_created()) == 1


def test_a_replay_with_a_time_that_is_not_one_is_refused(platform):
    result = platform.hrssctl("events", "replay-log", "--source", "enterprise", "--to", "identity", "--since", "昨天")
    assert result.returncode == 3
    assert "VALIDATION_FAILED" in result.stderr


def test_a_replay_to_a_consumer_that_does_not_exist_says_so(platform, pension_enterprise):
    e = pension_enterprise
    assert platform.post(REGISTRATIONS, application(e["uscc"], e["name"], e["rep"], e["rep_id"])).status_code == 201
    result = platform.hrssctl("events", "replay-log", "--source", "enterprise", "--to", "identiy")
    assert result.returncode == 1
    assert "no queue of 'identiy'" in result.stderr
