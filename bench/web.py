"""Issue 9's figures, in Debian's Chromium driven by Playwright, on the platform as `hrssctl
platform run` starts it (development mode, Postgres, one process of each):

- the time from the simulator page's 确认登录 to the user center shown in the browser that
  holds the QR code (its long poll wakes, the session cookie is set, /me and the listing load),
  over LOGINS logins, each in a fresh browser profile;
- the first page load with an empty cache (bytes transferred, requests, DOMContentLoaded, and
  the 登录 button on screen), and the same page again with the cache warm;
- the largest asset.
"""

import statistics
import time

import requests
from logins import LIMITS_OFF
from procs import ROOT, scaled
from running_platform import Platform, enterprises, registration

LOGINS = scaled(20)
CHROMIUM = "/usr/bin/chromium"


def page_load(browser, url):
    """(bytes transferred, requests, DOMContentLoaded ms, login button ms) of a cold load, and
    the bytes of a warm one in the same profile."""
    context = browser.new_context()
    page = context.new_page()
    started = time.monotonic()
    page.goto(url)
    page.wait_for_selector("#login-button")
    shown = (time.monotonic() - started) * 1000
    cold = page.evaluate(
        """() => {
          const nav = performance.getEntriesByType('navigation')[0];
          const rest = performance.getEntriesByType('resource');
          return {bytes: nav.transferSize + rest.reduce((n, r) => n + r.transferSize, 0),
                  requests: 1 + rest.length, dcl: nav.domContentLoadedEventEnd};
        }"""
    )
    page.reload()
    page.wait_for_selector("#login-button")
    warm = page.evaluate(
        """() => performance.getEntriesByType('navigation')[0].transferSize
                 + performance.getEntriesByType('resource').reduce((n, r) => n + r.transferSize, 0)"""
    )
    context.close()
    return cold["bytes"], cold["requests"], cold["dcl"], shown, warm


def confirm_to_user_center(browser, url, records):
    """Milliseconds from the simulator's 确认登录 to the user center on screen, per login (each
    its own legal representative: the e-SSC's acts are limited per person)."""
    phone = browser.new_context(viewport={"width": 375, "height": 740})
    simulator = phone.new_page()
    simulator.goto(f"{url}/dev/essc")
    timings = []
    for record in records:
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        page.get_by_role("button", name="登录 · 企业用户").click()
        page.wait_for_function("() => document.querySelector('.qr-picture')?.dataset.qrContent")
        content = page.locator(".qr-picture").get_attribute("data-qr-content")
        for act in ("扫码", "确认登录"):
            simulator.fill("#qr-content", content)
            simulator.fill("#id-number", record["legal_rep_id"])
            simulator.fill("#name", record["legal_rep_name"])
            if act == "扫码":
                simulator.get_by_role("button", name=act, exact=True).click()
                simulator.wait_for_selector("#result.ok, #result.error")
                assert "成功" in simulator.locator("#result").inner_text(), simulator.locator("#result").inner_text()
                simulator.evaluate("document.getElementById('result').className = ''")
                page.wait_for_selector("text=已扫码,请在手机上确认登录")
                continue
            started = time.monotonic()
            simulator.get_by_role("button", name=act, exact=True).click()
            page.wait_for_selector("h1:has-text('用户中心')")
            page.wait_for_selector("text=暂无业务。")
            timings.append((time.monotonic() - started) * 1000)
        context.close()
    phone.close()
    return timings


def largest_asset():
    files = [p for p in (ROOT / "web" / "assets").rglob("*") if p.is_file()]
    biggest = max(files, key=lambda p: p.stat().st_size)
    return biggest.relative_to(ROOT).as_posix(), biggest.stat().st_size, sum(p.stat().st_size for p in files)


def main():
    from playwright.sync_api import sync_playwright

    records = list(enterprises(LOGINS))
    with Platform(records, 18098, env=LIMITS_OFF) as platform:
        for record in records:
            answer = requests.post(f"{platform.url}/api/v1/registrations", json=registration(record), timeout=30)
            assert answer.status_code == 201, answer.text
        time.sleep(1)  # EnterpriseRegistered reaches identity's membership read model
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            cold_bytes, cold_requests, dcl, shown, warm_bytes = page_load(browser, platform.url)
            timings = confirm_to_user_center(browser, platform.url, records)
            browser.close()
    path, size, total = largest_asset()
    timings.sort()
    p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
    print("\n## Web pages (issue 9; Chromium via Playwright, Postgres, one process of each; `bench/web.py`)\n")
    print(
        f"确认登录 on the simulator → 用户中心 shown (its case list loaded), {len(timings)} logins: "
        f"p50 {statistics.median(timings):.0f} ms, p99 {p99:.0f} ms, max {timings[-1]:.0f} ms\n"
    )
    print("| first page load | bytes transferred | requests | DOMContentLoaded ms | 登录 button on screen ms |")
    print("|---|---|---|---|---|")
    print(f"| empty cache | {cold_bytes:,} | {cold_requests} | {dcl:.0f} | {shown:.0f} |")
    print(f"| warm cache (reload) | {warm_bytes:,} | | | |")
    print(f"\nLargest asset: `{path}`, {size:,} bytes (every asset together: {total:,} bytes, uncompressed)")


if __name__ == "__main__":
    main()
