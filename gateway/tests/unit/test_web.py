"""The pages' static files and the browser session: content-hashed assets, strict headers,
and the cookie session's CSRF rule."""

import json

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from hrss_contracts.errors import CatalogueError
from hrss_gateway.browser_sessions import csrf_for, deliver, session_token, unless_off
from hrss_gateway.web import load_site, loopback

pytestmark = pytest.mark.unit


def site_in(root, development=False, **assets):
    (root / "assets").mkdir(exist_ok=True)
    (root / "index.html").write_text('<script type="module" src="{{assets}}/app.js"></script>', encoding="utf-8")
    (root / "essc.html").write_text("<p>simulator</p>", encoding="utf-8")
    for name, text in assets.items():
        (root / "assets" / name.replace("__", "/")).parent.mkdir(parents=True, exist_ok=True)
        (root / "assets" / name.replace("__", "/")).write_text(text, encoding="utf-8")
    return load_site(root, development=development, secure_cookies=True, essc_key_dir=root)


def test_assets_are_served_under_a_hash_of_every_asset_and_cached_for_a_year(tmp_path):
    site = site_in(tmp_path, **{"app.js": "import './x.js';", "vendor__qr.mjs": "export default 1;"})
    page = site.page("index")
    assert page.get_data(as_text=True) == f'<script type="module" src="/assets/{site.build}/app.js"></script>'
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-cache"

    asset = site.asset(site.build, "vendor/qr.mjs")
    assert asset.get_data(as_text=True) == "export default 1;"
    assert asset.content_type.startswith("text/javascript")
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"

    changed = site_in(tmp_path, **{"app.js": "import './y.js';"})
    assert changed.build != site.build


@pytest.mark.parametrize("path", ["missing.js", "../index.html", "vendor/../app.js", ""])
def test_an_asset_not_in_the_build_is_not_found(tmp_path, path):
    site = site_in(tmp_path, **{"app.js": "1"})
    with pytest.raises(CatalogueError) as refused:
        site.asset(site.build, path)
    assert refused.value.code == "NOT_FOUND"
    with pytest.raises(CatalogueError):
        site.asset("0" * 16, "app.js")  # another build's URL


def request(method="GET", headers=None, cookies=None):
    sent = dict(headers or {})
    if cookies:
        sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    return Request(EnvironBuilder(method=method, headers=sent).get_environ())


COOKIES = {"hrss_session": "tok", "hrss_csrf": csrf_for("tok")}


def test_a_bearer_token_needs_no_csrf_token():
    sent = request("POST", headers={"Authorization": "Bearer abc"}, cookies=COOKIES)
    assert session_token(sent) == "abc"


def test_the_session_cookie_is_enough_to_read():
    assert session_token(request("GET", cookies=COOKIES)) == "tok"
    assert session_token(request("GET")) == ""


@pytest.mark.parametrize(
    ("headers", "cookies"),
    [
        ({}, COOKIES),
        ({"X-CSRF-Token": "forged"}, COOKIES),
        ({"X-CSRF-Token": ""}, COOKIES),
        # a planted CSRF cookie and header that agree: not the session's own
        ({"X-CSRF-Token": "planted"}, {"hrss_session": "tok", "hrss_csrf": "planted"}),
        ({"X-CSRF-Token": csrf_for("other-token")}, COOKIES),  # another session's
    ],
)
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_state_changing_call_with_the_cookie_needs_the_matching_csrf_token(method, headers, cookies):
    with pytest.raises(CatalogueError) as refused:
        session_token(request(method, headers=headers, cookies=cookies))
    assert refused.value.code == "CSRF_TOKEN_INVALID" and refused.value.status == 403


def test_the_matching_csrf_token_lets_a_state_changing_call_through():
    assert session_token(request("POST", headers={"X-CSRF-Token": csrf_for("tok")}, cookies=COOKIES)) == "tok"
    # the page reads it from the cookie; the check needs only the session's own token
    assert session_token(request("POST", headers={"X-CSRF-Token": csrf_for("tok")}, cookies={"hrss_session": "tok"}))


def test_a_login_asked_for_a_cookie_sets_it_and_keeps_the_token_out_of_the_body():
    body = {"token": "secret-token", "expires_in": 1800, "role": "legal"}
    assert deliver(request("POST"), dict(body), secure=True) == body  # an API client: as it is

    response = deliver(request("POST", headers={"X-HRSS-Session": "cookie"}), dict(body), secure=True)
    assert json.loads(response.get_data()) == {"expires_in": 1800, "role": "legal", "session": "cookie"}
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("hrss_session="))
    csrf = next(c for c in cookies if c.startswith("hrss_csrf="))
    assert "secret-token" in session and all(a in session for a in ("HttpOnly", "SameSite=Strict", "Secure"))
    assert "HttpOnly" not in csrf and "SameSite=Strict" in csrf and csrf_for("secret-token") in csrf

    pending = {"status": "pending", "expires_in": 100}
    assert deliver(request("GET", headers={"X-HRSS-Session": "cookie"}), dict(pending), secure=True) == pending


def test_without_pages_the_api_still_serves_and_pages_are_not_found(tmp_path):
    site = load_site(tmp_path / "missing", development=False, secure_cookies=True, essc_key_dir=tmp_path)
    with pytest.raises(CatalogueError) as refused:
        site.page("index")
    assert refused.value.code == "NOT_FOUND"


def test_dotfiles_and_source_maps_are_never_served(tmp_path):
    site = site_in(tmp_path, **{"app.js": "1", ".app.js.swp": "secret", "app.js.map": "{}"})
    assert set(site.assets) == {"app.js"}


@pytest.mark.parametrize(
    ("value", "secure"),
    [(True, True), ("true", True), ("ture", True), ("", True), ("false", False), ("0", False), (False, False)],
)
def test_the_cookie_stays_secure_unless_clearly_switched_off(value, secure):
    assert unless_off(value) is secure


@pytest.mark.parametrize(
    ("address", "local"),
    [
        ("127.0.0.1:8000", True),
        ("localhost:8000", True),
        ("[::1]:8000", True),
        ("0.0.0.0:8000", False),
        ("10.0.0.5:8000", False),
    ],
)
def test_development_tools_only_on_a_loopback_address(address, local):
    assert loopback(address) is local
