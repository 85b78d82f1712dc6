"""Usable by keyboard alone (issue 9): a case submitted without a pointer. From the user center,
Tab to 办事中心 and to 立即办理 of 职工参保登记; through the form typing, Space on a check box,
Space on each material's file input to choose its file; Enter on 提交办理. (The login dialog by
keyboard alone: ``test_login_pages``.)"""

import pytest
from browser_pages import LEGAL_PASSWORD, password_login, registered_with_units
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from hrss_contracts.examples import random_id_number

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def tab_to(page, predicate, limit=200):
    """Press Tab until ``predicate`` (a JavaScript expression of ``e``, the focused element) holds."""
    for _ in range(limit):
        if page.evaluate(f"(e => Boolean({predicate}))(document.activeElement)"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{limit} presses of Tab never reached {predicate}")


def choose_file(page, payload):
    """The focused file input's chooser opened from the keyboard (Space, or else Enter), and the
    file chosen in it."""
    for key in ("Space", "Enter"):
        try:
            with page.expect_file_chooser(timeout=10_000) as chooser:
                page.keyboard.press(key)
        except PlaywrightTimeout:
            continue
        chooser.value.set_files(payload)
        return
    pytest.fail(f"no file chooser opened from the keyboard at {page.evaluate('document.activeElement.outerHTML')}")


def at(path):
    return f"e.closest('[data-path]') && e.closest('[data-path]').dataset.path === '{path}'"


def test_a_case_is_submitted_by_keyboard_alone(browser, platform, tmp_path):
    uscc, _ = registered_with_units(platform, tmp_path, "键盘办事法人")
    user = browser()
    page = user.page("/")
    password_login(page, uscc, LEGAL_PASSWORD)
    page.wait_for_selector("h1:has-text('用户中心')", timeout=10_000)

    tab_to(page, "e.textContent === '办事中心'")
    page.keyboard.press("Enter")
    tab_to(page, "e.textContent === '立即办理' && e.closest('li').textContent.includes('职工参保登记')")
    page.keyboard.press("Enter")
    page.wait_for_selector("button:has-text('提交办理')")

    tab_to(page, at("form.employees.0.id_number"))
    page.keyboard.type(random_id_number())
    tab_to(page, at("form.employees.0.name"))
    page.keyboard.type("键盘职工")
    tab_to(page, at("form.employees.0.hired_on"))
    # A date input: Chromium's headless UI (en-US) orders its parts month, day, year, and moves
    # on as each part is complete.
    page.keyboard.type("11022026")
    assert page.evaluate("document.activeElement.value") == "2026-11-02", "the date's parts are not month/day/year"
    tab_to(page, at("form.employees.0.monthly_wage"))
    page.keyboard.type("4800")
    tab_to(page, "e.type === 'checkbox' && e.value === '110'")
    page.keyboard.press("Space")
    tab_to(page, at("form.start_month"))
    page.keyboard.type("2026-11")
    files = page.locator("fieldset.materials input[type=file]").count()
    assert files > 0
    for n in range(files):
        tab_to(page, f"e === document.querySelectorAll('fieldset.materials input[type=file]')[{n}]")
        choose_file(page, {"name": f"材料{n}.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.wait_for_function(
        "() => [...document.querySelectorAll('.upload-status')].every(s => s.textContent.startsWith('已上传'))"
    )
    tab_to(page, "e.textContent === '提交办理'")
    page.keyboard.press("Enter")

    page.wait_for_selector("h2:has-text('办理记录')", timeout=10_000)
    assert page.locator("table.history tbody tr").count() == 1
    user.shoot(page, "keyboard-case")
