"""Sessions of the web pages: the token lives in an HttpOnly, SameSite=Strict cookie that the
pages' scripts never see, and every state-changing call made with it carries a CSRF token.

A page asks for this with ``X-HRSS-Session: cookie`` on the calls that end a login (password
login, the QR session's status once authenticated, 选择单位): the answer then sets the session
cookie instead of carrying ``token`` in its body. Beside it the gateway sets ``hrss_csrf``, a
value the page may read and must send back as ``X-CSRF-Token`` with every POST, PUT, PATCH or
DELETE authenticated by the cookie. The value is derived from the session's token (a one-way
hash), so it is checked against the session itself, not against the other cookie: a cookie
planted beside ours (a sibling subdomain, plain HTTP) does not pass. SameSite=Strict keeps the
cookie off other sites' requests in the first place, and the custom header needs a CORS
preflight the gateway never grants. API clients that send ``Authorization: Bearer`` are not
concerned: their token is no ambient credential.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from werkzeug.wrappers import Request, Response

from hrss_contracts.errors import CatalogueError
from hrss_gateway.wsgi_app import JSON

SESSION_COOKIE = "hrss_session"
CSRF_COOKIE = "hrss_csrf"
CSRF_HEADER = "X-CSRF-Token"
MODE_HEADER = "X-HRSS-Session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def unless_off(value: Any) -> bool:
    """A safety that stays on unless clearly switched off (a typo keeps it on):
    ``SESSION_COOKIE_SECURE``."""
    return not (value is False or str(value).strip().lower() in ("0", "false", "no", "off"))


def wants_cookie(request: Request) -> bool:
    return request.headers.get(MODE_HEADER, "").strip().lower() == "cookie"


def bearer_token(request: Request) -> str:
    """The token of ``Authorization: Bearer <token>``, or ""."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def session_token(request: Request) -> str:
    """The request's session token: a bearer token, else the session cookie; for the cookie,
    a state-changing method must carry the CSRF token (403 CSRF_TOKEN_INVALID otherwise)."""
    token = bearer_token(request)
    if token:
        return token
    token = request.cookies.get(SESSION_COOKIE, "")
    if token and request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(csrf_for(token).encode(), sent.encode()):
            raise CatalogueError("CSRF_TOKEN_INVALID")
    return token


def csrf_for(token: str) -> str:
    """The CSRF token of a session: derived from its token, from which it cannot be undone."""
    digest = hashlib.sha256(b"hrss-csrf:" + token.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def deliver(request: Request, body: dict[str, Any], secure: bool, status: int = 200) -> Any:
    """``body`` as it is, or, for a page that asked for a cookie and a body with a ``token``,
    the body without it and the session in cookies."""
    if not wants_cookie(request) or not body.get("token"):
        return (status, body) if status != 200 else body
    shown = {key: value for key, value in body.items() if key != "token"}
    response = Response(
        json.dumps({**shown, "session": "cookie"}, ensure_ascii=False),
        status=status,
        content_type=JSON,
    )
    response.set_cookie(SESSION_COOKIE, body["token"], httponly=True, samesite="Strict", secure=secure, path="/")
    response.set_cookie(
        CSRF_COOKIE, csrf_for(body["token"]), httponly=False, samesite="Strict", secure=secure, path="/"
    )
    return response


def forget(response: Response, secure: bool) -> Response:
    """Clear both cookies (logout, or a session the gateway found ended)."""
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        response.delete_cookie(name, path="/", secure=secure, samesite="Strict", httponly=name == SESSION_COOKIE)
    return response
