"""A 503 in the page (issue 9: "a 503 shows a retry hint, never a blank page"): the business
service stops answering (its processes paused with SIGSTOP, as a hung process would), the
gateway answers 503 with ``Retry-After``, and the user center says so where the cases were, with
the wait; once the service runs again, the same action works. On a platform of its own (this
module's), since the others' must keep running."""

import contextlib
import itertools
import os
import signal
import time
from pathlib import Path

import pytest
from browser_pages import LEGAL_PASSWORD, password_login, registered_with_units
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from hrss_contracts.errors import CATALOGUE

pytestmark = pytest.mark.browser


def processes_of(platform, target):
    """The pids of this platform's processes (its vhost in their environment) running ``target``."""
    vhost = platform.env["AMQP_URI"].rsplit("/", 1)[1].encode()
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(FileNotFoundError, ProcessLookupError, PermissionError):
            ours = entry.name.isdigit() and target.encode() in (entry / "cmdline").read_bytes()
            if ours and vhost in (entry / "environ").read_bytes():
                found.append(int(entry.name))
    return found


@contextlib.contextmanager
def paused(pids):
    """The processes stopped, and running again afterwards whatever happened (one that is gone
    by then is skipped)."""
    try:
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        yield
    finally:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)


def test_a_service_that_does_not_answer_shows_a_retry_hint_and_the_action_works_again_after(
    browser, platform, tmp_path
):
    uscc, _ = registered_with_units(platform, tmp_path, "暂停法人")
    user = browser()
    page = user.page("/")
    password_login(page, uscc, LEGAL_PASSWORD)
    page.wait_for_selector("text=暂无业务。", timeout=10_000)
    business = processes_of(platform, "hrss_business.entrypoints.service")
    assert business, "no business service process found"
    status = page.get_by_role("combobox", name="状态")

    with paused(business):
        status.select_option("submitted")
        alert = page.locator(".error[role=alert]")
        alert.wait_for(timeout=20_000)
        text = alert.inner_text()
        user.shoot(page, "service-unavailable")

    assert CATALOGUE["SERVICE_UNAVAILABLE"].message in text
    assert "秒后重试" in text
    assert page.locator("h1:has-text('用户中心')").is_visible()  # the page stays, with its navigation
    # As the hint says: again a few seconds on (the gateway takes the service for down until it
    # answers its pings again, a second or two), and it works.
    deadline = time.monotonic() + 30
    for choice in itertools.cycle(("", "submitted")):
        status.select_option(choice)
        try:
            page.wait_for_selector("text=暂无业务。", timeout=2_000)
            break
        except PlaywrightTimeout:
            assert time.monotonic() < deadline, "the cases never came back"
