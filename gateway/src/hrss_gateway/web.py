"""The web pages (``web/``), served by the gateway as static files.

- ``/`` is the platform's page (``web/index.html``); ``/dev/essc`` the development e-SSC
  simulator (``web/essc.html``), which exists only in development mode (``DEVELOPMENT``, on
  under ``make run``): elsewhere it is 404, as is the API it signs with.
- Assets are served under ``/assets/<build>/…``, where ``<build>`` is a hash of every asset's
  path and bytes: a page refers to them through ``{{assets}}``, filled in at start. Any change
  to any asset changes every URL, so each can be cached for a year (``immutable``), and a
  stale build's URL is 404, never a mix of two builds. Relative imports between modules work
  as they are, with no bundler and no rewriting.
- Pages carry a strict Content-Security-Policy: scripts, styles and connections from this
  origin only, no inline script or style, no framing, no plugins.
"""

from __future__ import annotations

import hashlib
import mimetypes
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from nameko.extensions import DependencyProvider
from werkzeug.wrappers import Request, Response

from hrss_contracts.errors import CatalogueError
from hrss_contracts.essc import assertion_claims
from hrss_contracts.qr_login import DevAssertionRequestSchema
from hrss_gateway.http import api
from hrss_gateway.requests import load

CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
ASSET_HEADERS = {"Cache-Control": "public, max-age=31536000, immutable", "X-Content-Type-Options": "nosniff"}
TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
PAGES = {"index": "index.html", "essc": "essc.html"}
ESSC_PRIVATE_KEY_FILE = "essc-dev-private.pem"
DEV_ASSERTION = DevAssertionRequestSchema()


def flag(value: Any) -> bool:
    """A yes/no setting as YAML or the environment spells it."""
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Site:
    build: str
    pages: dict[str, bytes]
    assets: dict[str, tuple[bytes, str]]  # path under assets/ → (bytes, content type)
    development: bool
    secure_cookies: bool
    essc_key_dir: Path

    def page(self, name: str) -> Response:
        return Response(self.pages[name], content_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    def asset(self, build: str, path: str) -> Response:
        found = self.assets.get(path) if build == self.build else None
        if found is None:
            raise CatalogueError("NOT_FOUND")
        body, content_type = found
        return Response(body, content_type=content_type, headers={**ASSET_HEADERS, "ETag": f'"{self.build}"'})


def load_site(root: Path, development: bool, secure_cookies: bool, essc_key_dir: Path) -> Site:
    assets_dir = root / "assets"
    files = sorted(p for p in assets_dir.rglob("*") if p.is_file())
    digest = hashlib.sha256()
    assets = {}
    for path in files:
        relative = path.relative_to(assets_dir).as_posix()
        body = path.read_bytes()
        digest.update(relative.encode() + b"\0" + body + b"\0")
        kind = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        charset = "; charset=utf-8" if kind.startswith("text/") or kind.endswith("+xml") else ""
        assets[relative] = (body, kind + charset)
    build = digest.hexdigest()[:16]
    pages = {
        name: (root / file).read_text(encoding="utf-8").replace("{{assets}}", f"/assets/{build}").encode()
        for name, file in PAGES.items()
    }
    return Site(build, pages, assets, development, secure_cookies, essc_key_dir)


class WebSite(DependencyProvider):  # type: ignore[misc]
    """The pages and assets, read once at start (``WEB_ROOT``, default ``web``)."""

    def setup(self) -> None:
        config = self.container.config
        self.site = load_site(
            Path(config.get("WEB_ROOT", "web")),
            development=flag(config.get("DEVELOPMENT", False)),
            secure_cookies=flag(config.get("SESSION_COOKIE_SECURE", True)),
            essc_key_dir=Path(config.get("ESSC_DEV_KEY_DIR", "var/essc")),
        )

    def get_dependency(self, worker_ctx: Any) -> Site:
        return self.site


class WebRoutes:
    """The pages' routes; mixed into the gateway service."""

    site: Site
    identity: Any

    @api("GET", "/")
    def home_page(self, request: Request) -> Response:
        return self.site.page("index")

    @api("GET", "/assets/<build>/<path:path>")
    def web_asset(self, request: Request, build: str, path: str) -> Response:
        return self.site.asset(build, path)

    @api("GET", "/dev/essc")
    def essc_simulator_page(self, request: Request) -> Response:
        if not self.site.development:
            raise CatalogueError("NOT_FOUND")
        return self.site.page("essc")

    @api("POST", "/api/v1/dev/essc/assertions")
    def essc_simulator(self, request: Request) -> dict[str, Any]:
        """Development mode only: the e-SSC app played by a page. ``{"act": "scan"|"confirm"|
        "cancel", "qr_content": …, "id_number": …, "name": …}`` is signed with the development
        e-SSC key and handed to identity as the e-SSC platform would: the answer is that of
        ``POST /api/v1/essc/assertions``."""
        if not self.site.development:
            raise CatalogueError("NOT_FOUND")
        body = load(request, DEV_ASSERTION)
        key_file = self.site.essc_key_dir / ESSC_PRIVATE_KEY_FILE
        try:
            key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        except OSError as exc:  # identity makes the key at its first start
            raise CatalogueError("SERVICE_UNAVAILABLE") from exc
        act, content, id_number, name = (body[k].strip() for k in ("act", "qr_content", "id_number", "name"))
        claims = assertion_claims(act, content, id_number, name, int(time.time()))
        assertion = jwt.encode(claims, key, algorithm="EdDSA")  # type: ignore[arg-type]
        return self.identity.essc_assertion(body={"assertion": assertion})
