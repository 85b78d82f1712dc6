"""Helpers of the browser tests: enterprises and accounts to log in with, the login dialog as a
person uses it, and what the tests read off the screen."""

import io
import uuid

from e2e_records import import_records, source_record

from hrss_contracts.examples import random_id_number, random_uscc

AGENCY = "哈尔滨市社会保险事业中心"
STAFF_PASSWORD = "staff-password-1"
LEGAL_PASSWORD = "legal-password-1"


def enterprise_in_sources(platform, tmp_path, rep, rep_id):
    """An enterprise the pension source knows (two units: 110 and 210, then 410), not registered."""
    uscc = random_uscc()
    units = [
        {
            "unit_no": f"U{uscc[-8:]}1",
            "relations": [{"insurance": "110", "agency": AGENCY}, {"insurance": "210", "agency": AGENCY}],
        },
        {"unit_no": f"U{uscc[-8:]}2", "relations": [{"insurance": "410", "agency": AGENCY}]},
    ]
    name = f"旅程测试{uscc[-4:]}有限公司"
    import_records(platform, tmp_path, "enterprise-pension", source_record(uscc, name, rep, rep_id, units))
    return uscc, name


def registered_with_units(platform, tmp_path, rep):
    """``enterprise_in_sources``, registered with ``LEGAL_PASSWORD``: its code and a bearer token."""
    rep_id = random_id_number()
    uscc, name = enterprise_in_sources(platform, tmp_path, rep, rep_id)
    body = {"uscc": uscc, "name": name, "legal_rep_name": rep, "legal_rep_id": rep_id, "phone": "13900000001"}
    answer = platform.post("/api/v1/registrations", {**body, "password": LEGAL_PASSWORD})
    assert answer.status_code == 201, answer.text
    return uscc, platform.post("/api/v1/auth/login", {"account": uscc, "password": LEGAL_PASSWORD}).json()["token"]


def staff_account(platform):
    """A new agency staff account of ``AGENCY`` (password ``STAFF_PASSWORD``): its name."""
    account = f"staff{uuid.uuid4().hex[:6]}"
    made = platform.hrssctl("agency-users", "add", "--account", account, "--agency", AGENCY, stdin=STAFF_PASSWORD)
    assert made.returncode == 0, made.stderr
    return account


def open_login(page):
    """登录 · 企业用户: the dialog, once its QR code is drawn."""
    page.get_by_role("button", name="登录 · 企业用户").click()
    page.wait_for_selector(".qr-picture img")
    return page.get_by_role("dialog")


def password_login(page, account, password, opened=False):
    """账户登录 in the dialog (opened first unless ``opened``), as a person types it."""
    if not opened:
        page.get_by_role("button", name="登录 · 企业用户").click()
    page.get_by_role("tab", name="账户登录").click()
    page.fill("#login-account", account)
    page.fill("#login-password", password)
    page.get_by_role("dialog").get_by_role("button", name="登录", exact=True).click()


def decode_qr(png: bytes) -> str:
    """The text of the QR code in a PNG, read by a real decoder (ZXing's C++ port)."""
    import zxingcpp
    from PIL import Image

    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1, f"{len(found)} QR codes in the picture"
    return found[0].text


def serious_violations(page):
    """axe-core's serious and critical violations on the page as it is now: (rule, target) pairs."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (violation["id"], node["target"])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
        for node in violation["nodes"]
    ]
