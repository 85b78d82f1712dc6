"""The whole journey in the browser, from the registration page to an approved case (issue 9):
the legal representative registers and scans in through the simulator, adds a clerk and grants
two relations; the clerk (a clerk of two enterprises) scans in, picks the enterprise, submits a
case with an upload; agency staff accept and approve it in their console; the user center shows
its history. Every step through the pages, as people click them."""

import uuid

import pytest
from browser_pages import (
    LEGAL_PASSWORD,
    STAFF_PASSWORD,
    decode_qr,
    enterprise_in_sources,
    password_login,
    registered_with_units,
    staff_account,
)

from hrss_contracts.examples import random_id_number
from hrss_contracts.uscc import uscc_check_character

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def scan_in(browser_page, simulator, id_number, name, role_switch=False):
    """Open the login dialog, (switch role,) read the code off the screen, scan and confirm."""
    browser_page.get_by_role("button", name="登录 · 企业用户").click()
    browser_page.wait_for_selector(".qr-picture img")
    if role_switch:
        browser_page.get_by_role("button", name="切换为办事员扫码登录").click()
        browser_page.wait_for_selector(".qr-title:has-text('办事员扫码登录')")
        browser_page.wait_for_function("() => document.querySelector('.qr-picture').dataset.qrContent")
        browser_page.wait_for_timeout(100)
    content = decode_qr(browser_page.locator(".qr-picture img").screenshot())
    assert content == browser_page.locator(".qr-picture").get_attribute("data-qr-content")
    for act in ("扫码", "确认登录"):
        simulator.fill("#qr-content", content)
        simulator.fill("#id-number", id_number)
        simulator.fill("#name", name)
        simulator.get_by_role("button", name=act, exact=True).click()
        simulator.wait_for_selector("#result.ok", timeout=10_000)
        simulator.evaluate("document.getElementById('result').className = ''")


def test_from_the_registration_page_to_an_approved_case(browser, platform, tmp_path):
    rep, rep_id = "旅程法人", random_id_number()
    uscc, name = enterprise_in_sources(platform, tmp_path, rep, rep_id)
    legal = browser()
    page = legal.page("/")
    phone = browser(width=375, height=740)
    simulator = phone.page("/dev/essc")

    # 注册, with the check character hinted as the code is typed
    page.get_by_role("link", name="注册").click()
    page.fill("#reg-uscc", uscc[:17])
    assert page.locator("#reg-uscc-hint").inner_text() == f"第18位校验码应为 {uscc_check_character(uscc[:17])}"
    page.fill("#reg-uscc", uscc)
    assert page.locator("#reg-uscc-hint").inner_text() == "校验码正确"
    page.fill("#reg-name", name)
    page.fill("#reg-legal_rep_name", rep)
    page.fill("#reg-legal_rep_id", rep_id)
    page.fill("#reg-phone", "13900000001")
    legal.shoot(page, "registration")
    page.get_by_role("button", name="注册", exact=True).click()
    page.wait_for_selector("text=注册成功")

    # the legal representative scans in, adds a clerk, grants two relations
    scan_in(page, simulator, rep_id, rep)
    page.wait_for_selector("#clerks-title", timeout=10_000)
    clerk_id, clerk_name = random_id_number(), "旅程办事员"
    page.get_by_role("button", name="添加").click()
    page.fill("#clerk-id-number", clerk_id)
    page.fill("#clerk-name", clerk_name)
    page.fill("#clerk-phone", "13900139000")
    page.locator("dialog.form-dialog").get_by_role("button", name="保存").click()
    page.get_by_role("radio", name=f"选中{clerk_name}").check()
    page.get_by_role("button", name="单位授权").click()
    boxes = page.locator("dialog.form-dialog input[type=checkbox]")
    boxes.first.wait_for()
    assert boxes.count() == 3
    boxes.nth(0).check()
    boxes.nth(1).check()
    legal.shoot(page, "grants")
    page.locator("dialog.form-dialog").get_by_role("button", name="保存").click()
    page.wait_for_selector("table.clerks td:has-text('-110')")
    legal.shoot(page, "user-center-legal")

    # the same person is a clerk of a second enterprise too: 选择单位
    other_rep_id = random_id_number()
    other_uscc, other_name = enterprise_in_sources(platform, tmp_path, "另一法人", other_rep_id)
    assert (
        platform.post(
            "/api/v1/registrations",
            {
                "uscc": other_uscc,
                "name": other_name,
                "legal_rep_name": "另一法人",
                "legal_rep_id": other_rep_id,
                "phone": "13900000002",
                "password": "other-password-1",
            },
        ).status_code
        == 201
    )
    other = platform.post("/api/v1/auth/login", {"account": other_uscc, "password": "other-password-1"}).json()["token"]
    added = platform.post(
        "/api/v1/clerks",
        {"id_number": clerk_id, "name": clerk_name, "phone": "13900139000"},
        headers={"Authorization": f"Bearer {other}"},
    )
    assert added.status_code == 201, added.text

    clerk = browser()
    clerk_page = clerk.page("/")
    scan_in(clerk_page, simulator, clerk_id, clerk_name, role_switch=True)
    picker = clerk_page.get_by_role("group", name="选择单位")
    picker.wait_for(timeout=10_000)
    clerk.shoot(clerk_page, "select-enterprise")
    picker.locator(".enterprise", has_text=uscc).click()
    clerk_page.wait_for_selector("h1:has-text('用户中心')", timeout=10_000)
    assert clerk_page.locator("#clerks-title").count() == 0  # no 授权登录 for a clerk
    assert clerk_page.locator("#profile-title").count() == 0  # nor 修改资料

    # 办事中心 → 职工参保登记 → 立即办理, keyboard for the form, an upload for each material
    clerk_page.get_by_role("link", name="办事中心").click()
    clerk_page.get_by_role("listitem").filter(has_text="职工参保登记").get_by_role("link", name="立即办理").click()
    clerk_page.wait_for_selector("button:has-text('提交办理')")
    clerk.shoot(clerk_page, "application")
    employee = random_id_number()
    clerk_page.locator("[data-path='form.employees.0.id_number'] input").fill(employee)
    clerk_page.locator("[data-path='form.employees.0.name'] input").fill("新职工")
    clerk_page.locator("[data-path='form.employees.0.hired_on'] input").fill("2026-11-02")
    clerk_page.locator("[data-path='form.employees.0.monthly_wage'] input").fill("4800")
    clerk_page.locator("[data-path='form.insurance_types'] input[value='110']").check()
    clerk_page.locator("[data-path='form.start_month'] input").fill("2026-11")
    for field in clerk_page.locator("fieldset.materials input[type=file]").all():
        field.set_input_files(
            {"name": f"材料-{uuid.uuid4().hex[:4]}.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
    clerk_page.wait_for_function(
        "() => [...document.querySelectorAll('.upload-status')].every(s => s.textContent.startsWith('已上传'))"
    )
    clerk_page.get_by_role("button", name="提交办理").focus()
    clerk_page.keyboard.press("Enter")
    clerk_page.wait_for_selector("h2:has-text('办理记录')", timeout=10_000)
    case_no = clerk_page.url.rsplit("/", 1)[1]
    clerk.shoot(clerk_page, "case-submitted")

    # agency staff accept and approve it in their console
    staff = browser()
    staff_page = staff.page("/")
    password_login(staff_page, staff_account(platform), STAFF_PASSWORD)
    staff_page.wait_for_selector("h1:has-text('业务受理')", timeout=10_000)
    row = staff_page.locator(f"tr[data-case-no='{case_no}']")
    row.wait_for(timeout=10_000)
    staff.shoot(staff_page, "queue")
    row.dblclick()
    staff_page.get_by_role("button", name="受理", exact=True).click()
    staff_page.get_by_role("button", name="准予").wait_for()
    staff_page.fill("#decision-comment", "材料齐全,准予办理")
    staff_page.get_by_role("button", name="准予").click()
    staff_page.wait_for_selector(".facts .status-approved")
    staff.shoot(staff_page, "approved")

    # the clerk's user center shows it approved, and its history
    clerk_page.goto(f"{platform.base_url}/#/user-center")
    clerk_page.locator(f"tr[data-case-no='{case_no}'] .status-approved").wait_for(timeout=10_000)
    clerk_page.locator(f"tr[data-case-no='{case_no}']").dblclick()
    clerk_page.wait_for_selector("table.history")
    history = clerk_page.locator("table.history tbody tr").all_inner_texts()
    assert [line.split("\t")[1] for line in history] == ["已提交", "已受理", "已办结(准予)"]
    assert "材料齐全,准予办理" in history[-1]
    clerk.shoot(clerk_page, "case-history")


def test_a_case_sent_back_for_correction_is_corrected_and_resubmitted_in_the_page(browser, platform, tmp_path):
    import requests

    uscc, token = registered_with_units(platform, tmp_path, "补正法人")
    auth = {"Authorization": f"Bearer {token}"}
    item = requests.get(f"{platform.base_url}/api/v1/business-items/unit-deregistration", timeout=10).json()
    uploads = {}
    for material in item["materials"]:
        sent = requests.post(
            f"{platform.base_url}/api/v1/attachments",
            files={"file": (f"{material['code']}.pdf", PDF, "application/pdf")},
            headers=auth,
            timeout=10,
        )
        uploads[material["code"]] = sent.json()["attachment_id"]
    relation = requests.get(f"{platform.base_url}/api/v1/insurance-relations", headers=auth, timeout=10).json()[
        "items"
    ][0]
    form = {
        "reason": "解散",
        "closed_on": "2026-11-01",
        "document_no": "哈注销2026-001",
        "no_arrears_confirmed": True,
        "contact_phone": "13900000001",
    }
    case = requests.post(
        f"{platform.base_url}/api/v1/cases",
        json={
            "item_code": "unit-deregistration",
            "relation_id": relation["relation_id"],
            "form": form,
            "attachments": uploads,
        },
        headers=auth,
        timeout=10,
    )
    assert case.status_code == 201, case.text
    case_no = case.json()["case_no"]
    account = staff_account(platform)
    staff = platform.post("/api/v1/auth/login", {"account": account, "password": STAFF_PASSWORD}).json()["token"]
    sent_back = requests.post(
        f"{platform.base_url}/api/v1/agency/cases/{case_no}/decisions",
        json={"action": "request_correction", "comment": "注销文书编号有误"},
        headers={"Authorization": f"Bearer {staff}"},
        timeout=10,
    )
    assert sent_back.status_code == 200, sent_back.text

    user = browser()
    page = user.page("/")
    password_login(page, uscc, LEGAL_PASSWORD)
    page.locator(f"tr[data-case-no='{case_no}'] .status-correction_required").wait_for(timeout=10_000)
    page.locator(f"tr[data-case-no='{case_no}']").dblclick()
    page.wait_for_selector("h2:has-text('补正材料')")
    assert "注销文书编号有误" in page.locator("table.history").inner_text()
    number = page.locator("form.resubmission [data-path='form.document_no'] input")
    assert number.input_value() == "哈注销2026-001"  # the form as it was, to correct
    number.fill("哈注销2026-002")
    assert page.locator("form.resubmission .upload-status").first.inner_text().startswith("沿用")
    user.shoot(page, "correction")
    page.locator("form.resubmission").get_by_role("button", name="提交办理").click()
    page.wait_for_selector(".facts .status-resubmitted", timeout=10_000)
    shown = requests.get(f"{platform.base_url}/api/v1/cases/{case_no}", headers=auth, timeout=10).json()
    assert shown["form"]["document_no"] == "哈注销2026-002" and shown["round"] == 2
    assert {m["attachment_id"] for m in shown["materials"]} == set(uploads.values())  # kept
