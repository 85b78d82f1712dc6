"""The gateway's HTTP endpoints (API.md): each loads, calls one service, dumps."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

import eventlet
from werkzeug.wrappers import Request, Response

from hrss_contracts.errors import CatalogueError
from hrss_contracts.event_data import ROLES
from hrss_contracts.login import LoginRequestSchema
from hrss_contracts.registration import ContactRequestSchema, RegistrationRequestSchema
from hrss_gateway.asyncapi import build_asyncapi
from hrss_gateway.browser_sessions import SESSION_COOKIE, deliver, forget, session_token, wants_cookie
from hrss_gateway.business import BusinessRoutes
from hrss_gateway.cases import CaseRoutes
from hrss_gateway.clerks import ClerkRoutes
from hrss_gateway.http import api
from hrss_gateway.limit_providers import LoginAttempts, RegistrationAttempts
from hrss_gateway.openapi import build_spec
from hrss_gateway.qr_routes import QrLoginRoutes
from hrss_gateway.requests import json_body, load
from hrss_gateway.session_cache import SessionCheck
from hrss_gateway.web import WebRoutes, WebSite
from hrss_gateway.window import WindowRoutes
from hrss_gateway.wsgi_app import JSON, json_response
from hrss_kit.logs import CallIdLogging
from hrss_kit.rpc import RemoteError
from hrss_kit.rpc_client import ServiceRpc

SERVICES = ("enterprise", "identity", "authorization", "business")
log = logging.getLogger(__name__)
REGISTRATION = RegistrationRequestSchema()
LOGIN = LoginRequestSchema()
CONTACT = ContactRequestSchema()
# A service that does not answer a ping within this is down, whatever its calls' timeouts.
HEALTH_TIMEOUT = 2.0


class GatewayService(QrLoginRoutes, ClerkRoutes, WindowRoutes, BusinessRoutes, CaseRoutes, WebRoutes):
    name = "gateway"

    # fail_fast: while identity does not answer its pings, a registration is 503 at once.
    identity = ServiceRpc("identity", timeout=15, fail_fast=True)
    # Health checks have clients of their own: a hung service answers /healthz 503 in 2 s.
    enterprise_health = ServiceRpc("enterprise", timeout=HEALTH_TIMEOUT)
    identity_health = ServiceRpc("identity", timeout=HEALTH_TIMEOUT)
    authorization_health = ServiceRpc("authorization", timeout=HEALTH_TIMEOUT)
    business_health = ServiceRpc("business", timeout=HEALTH_TIMEOUT)
    attempts = RegistrationAttempts()
    login_attempts = LoginAttempts()
    sessions = SessionCheck()
    call_ids = CallIdLogging()
    site = WebSite()

    @api("POST", "/api/v1/registrations")
    def register(self, request: Request) -> tuple[int, dict[str, Any]]:
        """法人注册 (manual 5.1).

        Request: ``{"uscc": "91110000600037341L", "name": "…", "legal_rep_name": "张三",
        "legal_rep_id": "360426199101010071", "phone": "13800138000", "password": "optional"}``.
        Response 201: ``{"uscc": "91110000600037341L", "status": "registered"}``; errors as in
        API.md (400 with ``fields``, 408, 409, 413, 422, 503), and 429 for too many POSTs
        from one address or too many 422s for one code (``limits``).
        """
        application = load(request, REGISTRATION)
        with self.attempts(application["uscc"]):
            return 201, self.identity.register(application=application)

    @api("POST", "/api/v1/auth/login")
    def log_in(self, request: Request) -> dict[str, Any]:
        """账户方式登录 (manual 5.2.1): ``{"account": "<USCC or staff account>", "password": "…"}``.

        Response 200: ``{"token": "…", "expires_in": 1800, "role": "legal"|"agency"}``. Errors:
        400 ACCOUNT_REQUIRED / PASSWORD_REQUIRED, 401 ACCOUNT_NOT_FOUND / USE_QR_LOGIN /
        BAD_CREDENTIALS (the manual's texts), 423 ACCOUNT_LOCKED with ``Retry-After`` after 5
        failures in 15 minutes, 429 LOGIN_ATTEMPTS_EXCEEDED per address or per account.
        """
        credentials = load(request, LOGIN)
        self.login_attempts(request.environ, credentials["account"])
        return self._deliver(request, self.identity.log_in(credentials=credentials))

    def _deliver(self, request: Request, body: dict[str, Any]) -> Any:
        """``deliver``; a page that logs in again ends the session its cookie held, which would
        otherwise live on, unseen, until it expired."""
        previous = request.cookies.get(SESSION_COOKIE, "")
        response = deliver(request, body, self.site.secure_cookies)
        if previous and body.get("token") and wants_cookie(request) and previous != body["token"]:
            try:
                self.identity.log_out(token=previous)
                self.sessions.forget(previous)
            except (CatalogueError, RemoteError):  # the new session stands; the old one ends at its expiry
                log.warning("the page's previous session could not be ended now", exc_info=True)
        return response

    @api("POST", "/api/v1/auth/logout", roles=ROLES)
    def log_out(self, request: Request, session: dict[str, Any]) -> Any:
        """End this session (its token stops working at once): ``{"status": "logged_out"}``;
        a page's session cookies are cleared."""
        token = session_token(request)
        self.identity.log_out(token=token)
        self.sessions.forget(token)
        return forget(json_response({"status": "logged_out"}), self.site.secure_cookies)

    @api("PUT", "/api/v1/account/password", roles=("legal",))
    def change_password(self, request: Request, session: dict[str, Any]) -> dict[str, Any]:
        """修改资料 → 密码: ``{"current_password": "…" (when the account has one), "new_password": "…"}``
        → ``{"status": "changed", "sessions_ended": n}``: every other session of the account ends,
        this one stays. 400 VALIDATION_FAILED / CURRENT_PASSWORD_WRONG, 423 ACCOUNT_LOCKED."""
        return self.identity.change_password(token=session_token(request), change=json_body(request))

    @api("GET", "/api/v1/account/contact", roles=("legal",))
    def contact(self, request: Request, session: dict[str, Any]) -> dict[str, Any]:
        """修改资料 → 联系电话 as it is: ``{"phone": "13800138000"}`` (the enterprise's)."""
        enterprise = self.enterprise.find_enterprise(uscc=session["uscc"])  # type: ignore[attr-defined]
        return {"phone": enterprise["legal_rep_phone"]}

    @api("PUT", "/api/v1/account/contact", roles=("legal",))
    def change_contact(self, request: Request, session: dict[str, Any]) -> dict[str, Any]:
        """修改资料 → 联系电话: ``{"phone": "…"}`` (a mobile or a landline, as at registration)
        becomes the legal representative's contact phone, which the agency window shows
        (``EnterpriseContactChanged``). 400 VALIDATION_FAILED."""
        body = load(request, CONTACT)
        enterprise = self.enterprise.change_contact(uscc=session["uscc"], request=body)  # type: ignore[attr-defined]
        return {"phone": enterprise["legal_rep_phone"]}

    @api("GET", "/api/v1/me", roles=ROLES)
    def me(self, request: Request, session: dict[str, Any]) -> dict[str, Any]:
        """Who this session is: ``{account, role, uscc, agency, id_number (masked), name}``."""
        return {
            "account": session["login_name"],
            "role": session["role"],
            "uscc": session.get("uscc"),
            "agency": session.get("agency"),
            "id_number": session.get("id_number"),
            "name": session.get("name"),
        }

    @api("GET", "/healthz")
    def healthz(self, request: Request) -> tuple[int, dict[str, Any]]:
        """Each service pinged over RPC at once: 200 ``{"status": "ok", "services": {…}}``, or 503."""
        clients = {
            "enterprise": self.enterprise_health,
            "identity": self.identity_health,
            "authorization": self.authorization_health,
            "business": self.business_health,
        }
        pool = eventlet.GreenPool(len(SERVICES))
        answers = dict(zip(SERVICES, pool.imap(lambda name: _ping(clients[name]), SERVICES), strict=False))
        healthy = all(state == "ok" for state in answers.values())
        return (200 if healthy else 503), {"status": "ok" if healthy else "unavailable", "services": answers}

    @api("GET", "/api/v1/asyncapi.json")
    def asyncapi(self, request: Request) -> Response:
        """The event contract (AsyncAPI 2.6): what the agency system receives."""
        return _document(build_asyncapi)

    @api("GET", "/api/v1/openapi.json")
    def openapi(self, request: Request) -> Response:
        """The OpenAPI 3 document of this API."""
        return _document(build_spec)


def _document(build: Callable[[], dict[str, Any]]) -> Response:
    return Response(_serialised(build), content_type=JSON)


@functools.cache
def _serialised(build: Callable[[], dict[str, Any]]) -> bytes:
    """A document that never changes while the process runs, built and serialised at its
    first request."""
    return json.dumps(build(), ensure_ascii=False).encode()


def _ping(client: Any) -> str:
    try:
        return "ok" if client.ping() == "ok" else "unavailable"
    except (CatalogueError, RemoteError):  # no answer in time, or its database or Redis is down
        return "unavailable"
