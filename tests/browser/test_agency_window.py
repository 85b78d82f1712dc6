"""The agency window (manual 3.1.2) in the browser: search by unit number, 详细信息, and
公共服务单位用户授权 with its 注意事项, an upload previewed and deleted, a clerk added, the
relations the clerk holds already marked yellow, 提交办理; 证件类型, each number judged by its
type's rule (the page's rules and the platform's agree); and 信用代码维护."""

import pytest
from browser_pages import STAFF_PASSWORD, password_login, registered_with_units, staff_account

from hrss_contracts.examples import random_id_number
from hrss_contracts.id_documents import ID_TYPES, canonical_document, document_number_error

# What the contract's own tests take and refuse (libs/contracts/tests/unit/test_id_documents.py).
GOOD = [
    ("resident_id", "11010519491231002X"),
    ("hk_macao_permit", "H32031177"),
    ("hk_macao_permit", "M3203117707"),
    ("taiwan_permit", "01234567"),
    ("foreign_permanent_residence", "911398199012310021"),
    ("foreign_permanent_residence", "KAZ110090123105"),
    ("passport", "E12345678"),
]
BAD = [
    ("resident_id", "110105194912310021"),
    ("hk_macao_permit", "H1234567"),
    ("taiwan_permit", "1234567"),
    ("foreign_permanent_residence", "911398199013310025"),
    ("foreign_permanent_residence", "KAZ110091323105"),
    ("passport", "E123"),
    ("driving_licence", "E12345678"),
    ("constructor", "E12345678"),  # no type at all, whatever a JavaScript object inherits
]

pytestmark = pytest.mark.browser

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082"
)


def test_agency_staff_authorise_a_clerk_at_the_window(browser, platform, tmp_path):
    uscc, legal = registered_with_units(platform, tmp_path, "窗口法人")
    auth = {"Authorization": f"Bearer {legal}"}
    clerk_id = random_id_number()
    clerk = platform.post(
        "/api/v1/clerks", {"id_number": clerk_id, "name": "窗口办事员", "phone": "13900139000"}, headers=auth
    )
    relations = requests_get(platform, "/api/v1/insurance-relations", auth)["items"]
    held = relations[0]["relation_id"]
    granted = platform_put(
        platform, f"/api/v1/clerks/{clerk.json()['clerk_id']}/grants", {"relation_ids": [held]}, auth
    )
    assert granted.status_code == 200

    staff = browser()
    page = staff.page("/")
    password_login(page, staff_account(platform), STAFF_PASSWORD)
    page.wait_for_selector("h1:has-text('业务受理')")
    page.get_by_role("link", name="经办窗口").click()
    page.fill("#window-query", relations[-1]["unit_no"])
    page.get_by_role("button", name="搜索").click()
    card = page.locator(".enterprise-card")
    card.wait_for()
    assert uscc in card.inner_text() and "窗口法人" in card.inner_text()
    page.get_by_role("button", name="详细信息").click()
    assert page.locator(".details tbody tr").count() == 3
    page.get_by_role("button", name="公共服务单位用户授权 · 业务办理").click()
    page.wait_for_selector("text=注意事项")

    page.set_input_files("#window-file", {"name": "授权委托书.png", "mimeType": "image/png", "buffer": PNG})
    page.wait_for_selector("img.preview")
    page.locator(".uploads").get_by_role("button", name="删除").click()
    assert page.locator("img.preview").count() == 0
    page.set_input_files("#window-file", {"name": "营业执照.png", "mimeType": "image/png", "buffer": PNG})
    page.wait_for_selector("img.preview")
    assert page.locator("img.preview").evaluate("img => img.naturalWidth") == 1  # the preview loads

    page.fill("#window-id-number", clerk_id)
    page.fill("#window-clerk-name", "窗口办事员")
    page.fill("#window-clerk-phone", "13900139000")
    page.get_by_role("button", name="添加并保存").click()
    page.wait_for_selector(".window-relations label.check")
    yellow = page.locator(".window-relations label.granted")
    assert yellow.count() == 1 and yellow.get_attribute("data-relation-id") == held
    assert (
        page.locator(".window-relations label.granted").evaluate("e => getComputedStyle(e).backgroundColor")
        == "rgb(255, 243, 176)"
    )
    staff.shoot(page, "window")
    others = page.locator(".window-relations label.check:not(.granted) input")
    others.first.check()
    page.get_by_role("button", name="提交办理").click()
    page.wait_for_selector("text=办理成功")
    listed = requests_get(platform, "/api/v1/clerks", auth)["items"]
    assert len(listed[0]["relation_ids"]) == 2 and held in listed[0]["relation_ids"]


def test_the_window_takes_each_document_type_by_its_own_rule(browser, platform, tmp_path):
    uscc, legal = registered_with_units(platform, tmp_path, "证件法人")
    staff = browser()
    page = staff.page("/")
    password_login(page, staff_account(platform), STAFF_PASSWORD)
    page.get_by_role("link", name="经办窗口").click()
    page.fill("#window-query", uscc)
    page.get_by_role("button", name="搜索").click()
    page.get_by_role("button", name="公共服务单位用户授权 · 业务办理").click()
    page.wait_for_selector("text=注意事项")
    assert page.locator("#window-id-type option").all_inner_texts() == list(ID_TYPES.values())
    page.set_input_files("#window-file", {"name": "护照复印件.png", "mimeType": "image/png", "buffer": PNG})
    page.wait_for_selector("img.preview")

    page.select_option("#window-id-type", label="外国人永久居留身份证")
    page.fill("#window-id-number", "911398199012310022")  # its check character is 1
    page.fill("#window-clerk-name", "Anna Ivanova")
    page.fill("#window-clerk-phone", "13900139000")
    page.get_by_role("button", name="添加并保存").click()
    refusal = page.locator("[data-path=id_number] .field-error")
    assert refusal.inner_text() == "外国人永久居留身份证号码格式不正确"
    assert page.locator("form.add-clerk [aria-invalid=true]").evaluate_all("all => all.map(e => e.id)") == [
        "window-id-number"
    ]  # the name and phone are good, and not marked
    assert page.locator(".window-clerks").inner_text() == "请添加办事员。"
    staff.shoot(page, "window-document-refused")
    page.fill("#window-id-number", "911398199012310021")
    page.get_by_role("button", name="添加并保存").click()
    page.wait_for_selector(".window-relations label.check")
    assert "外国人永久居留身份证" in page.locator(".window-clerks tbody tr").inner_text()
    page.locator(".window-relations label.check input").first.check()
    page.get_by_role("button", name="提交办理").click()
    page.wait_for_selector("text=办理成功")
    [clerk] = requests_get(platform, "/api/v1/clerks", {"Authorization": f"Bearer {legal}"})["items"]
    assert (clerk["id_type"], clerk["name"], len(clerk["relation_ids"])) == (
        "foreign_permanent_residence",
        "Anna Ivanova",
        1,
    )


def test_the_pages_judge_document_numbers_as_the_platform_does(browser, platform):
    page = browser().page("/")
    samples = [(t, n) for t, n in GOOD + BAD] + [("resident_id", random_id_number()) for _ in range(20)]
    samples += [(t, n[:-1] + ("0" if n[-1] != "0" else "1")) for t, n in samples]  # another last character
    samples += [(t, n) for _, n in GOOD for t in ID_TYPES]  # each number under every type
    verdicts = page.evaluate(
        """async (samples) => {
            const base = document.querySelector("script[type=module]").src.replace(/app\\.js$/, "");
            const documents = await import(base + "documents.js");
            return samples.map(([type, number]) => [
                documents.documentError(type, number),
                documents.documentError(type, number) ? null : documents.canonicalDocument(type, number),
            ]);
        }""",
        samples,
    )
    expected = [
        [error, None if error else list(canonical_document(t, n))]
        for t, n in samples
        for error in [document_number_error(t, n)]
    ]
    assert verdicts == expected


def requests_get(platform, path, headers):
    import requests

    answer = requests.get(f"{platform.base_url}{path}", headers=headers, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def platform_put(platform, path, body, headers):
    import requests

    return requests.put(f"{platform.base_url}{path}", json=body, headers=headers, timeout=10)
