"""扫码登录 (manual 2.1.2, 3.1.1, 4) over the identity service: the browser opens a QR session,
follows it (``wait=N`` through ``qr_watch``) and picks an enterprise; the e-SSC platform reports
scans, confirms and cancels."""

from __future__ import annotations

import re
import time
from typing import Any

from werkzeug.wrappers import Request

from hrss_contracts.errors import CatalogueError
from hrss_contracts.qr_login import MAX_WAIT_SECONDS
from hrss_gateway.http import api
from hrss_gateway.limit_providers import QrSessionOpenings
from hrss_gateway.qr_watch import QrWatch
from hrss_gateway.requests import json_body

ENDED_QR_STATUSES = ("authenticated", "cancelled", "expired", "rejected")


class QrLoginRoutes:
    """Mixed into ``GatewayService``; ``self.identity`` and ``self._deliver`` (a token's answer,
    with the page's session cookie) come from there."""

    qr_openings = QrSessionOpenings()
    qr_watch = QrWatch()

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


def _wait_seconds(raw: str | None) -> int:
    """``wait=N``: 0 to ``MAX_WAIT_SECONDS``; anything else is 400."""
    if raw is None or raw == "":
        return 0
    if not re.fullmatch(r"[0-9]{1,2}", raw) or int(raw) > MAX_WAIT_SECONDS:
        raise CatalogueError("VALIDATION_FAILED", fields={"wait": [f"应为0至{MAX_WAIT_SECONDS}的整数"]})
    return int(raw)
