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
import logging
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
from hrss_gateway.browser_sessions import unless_off
from hrss_gateway.http import api
from hrss_gateway.requests import load

log = logging.getLogger(__name__)
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
    """A yes/no setting as YAML or the environment spells it: on only when clearly on."""
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "on")


def loopback(address: str) -> bool:
    host = address.rsplit(":", 1)[0].strip("[]")
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


@dataclass(frozen=True)
class Site:
    build: str
    pages: dict[str, bytes]
    assets: dict[str, tuple[bytes, str]]  # path under assets/ → (bytes, content type)
    development: bool
    secure_cookies: bool
    essc_key_dir: Path

    def page(self, name: str) -> Response:
        if name not in self.pages:
            raise CatalogueError("NOT_FOUND")
        return Response(self.pages[name], content_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    def asset(self, build: str, path: str) -> Response:
        found = self.assets.get(path) if build == self.build else None
        if found is None:
            raise CatalogueError("NOT_FOUND")
        body, content_type = found
        return Response(body, content_type=content_type, headers={**ASSET_HEADERS, "ETag": f'"{self.build}"'})


def load_site(root: Path, development: bool, secure_cookies: bool, essc_key_dir: Path) -> Site:
    """The pages and assets under ``root``; dotfiles and source maps are never served. Without
    the pages (a missing ``web/``) the API still serves and every page is 404, said once."""
    if not (root / "index.html").is_file():
        log.error("no web pages at %s (WEB_ROOT): the API serves, every page is 404", root.resolve())
        return Site("none", {}, {}, development, secure_cookies, essc_key_dir)
    assets_dir = root / "assets"
    files = sorted(
        p
        for p in assets_dir.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(assets_dir).parts)
        and p.suffix != ".map"
    )
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
        if (root / file).is_file()
    }
    return Site(build, pages, assets, development, secure_cookies, essc_key_dir)


class WebSite(DependencyProvider):  # type: ignore[misc]
    """The pages and assets, read once at start (``WEB_ROOT``, default ``web``)."""

    def setup(self) -> None:
        config = self.container.config
        development = flag(config.get("DEVELOPMENT", False))
        address = str(config.get("WEB_SERVER_ADDRESS", ""))
        if development and not loopback(address):
            # The simulator signs as the e-SSC for anyone who can reach it: never off this host.
            log.error("DEVELOPMENT is on but the gateway listens on %s: the e-SSC simulator stays off", address)
            development = False
        elif development:
            log.warning("development mode: the e-SSC simulator (/dev/essc) signs assertions for anyone here")
        self.site = load_site(
            Path(config.get("WEB_ROOT", "web")),
            development=development,
            secure_cookies=unless_off(config.get("SESSION_COOKIE_SECURE", True)),
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
        "cancel", "qr_content": …, "id_type": …, "id_number": …, "name": …}`` is signed with the development
        e-SSC key and handed to identity as the e-SSC platform would: the answer is that of
        ``POST /api/v1/essc/assertions``."""
        if not self.site.development:
            raise CatalogueError("NOT_FOUND")
        if request.mimetype != "application/json":  # a form post from another page: no preflight, no call
            raise CatalogueError("MALFORMED_REQUEST")
        body = load(request, DEV_ASSERTION)
        key_file = self.site.essc_key_dir / ESSC_PRIVATE_KEY_FILE
        try:
            key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        except OSError as exc:  # identity makes the key at its first start
            raise CatalogueError("SERVICE_UNAVAILABLE") from exc
        act, content, id_number, name = (body[k].strip() for k in ("act", "qr_content", "id_number", "name"))
        claims = assertion_claims(act, content, id_number.upper(), name, int(time.time()), body["id_type"])
        assertion = jwt.encode(claims, key, algorithm="EdDSA")  # type: ignore[arg-type]
        return self.identity.essc_assertion(body={"assertion": assertion})
