"""A QR code that expires on the screen is replaced by a fresh one on request (manual 2.1.2);
on a platform whose QR sessions live 3 seconds (QR_SESSION_SECONDS)."""

import pytest
from browser_pages import decode_qr
from e2e_platform import running_platform

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def platform(make_database, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("QR_SESSION_SECONDS", "3")
        with running_platform("sqlite", make_database, tmp_path_factory.mktemp("var-expiry")) as started:
            yield started


def test_an_expired_code_says_so_and_a_fresh_one_is_a_new_session(browser, platform):
    user = browser()
    page = user.page("/")
    page.get_by_role("button", name="登录 · 企业用户").click()
    page.wait_for_selector(".qr-picture img")
    first = decode_qr(page.locator(".qr-picture img").screenshot())

    page.wait_for_selector("text=二维码已过期,请刷新二维码", timeout=10_000)  # the long poll reports it
    assert "dim" in page.locator(".qr-picture").get_attribute("class")
    user.shoot(page, "expired")
    page.get_by_role("button", name="刷新二维码").click()
    page.wait_for_function(f"() => document.querySelector('.qr-picture').dataset.qrContent !== '{first}'")
    page.wait_for_selector("text=请使用电子社保卡扫描二维码登录")
    assert decode_qr(page.locator(".qr-picture img").screenshot()) != first
    assert page.locator(".qr-title").inner_text() == "法人扫码登录"
