"""No serious accessibility violation (axe-core's serious and critical ones) on any page: each
page and dialog as a person meets it, a legal representative's and agency staff's included."""

import pytest
from browser_pages import LEGAL_PASSWORD, open_login, password_login, registered_with_units, serious_violations

pytestmark = pytest.mark.browser


def test_no_page_has_a_serious_accessibility_violation(browser, platform, tmp_path):
    uscc, _ = registered_with_units(platform, tmp_path, "无障碍法人")
    user = browser()
    page = user.page("/")
    found = {}

    def check(label):
        user.shoot(page, label)
        found[label] = serious_violations(page)

    check("home")
    open_login(page)
    check("qr-dialog")
    page.get_by_role("tab", name="账户登录").click()
    check("password-tab")
    page.keyboard.press("Escape")
    page.get_by_role("link", name="注册").click()
    page.wait_for_selector("#reg-uscc")
    check("registration")
    page.get_by_role("link", name="办事中心").click()
    page.wait_for_selector(".item-card")
    check("business-centre")
    page.goto(f"{platform.base_url}/#/business/employee-registration")
    page.wait_for_selector("h1:has-text('办理指南')")
    check("guide")
    open_login(page)
    password_login(page, uscc, LEGAL_PASSWORD, opened=True)
    page.wait_for_selector("#clerks-title")
    check("user-center-legal")
    page.goto(f"{platform.base_url}/#/business/employee-registration/apply")
    page.wait_for_selector("button:has-text('提交办理')")
    page.get_by_role("button", name="提交办理").click()
    page.wait_for_selector(".field-error")
    check("application-with-errors")
    page.goto(f"{platform.base_url}/dev/essc")
    check("simulator")

    assert {label: v for label, v in found.items() if v} == {}
