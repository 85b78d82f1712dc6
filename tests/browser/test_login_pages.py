"""登录 → 企业用户 as people meet it (manual 2.1.2, 3.1.1, 4, 5.2): the QR dialog, its role switch,
the state followed live, 选择单位, the manual's messages, the password tab; the session in an
HttpOnly cookie with a CSRF token; the pages' security headers and cached assets."""

import re

import pytest
import requests
from browser_pages import decode_qr, open_login, password_login
from e2e_records import application, import_records, source_record

from hrss_contracts.errors import CATALOGUE
from hrss_contracts.examples import random_id_number, random_uscc

pytestmark = pytest.mark.browser

PASSWORD = "a-good-password"


def register(platform, tmp_path, rep, rep_id=None, password=None, count=1):
    """``count`` enterprises whose legal representative is ``rep`` (one ID number): their codes."""
    rep_id = rep_id or random_id_number()
    codes = []
    for _ in range(count):
        uscc = random_uscc()
        name = f"浏览器测试{uscc[-4:]}有限公司"
        import_records(platform, tmp_path, "market", source_record(uscc, name, rep, rep_id))
        body = application(uscc, name, rep, rep_id, **({"password": password} if password else {}))
        answer = platform.post("/api/v1/registrations", body)
        assert answer.status_code == 201, answer.text
        codes.append(uscc)
    return codes, rep_id


def shown_qr(page):
    """The QR code's text, as a phone would read it off the screen."""
    return decode_qr(page.locator(".qr-picture img").screenshot())


def simulate(simulator, act, qr_content, id_number, name):
    simulator.fill("#qr-content", qr_content)
    simulator.fill("#id-number", id_number)
    simulator.fill("#name", name)
    simulator.get_by_role("button", name=act, exact=True).click()
    simulator.wait_for_function(
        "() => ['ok', 'error'].includes(document.getElementById('result').className)", timeout=10_000
    )
    text = simulator.locator("#result").inner_text()
    simulator.evaluate("document.getElementById('result').className = ''")
    return text


def test_a_legal_representative_scans_the_code_on_the_screen_and_reaches_the_user_center(browser, platform, tmp_path):
    (uscc,), rep_id = register(platform, tmp_path, "扫码法人")
    user = browser()
    page = user.page("/")
    user.shoot(page, "home")
    dialog = open_login(page)
    assert dialog.locator(".qr-title").inner_text() == "法人扫码登录"
    user.shoot(page, "qr-dialog")
    content = shown_qr(page)
    assert re.fullmatch(r"hrss://qr-login\?qr=[A-Za-z0-9_-]+", content), content

    phone = browser(width=375, height=740)
    simulator = phone.page("/dev/essc")
    assert "扫码成功" in simulate(simulator, "扫码", content, rep_id, "扫码法人")
    page.wait_for_selector("text=已扫码,请在手机上确认登录", timeout=5_000)
    user.shoot(page, "scanned")
    phone.shoot(simulator, "simulator")
    assert "确认登录成功" in simulate(simulator, "确认登录", content, rep_id, "扫码法人")

    page.wait_for_selector("h1:has-text('用户中心')", timeout=5_000)
    assert uscc in page.locator(".who-line").inner_text()
    assert "扫码法人(法人)" in page.locator("#nav").inner_text()
    user.shoot(page, "user-center")
    cookies = {c["name"]: c for c in user.context.cookies()}
    assert cookies["hrss_session"]["httpOnly"] and cookies["hrss_session"]["sameSite"] == "Strict"
    assert not cookies["hrss_csrf"]["httpOnly"]
    assert page.evaluate("document.cookie").count("hrss_session") == 0  # out of the scripts' reach


def test_the_role_switch_under_the_code_opens_a_session_for_the_other_role(browser, platform):
    user = browser()
    page = user.page("/")
    open_login(page)
    first = shown_qr(page)
    page.get_by_role("button", name="切换为办事员扫码登录").click()
    page.wait_for_selector(".qr-title:has-text('办事员扫码登录')")
    page.wait_for_function(f"() => document.querySelector('.qr-picture').dataset.qrContent !== '{first}'")
    user.shoot(page, "clerk-qr")
    second = shown_qr(page)
    assert second != first
    page.get_by_role("button", name="切换为法人扫码登录").click()
    page.wait_for_selector(".qr-title:has-text('法人扫码登录')")


def test_a_person_with_no_legal_account_is_told_so_in_the_dialog(browser, platform):
    user = browser()
    page = user.page("/")
    open_login(page)
    content = shown_qr(page)
    simulator = browser(width=375, height=740).page("/dev/essc")
    stranger = random_id_number()
    simulate(simulator, "扫码", content, stranger, "陌生人")
    assert "确认登录成功:已拒绝" in simulate(simulator, "确认登录", content, stranger, "陌生人")
    alert = page.locator(".qr-extra .error")
    alert.wait_for(timeout=5_000)
    assert alert.inner_text() == CATALOGUE["LEGAL_ACCOUNT_NOT_FOUND"].message
    user.shoot(page, "rejected")
    page.get_by_role("button", name="刷新二维码").click()
    page.wait_for_function(f"() => document.querySelector('.qr-picture').dataset.qrContent !== '{content}'")


def test_the_legal_representative_of_two_enterprises_picks_one(browser, platform, tmp_path):
    codes, rep_id = register(platform, tmp_path, "双企法人", count=2)
    user = browser()
    page = user.page("/")
    open_login(page)
    content = shown_qr(page)
    simulator = browser(width=375, height=740).page("/dev/essc")
    simulate(simulator, "扫码", content, rep_id, "双企法人")
    simulate(simulator, "确认登录", content, rep_id, "双企法人")
    picker = page.get_by_role("group", name="选择单位")
    picker.wait_for(timeout=5_000)
    user.shoot(page, "select-enterprise")
    assert sorted(picker.locator(".enterprise span").all_inner_texts()) == sorted(codes)
    picker.locator(".enterprise", has_text=codes[1]).click()
    page.wait_for_selector("h1:has-text('用户中心')", timeout=5_000)
    assert codes[1] in page.locator(".who-line").inner_text()


def test_the_password_tab_shows_the_manuals_messages_and_logs_in(browser, platform, tmp_path):
    (uscc,), _ = register(platform, tmp_path, "密码法人", password=PASSWORD)
    user = browser()
    page = user.page("/")
    open_login(page)
    page.get_by_role("tab", name="账户登录").click()
    login = page.get_by_role("dialog").get_by_role("button", name="登录", exact=True)

    def attempt(account, password):
        page.fill("#login-account", account)
        page.fill("#login-password", password)
        login.click()
        alert = page.locator(".password-form .error")
        alert.wait_for(timeout=5_000)
        return alert.inner_text()

    assert attempt("", PASSWORD) == CATALOGUE["ACCOUNT_REQUIRED"].message
    assert attempt(uscc, "") == CATALOGUE["PASSWORD_REQUIRED"].message
    assert attempt(uscc, "wrong-password") == CATALOGUE["BAD_CREDENTIALS"].message
    assert attempt(random_uscc(), PASSWORD) == CATALOGUE["ACCOUNT_NOT_FOUND"].message
    user.shoot(page, "password-errors")
    page.fill("#login-account", uscc)
    page.fill("#login-password", PASSWORD)
    login.click()
    page.wait_for_selector("h1:has-text('用户中心')", timeout=5_000)

    page.get_by_role("button", name="退出").click()
    page.wait_for_selector("#login-button")
    assert "hrss_session" not in {c["name"] for c in user.context.cookies()}


def test_a_session_that_ends_sends_the_user_back_to_the_login_dialog_with_the_reason(browser, platform, tmp_path):
    (uscc,), _ = register(platform, tmp_path, "会话法人", password=PASSWORD)
    user = browser()
    page = user.page("/")
    password_login(page, uscc, PASSWORD)
    # the user center loaded whole (its cases, clerks and contact phone), so no call of its own
    # is still under way when the session ends
    page.wait_for_selector("text=暂无业务。", timeout=5_000)
    page.wait_for_selector("text=尚未添加经办人。", timeout=5_000)
    page.wait_for_function("() => (document.querySelector('#profile-phone') || {}).value", timeout=5_000)
    cookies = {c["name"]: c["value"] for c in user.context.cookies()}
    ended = requests.post(
        f"{platform.base_url}/api/v1/auth/logout",
        cookies=cookies,
        headers={"X-CSRF-Token": cookies["hrss_csrf"]},
        timeout=10,
    )
    assert ended.status_code == 200  # as if ended elsewhere (another tab, the legal representative's change)

    page.get_by_role("combobox", name="状态").select_option("submitted")  # the next call finds it ended
    notice = page.get_by_role("dialog").locator(".notice")
    notice.wait_for(timeout=5_000)
    assert notice.inner_text() == CATALOGUE["UNAUTHENTICATED"].message
    user.shoot(page, "session-ended")


def test_a_state_changing_call_with_the_cookie_needs_the_csrf_token(platform, tmp_path):
    (uscc,), _ = register(platform, tmp_path, "令牌法人", password=PASSWORD)
    login = requests.post(
        f"{platform.base_url}/api/v1/auth/login",
        json={"account": uscc, "password": PASSWORD},
        headers={"X-HRSS-Session": "cookie"},
        timeout=10,
    )
    assert login.status_code == 200 and "token" not in login.json() and login.json()["session"] == "cookie"
    cookies = {"hrss_session": login.cookies["hrss_session"], "hrss_csrf": login.cookies["hrss_csrf"]}
    assert "HttpOnly" in login.headers["Set-Cookie"] and "SameSite=Strict" in login.headers["Set-Cookie"]

    me = requests.get(f"{platform.base_url}/api/v1/me", cookies=cookies, timeout=10)
    assert me.status_code == 200 and me.json()["uscc"] == uscc
    for sent in ({}, {"X-CSRF-Token": "forged"}):
        refused = requests.post(f"{platform.base_url}/api/v1/auth/logout", cookies=cookies, headers=sent, timeout=10)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "CSRF_TOKEN_INVALID"
    assert requests.get(f"{platform.base_url}/api/v1/me", cookies=cookies, timeout=10).status_code == 200
    done = requests.post(
        f"{platform.base_url}/api/v1/auth/logout",
        cookies=cookies,
        headers={"X-CSRF-Token": cookies["hrss_csrf"]},
        timeout=10,
    )
    assert done.status_code == 200
    assert requests.get(f"{platform.base_url}/api/v1/me", cookies=cookies, timeout=10).status_code == 401


def test_a_page_that_logs_in_again_ends_the_session_its_cookie_held(platform, tmp_path):
    (uscc,), _ = register(platform, tmp_path, "再登法人", password=PASSWORD)
    url, body = f"{platform.base_url}/api/v1/auth/login", {"account": uscc, "password": PASSWORD}
    first = requests.post(url, json=body, headers={"X-HRSS-Session": "cookie"}, timeout=10).cookies["hrss_session"]

    again = requests.post(
        url, json=body, headers={"X-HRSS-Session": "cookie"}, cookies={"hrss_session": first}, timeout=10
    )
    second = again.cookies["hrss_session"]

    assert second != first
    assert requests.get(f"{platform.base_url}/api/v1/me", cookies={"hrss_session": second}, timeout=10).ok
    ended = requests.get(f"{platform.base_url}/api/v1/me", cookies={"hrss_session": first}, timeout=10)
    assert ended.status_code == 401 and ended.json()["error"]["code"] == "UNAUTHENTICATED"


def test_pages_carry_a_strict_policy_and_assets_are_cached_under_their_build(platform):
    page = requests.get(f"{platform.base_url}/", timeout=10)
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "frame-ancestors 'none'" in policy and page.headers["Cache-Control"] == "no-cache"
    (script,) = re.findall(r'src="(/assets/[0-9a-f]{16}/app\.js)"', page.text)
    asset = requests.get(f"{platform.base_url}{script}", timeout=10)
    assert asset.status_code == 200 and asset.headers["Content-Type"].startswith("text/javascript")
    assert "immutable" in asset.headers["Cache-Control"] and "max-age=31536000" in asset.headers["Cache-Control"]
    stale = requests.get(f"{platform.base_url}/assets/0000000000000000/app.js", timeout=10)
    assert stale.status_code == 404
    assert requests.get(f"{platform.base_url}/dev/essc", timeout=10).status_code == 200  # development mode


def test_every_page_fits_a_phones_width(browser, platform, tmp_path):
    (uscc,), _ = register(platform, tmp_path, "手机法人", password=PASSWORD)
    phone = browser(width=375, height=740)
    page = phone.page("/")

    def fits(label):
        phone.shoot(page, label)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{label}: {width} px wide"

    fits("home")
    open_login(page)
    fits("qr-dialog")
    password_login(page, uscc, PASSWORD, opened=True)
    page.wait_for_selector("h1:has-text('用户中心')", timeout=5_000)
    fits("user-center")
    page.goto(f"{platform.base_url}/dev/essc")
    fits("simulator")


def test_the_login_dialog_works_by_keyboard_alone(browser, platform, tmp_path):
    (uscc,), _ = register(platform, tmp_path, "键盘法人", password=PASSWORD)
    user = browser()
    page = user.page("/")
    page.keyboard.press("Tab")  # 跳到主要内容
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "login-button":
            break
    page.keyboard.press("Enter")
    page.wait_for_selector(".qr-picture img")
    page.get_by_role("tab", name="账户登录").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#login-account:focus")
    page.keyboard.type(uscc)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('用户中心')", timeout=5_000)


def test_the_contact_phone_is_changed_in_the_user_center(browser, platform, tmp_path):
    (uscc,), _ = register(platform, tmp_path, "联系法人", password=PASSWORD)
    user = browser()
    page = user.page("/")
    password_login(page, uscc, PASSWORD)
    phone = page.locator("#profile-phone")
    page.wait_for_function("() => (document.querySelector('#profile-phone') || {}).value", timeout=10_000)
    assert phone.input_value() == "13900000001"  # as registered

    phone.fill("12345")
    page.get_by_role("button", name="保存联系电话").click()
    page.locator("[data-path='phone'] .field-error").wait_for(timeout=5_000)
    phone.fill("0451-86661234")
    page.get_by_role("button", name="保存联系电话").click()
    page.wait_for_selector("form.contact .ok", timeout=5_000)
    user.shoot(page, "contact-changed")

    token = platform.post("/api/v1/auth/login", {"account": uscc, "password": PASSWORD}).json()["token"]
    contact = requests.get(
        f"{platform.base_url}/api/v1/account/contact", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert contact.json() == {"phone": "0451-86661234"}


def test_changing_the_password_in_the_user_center_ends_the_accounts_other_sessions(browser, platform, tmp_path):
    (uscc,), _ = register(platform, tmp_path, "改密法人", password=PASSWORD)
    elsewhere = platform.post("/api/v1/auth/login", {"account": uscc, "password": PASSWORD}).json()["token"]
    user = browser()
    page = user.page("/")
    password_login(page, uscc, PASSWORD)
    page.wait_for_selector("#profile-title")

    page.fill("#profile-current_password", "not-the-password")
    page.fill("#profile-new_password", "a-newer-password")
    page.fill("#profile-repeat", "a-newer-password")
    page.locator("form.profile").get_by_role("button", name="保存").click()
    page.locator("[data-path='current_password'] .field-error").wait_for(timeout=5_000)
    assert page.locator("form.profile .error").inner_text() == CATALOGUE["CURRENT_PASSWORD_WRONG"].message

    page.fill("#profile-current_password", PASSWORD)
    page.locator("form.profile").get_by_role("button", name="保存").click()
    page.wait_for_selector("form.profile .ok", timeout=5_000)
    assert "其他1处登录已退出" in page.locator("form.profile .ok").inner_text()
    user.shoot(page, "password-changed")
    me = requests.get(f"{platform.base_url}/api/v1/me", headers={"Authorization": f"Bearer {elsewhere}"}, timeout=10)
    assert me.status_code == 401  # the other session ended
    page.get_by_role("combobox", name="状态").select_option("submitted")  # this one goes on
    page.wait_for_selector("text=暂无业务。")
    again = platform.post("/api/v1/auth/login", {"account": uscc, "password": "a-newer-password"})
    assert again.status_code == 200
