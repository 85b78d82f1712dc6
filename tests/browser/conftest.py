"""The web pages in Debian's Chromium, driven by Playwright, on the platform as `make run` starts
it (development mode: the e-SSC simulator page is there). Every page a test visits is kept as
a screenshot under ``test-artifacts/screenshots``."""

import re
from pathlib import Path

import pytest
from e2e_platform import ROOT, running_platform

CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def platform(make_database, tmp_path_factory):
    with running_platform("sqlite", make_database, tmp_path_factory.mktemp("var-browser")) as started:
        yield started


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: `make test` installs it (Debian's chromium, fonts-noto-cjk)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


class Browser:
    """One browser profile (its own cookies) of a test; ``problems`` collects what the pages
    reported: script errors and Content-Security-Policy violations."""

    def __init__(self, chromium, platform, test_name, width=1280, height=800):
        self.context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        self.platform, self.test_name, self.shots = platform, test_name, 0
        self.problems = []

    def page(self, path="/"):
        page = self.context.new_page()
        page.on("pageerror", lambda exc: self.problems.append(f"script error: {exc}"))
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and "Content-Security-Policy" in message.text
                and self.problems.append(message.text)
            ),
        )
        page.goto(f"{self.platform.base_url}{path}")
        return page

    def shoot(self, page, label):
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{self.test_name}-{self.shots:02d}-{label}")
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def close(self):
        self.context.close()


@pytest.fixture
def browser(chromium, platform, request):
    opened = []

    def make(**size):
        made = Browser(chromium, platform, request.node.name, **size)
        opened.append(made)
        return made

    yield make
    for made in opened:
        made.close()
    problems = [p for made in opened for p in made.problems]
    assert problems == [], problems
