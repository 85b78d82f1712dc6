"""The gateway's HTTP endpoints (API.md): each loads, calls one service, dumps."""

from __future__ import annotations

from typing import Any

import eventlet
from werkzeug.wrappers import Request

from hrss_contracts.errors import CatalogueError
from hrss_contracts.events import ROLES
from hrss_contracts.login import LoginRequestSchema
from hrss_contracts.registration import RegistrationRequestSchema
from hrss_gateway.asyncapi import build_asyncapi
from hrss_gateway.http import api, bearer_token
from hrss_gateway.limits import LoginAttempts, RegistrationAttempts
from hrss_gateway.openapi import build_spec
from hrss_gateway.requests import load
from hrss_kit.logs import CallIdLogging
from hrss_kit.rpc import RemoteError
from hrss_kit.rpc_client import ServiceRpc

SERVICES = ("enterprise", "identity")
REGISTRATION = RegistrationRequestSchema()
LOGIN = LoginRequestSchema()
# A service that does not answer a ping within this is down, whatever its calls' timeouts.
HEALTH_TIMEOUT = 2.0


class GatewayService:
    name = "gateway"

    # fail_fast: while identity does not answer its pings, a registration is 503 at once.
    identity = ServiceRpc("identity", timeout=15, fail_fast=True)
    # Health checks have clients of their own: a hung service answers /healthz 503 in 2 s.
    enterprise_health = ServiceRpc("enterprise", timeout=HEALTH_TIMEOUT)
    identity_health = ServiceRpc("identity", timeout=HEALTH_TIMEOUT)
    attempts = RegistrationAttempts()
    login_attempts = LoginAttempts()
    call_ids = CallIdLogging()
    _spec: dict[str, Any] | None = None
    _asyncapi: dict[str, Any] | None = None

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
        return self.identity.log_in(credentials=credentials)

    @api("POST", "/api/v1/auth/logout", roles=ROLES)
    def log_out(self, request: Request, session: dict[str, Any]) -> dict[str, Any]:
        """End this session (its token stops working at once): ``{"status": "logged_out"}``."""
        self.identity.log_out(token=bearer_token(request))
        return {"status": "logged_out"}

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
        clients = {"enterprise": self.enterprise_health, "identity": self.identity_health}
        pool = eventlet.GreenPool(len(SERVICES))
        answers = dict(zip(SERVICES, pool.imap(lambda name: _ping(clients[name]), SERVICES), strict=False))
        healthy = all(state == "ok" for state in answers.values())
        return (200 if healthy else 503), {"status": "ok" if healthy else "unavailable", "services": answers}

    @api("GET", "/api/v1/asyncapi.json")
    def asyncapi(self, request: Request) -> dict[str, Any]:
        """The event contract (AsyncAPI 2.6): what the agency system receives."""
        if GatewayService._asyncapi is None:
            GatewayService._asyncapi = build_asyncapi()
        return GatewayService._asyncapi

    @api("GET", "/api/v1/openapi.json")
    def openapi(self, request: Request) -> dict[str, Any]:
        """The OpenAPI 3 document of this API."""
        if GatewayService._spec is None:
            GatewayService._spec = build_spec()
        return GatewayService._spec


def _ping(client: Any) -> str:
    try:
        return "ok" if client.ping() == "ok" else "unavailable"
    except (CatalogueError, RemoteError):  # no answer in time, or its database or Redis is down
        return "unavailable"
