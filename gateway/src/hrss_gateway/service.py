"""The gateway's HTTP endpoints (API.md): each loads, calls one service, dumps."""

from __future__ import annotations

import functools
import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any

import eventlet
from werkzeug.wrappers import Request, Response

from hrss_contracts.errors import CatalogueError
from hrss_contracts.event_data import ROLES
from hrss_contracts.login import LoginRequestSchema
from hrss_contracts.qr_login import MAX_WAIT_SECONDS
from hrss_contracts.registration import ContactRequestSchema, RegistrationRequestSchema
from hrss_gateway.asyncapi import build_asyncapi
from hrss_gateway.browser_sessions import SESSION_COOKIE, deliver, forget, session_token, wants_cookie
from hrss_gateway.business import BusinessRoutes
from hrss_gateway.cases import CaseRoutes
from hrss_gateway.clerks import ClerkRoutes
from hrss_gateway.http import api
from hrss_gateway.limit_providers import LoginAttempts, QrSessionOpenings, RegistrationAttempts
from hrss_gateway.openapi import build_spec
from hrss_gateway.qr_watch import QrWatch
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
ENDED_QR_STATUSES = ("authenticated", "cancelled", "expired", "rejected")
# A service that does not answer a ping within this is down, whatever its calls' timeouts.
HEALTH_TIMEOUT = 2.0


class GatewayService(ClerkRoutes, WindowRoutes, BusinessRoutes, CaseRoutes, WebRoutes):
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
    qr_openings = QrSessionOpenings()
    qr_watch = QrWatch()
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

    @api("POST", "/api/v1/auth/qr-sessions")
    def open_qr_session(self, request: Request) -> tuple[int, dict[str, Any]]:
        """扫码登录 (manual 2.1.2): ``{"role": "legal"|"clerk"}`` → 201 ``{qr_id, qr_content, role,
        title (法人扫码登录 / 办事员扫码登录), expires_in (120), interval (2), binding}``. Show
        ``qr_content`` as the QR code; keep ``binding`` secret and send it as ``X-QR-Binding``.
        A role switch under the code opens a new session. 429 past 60 a minute per address."""
        body = json_body(request)
        self.qr_openings(request.environ)
        return 201, self.identity.open_qr_session(request=body)

    @api("GET", "/api/v1/auth/qr-sessions/<qr_id>")
    def qr_status(self, request: Request, qr_id: str) -> dict[str, Any]:
        """The session's ``{status, expires_in, enterprises?, token?, error?}`` for the browser
        holding its binding (``X-QR-Binding``; without it 404). ``wait=N`` (N ≤ 30) holds the
        request until the status changes, at most N seconds (two waits per session and 50 per
        address at once; more are 429 SLOW_DOWN). Without ``wait``, polling faster than the
        session's ``interval`` gets 429 SLOW_DOWN. The token is given once."""
        binding = request.headers.get("X-QR-Binding", "")
        wait = _wait_seconds(request.args.get("wait"))
        if not wait:
            return self._deliver(request, self.identity.qr_status(qr_id=qr_id, binding=binding, waiting=False))
        deadline = time.monotonic() + wait
        with self.qr_watch(qr_id, request.environ) as changed:
            view = self.identity.qr_status(qr_id=qr_id, binding=binding, waiting=True)
            first = view["status"]
            while view["status"] == first and first not in ENDED_QR_STATUSES:
                # Woken by a change, or at the session's expiry (to report it), or at the deadline.
                remaining = min(deadline - time.monotonic(), view["expires_in"] + 0.5)
                if remaining <= 0:
                    break
                changed.wait(remaining)
                changed.clear()
                view = self.identity.qr_status(qr_id=qr_id, binding=binding, waiting=True)
        return self._deliver(request, view)

    @api("POST", "/api/v1/auth/qr-sessions/<qr_id>/selection")
    def select_enterprise(self, request: Request, qr_id: str) -> dict[str, Any]:
        """选择单位: ``{"uscc": …}`` (one of the session's ``enterprises``) with ``X-QR-Binding``
        → ``{"token", "expires_in"}``."""
        binding = request.headers.get("X-QR-Binding", "")
        chosen = self.identity.select_enterprise(qr_id=qr_id, binding=binding, selection=json_body(request))
        return self._deliver(request, chosen)

    @api("POST", "/api/v1/essc/assertions", per_address=False)
    def essc_assertion(self, request: Request) -> dict[str, Any]:
        """The e-SSC platform reports a scan, confirm or cancel: ``{"assertion": "<compact JWS>"}``
        → ``{"status": …}`` of the QR session. Signed with Ed25519 (EdDSA) by the e-SSC's key;
        401 INVALID_ASSERTION, 409 ASSERTION_REPLAYED / QR_SESSION_CLOSED / QR_ALREADY_SCANNED.
        Limited per QR session and per person, never per address (one e-SSC server speaks for
        every citizen)."""
        return self.identity.essc_assertion(body=json_body(request))

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


def _wait_seconds(raw: str | None) -> int:
    """``wait=N``: 0 to ``MAX_WAIT_SECONDS``; anything else is 400."""
    if raw is None or raw == "":
        return 0
    if not re.fullmatch(r"[0-9]{1,2}", raw) or int(raw) > MAX_WAIT_SECONDS:
        raise CatalogueError("VALIDATION_FAILED", fields={"wait": [f"应为0至{MAX_WAIT_SECONDS}的整数"]})
    return int(raw)


def _ping(client: Any) -> str:
    try:
        return "ok" if client.ping() == "ok" else "unavailable"
    except (CatalogueError, RemoteError):  # no answer in time, or its database or Redis is down
        return "unavailable"
