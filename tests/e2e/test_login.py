"""Password login (manual 5.2.1), sessions and agency staff over HTTP and `hrssctl`, on the
platform as `make run` runs it."""

import pytest
import requests
from e2e_records import application, import_records, source_record

from hrss_contracts.errors import CATALOGUE
from hrss_contracts.examples import random_id_number, random_uscc

pytestmark = pytest.mark.e2e

LOGIN, ME, LOGOUT = "/api/v1/auth/login", "/api/v1/me", "/api/v1/auth/logout"
PASSWORD = "right-password-1"


@pytest.fixture(scope="module")
def platform_settings():
    """Gateways keep a confirmed session as long as they may here (0.9 s): every session that
    ends before its time must be refused at once all the same (by identity's announcement)."""
    return {"SESSION_CACHE_SECONDS": "0.9"}


def registered(platform, tmp_path, password=PASSWORD):
    uscc, rep_id = random_uscc(), random_id_number()
    import_records(platform, tmp_path, "market", source_record(uscc, "登录测试有限公司", "登录法人", rep_id))
    body = application(uscc, "登录测试有限公司", "登录法人", rep_id, **({"password": password} if password else {}))
    assert platform.post("/api/v1/registrations", body).status_code == 201
    return uscc


def log_in(platform, account, password):
    return platform.post(LOGIN, {"account": account, "password": password})


def me(platform, token):
    return requests.get(f"{platform.base_url}{ME}", headers={"Authorization": f"Bearer {token}"}, timeout=30)


def assert_error(response, code):
    assert response.status_code == CATALOGUE[code].status, response.text
    assert response.json()["error"]["code"] == code
    return response.json()["error"]["message"]


def test_a_legal_representative_logs_in_sees_who_they_are_and_logs_out(platform, tmp_path):
    uscc = registered(platform, tmp_path)
    answer = log_in(platform, uscc, PASSWORD)
    assert answer.status_code == 200, answer.text
    token = answer.json()["token"]
    assert answer.json()["role"] == "legal" and answer.json()["expires_in"] == 1800
    assert me(platform, token).json() | {"id_number": None, "name": None} == {
        "account": uscc,
        "role": "legal",
        "uscc": uscc,
        "agency": None,
        "id_number": None,
        "name": None,
    }
    logout = platform.post(LOGOUT, headers={"Authorization": f"Bearer {token}"})
    assert logout.status_code == 200
    assert_error(me(platform, token), "UNAUTHENTICATED")
    assert platform.wait_for_event(lambda e: " LoginSucceeded " in e) is not None
    assert platform.wait_for_event(lambda e: " LoggedOut " in e) is not None


def test_a_password_change_ends_the_accounts_other_sessions_at_once_though_the_gateway_keeps_them(platform, tmp_path):
    uscc = registered(platform, tmp_path)
    here, elsewhere = (log_in(platform, uscc, PASSWORD).json()["token"] for _ in range(2))
    assert me(platform, elsewhere).status_code == 200 and me(platform, elsewhere).status_code == 200  # kept now
    changed = requests.put(
        f"{platform.base_url}/api/v1/account/password",
        json={"current_password": PASSWORD, "new_password": "another-password-2"},
        headers={"Authorization": f"Bearer {here}"},
        timeout=30,
    )
    assert changed.json() == {"status": "changed", "sessions_ended": 1}, changed.text
    assert_error(me(platform, elsewhere), "UNAUTHENTICATED")
    assert me(platform, here).status_code == 200


def test_each_refusal_has_the_manuals_text(platform, tmp_path):
    with_password, without = registered(platform, tmp_path), registered(platform, tmp_path, password=None)
    assert assert_error(log_in(platform, "", PASSWORD), "ACCOUNT_REQUIRED") == "账号不能为空!"
    assert assert_error(log_in(platform, with_password, ""), "PASSWORD_REQUIRED") == "密码不能为空!"
    assert assert_error(log_in(platform, random_uscc(), PASSWORD), "ACCOUNT_NOT_FOUND") == "未查询到登录人信息,请注册!"
    assert assert_error(log_in(platform, with_password, "wrong-password-1"), "BAD_CREDENTIALS") == "用户名或密码错误!"
    assert (
        assert_error(log_in(platform, without, PASSWORD), "USE_QR_LOGIN")
        == "根据统一社会信用代码发现,当前法人账号已经存在,可以直接扫码登录!"
    )


def test_five_failures_lock_the_account_even_against_the_right_password(platform, tmp_path):
    uscc = registered(platform, tmp_path)
    for _ in range(4):
        assert_error(log_in(platform, uscc, "wrong-password-1"), "BAD_CREDENTIALS")
    locked = log_in(platform, uscc, "wrong-password-1")
    assert "15分钟" in assert_error(locked, "ACCOUNT_LOCKED")
    assert 890 <= int(locked.headers["Retry-After"]) <= 900
    assert_error(log_in(platform, uscc, PASSWORD), "ACCOUNT_LOCKED")


def test_agency_staff_added_with_hrssctl_log_in_with_their_agency(platform):
    account = f"window{random_uscc()[-6:]}"
    added = platform.hrssctl("agency-users", "add", "--account", account, "--agency", "哈尔滨市社保局", stdin=PASSWORD)
    assert added.returncode == 0, added.stderr
    token = log_in(platform, account, PASSWORD).json()["token"]
    assert me(platform, token).json()["role"] == "agency"
    assert me(platform, token).json()["agency"] == "哈尔滨市社保局"
    short = platform.hrssctl(
        "agency-users", "add", "--account", account + "x", "--agency", "哈尔滨市社保局", stdin="short"
    )
    assert short.returncode == 3 and "VALIDATION_FAILED" in short.stderr and "password" in short.stderr


def test_protected_routes_refuse_a_missing_or_made_up_token(platform):
    assert_error(requests.get(f"{platform.base_url}{ME}", timeout=30), "UNAUTHENTICATED")
    assert_error(me(platform, "made-up-token"), "UNAUTHENTICATED")
    assert_error(platform.post(LOGOUT), "UNAUTHENTICATED")
