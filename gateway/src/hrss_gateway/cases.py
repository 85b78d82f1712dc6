"""办件 (manual 4): submitting and following cases in the user center, and the agency's queue
and decisions, over the business service. The applicant, their enterprise and the agency come
from the session, never from the request: the business service decides what the session may
see and do, and answers CASE_NOT_FOUND for a case it may not see."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request, Response

from hrss_contracts.cases import (
    CaseQuerySchema,
    CaseRequestSchema,
    CreditCodeSchema,
    DecisionSchema,
    ResubmissionSchema,
    WithdrawalSchema,
)
from hrss_contracts.errors import CatalogueError
from hrss_gateway.blobs import BlobNotFound
from hrss_gateway.http import api
from hrss_gateway.requests import json_body, load
from hrss_gateway.window import attachment_response
from hrss_kit.rpc_client import ServiceRpc

CASE, RESUBMISSION, WITHDRAWAL = CaseRequestSchema(), ResubmissionSchema(), WithdrawalSchema()
DECISION, QUERY, CREDIT_CODE = DecisionSchema(), CaseQuerySchema(), CreditCodeSchema()
APPLICANTS, EVERYONE, AGENCY = ("legal", "clerk"), ("legal", "clerk", "agency"), ("agency",)
MAX_CASE_NO, MAX_ATTACHMENT_ID, MAX_UNIT_NO = 40, 80, 40


def viewer(session: dict[str, Any]) -> dict[str, Any]:
    """What the business service needs of the session to decide what it may see and do."""
    return {
        "account_id": session["account_id"],
        "login_name": session.get("login_name"),
        "role": session["role"],
        "uscc": session.get("uscc"),
        "agency": session.get("agency"),
        "name": session.get("name"),
    }


def case_query(request: Request) -> dict[str, Any]:
    """``?status=&item_code=&page=&page_size=`` checked here (400 before any call); empty ones
    count as absent."""
    wanted = {k: request.args[k] for k in ("status", "item_code", "page", "page_size") if request.args.get(k)}
    return dict(QUERY.dump(QUERY.load(wanted)))


def _case_no(case_no: str) -> str:
    if len(case_no) > MAX_CASE_NO:
        raise CatalogueError("CASE_NOT_FOUND")
    return case_no.upper()


class CaseRoutes:
    """Mixed into ``GatewayService``; ``self.business`` (``BusinessRoutes``), ``self.attachments``
    (``WindowRoutes``) and ``self.identity`` come from there."""

    # fail_fast: while enterprise does not answer its pings, 信用代码维护 is 503 at once.
    enterprise = ServiceRpc("enterprise", timeout=5, fail_fast=True)

    @api("POST", "/api/v1/cases", roles=APPLICANTS)
    def submit_case(self, request: Request, session: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """提交办理: ``{"item_code", "relation_id", "form": {...}, "attachments": {"<material
        code>": "<attachment id>"}}`` → 201 ``{"case_no": "YW20261128000001", "status":
        "submitted", ...}``. 400 VALIDATION_FAILED names every wrong field (``form.<field>``)
        and missing material (``attachments.<code>``); 403 RELATION_NOT_GRANTED; 422
        ITEM_NOT_ONLINE, ITEM_NOT_APPLICABLE, ATTACHMENT_NOT_FOUND; 404 BUSINESS_ITEM_NOT_FOUND."""
        body = load(request, CASE)
        return 201, self.business.submit_case(request=body, viewer=viewer(session))  # type: ignore[attr-defined]

    @api("GET", "/api/v1/cases", roles=APPLICANTS)
    def list_cases(self, request: Request, session: dict[str, Any]) -> dict[str, Any]:
        """用户中心: the enterprise's cases (a legal representative) or those of the relations
        granted (a clerk), newest first → ``{"items": [...], "page", "page_size", "total"}``."""
        return self.business.cases(viewer=viewer(session), query=case_query(request))  # type: ignore[attr-defined,no-any-return]

    @api("GET", "/api/v1/cases/<case_no>", roles=EVERYONE)
    def show_case(self, request: Request, session: dict[str, Any], case_no: str) -> dict[str, Any]:
        """One case with its ``form``, ``materials`` and ``history`` (every step: action,
        status, actor, comment, time). 404 CASE_NOT_FOUND for a case the session may not see."""
        return self.business.case(case_no=_case_no(case_no), viewer=viewer(session))  # type: ignore[attr-defined,no-any-return]

    @api("GET", "/api/v1/cases/<case_no>/materials/<attachment_id>", roles=EVERYONE)
    def case_material(self, request: Request, session: dict[str, Any], case_no: str, attachment_id: str) -> Response:
        """A material's bytes, for whoever may see the case (its enterprise's side, the staff of
        its agency)."""
        if len(attachment_id) > MAX_ATTACHMENT_ID:
            raise CatalogueError("CASE_NOT_FOUND")
        found = self.business.case_material(  # type: ignore[attr-defined]
            case_no=_case_no(case_no), attachment_id=attachment_id, viewer=viewer(session)
        )
        try:
            chunks = self.attachments.open(found["attachment_id"])  # type: ignore[attr-defined]
        except BlobNotFound:
            raise CatalogueError("NOT_FOUND") from None
        return attachment_response(chunks, found)

    @api("POST", "/api/v1/cases/<case_no>/withdrawal", roles=APPLICANTS)
    def withdraw_case(self, request: Request, session: dict[str, Any], case_no: str) -> dict[str, Any]:
        """撤回, ``{"comment": "…"}`` or no body, while no decision stands → the case; 409
        CASE_STATUS_CONFLICT with ``current_status`` otherwise."""
        sent = request.content_length or "chunked" in request.headers.get("Transfer-Encoding", "").lower()
        body = dict(WITHDRAWAL.load(json_body(request))) if sent else {}
        return self.business.withdraw_case(  # type: ignore[attr-defined,no-any-return]
            case_no=_case_no(case_no), request=body, viewer=viewer(session)
        )

    @api("POST", "/api/v1/cases/<case_no>/resubmission", roles=APPLICANTS)
    def resubmit_case(self, request: Request, session: dict[str, Any], case_no: str) -> dict[str, Any]:
        """补正后重新提交: ``{"form", "attachments"}``, whole, while a correction is asked for →
        the case (status resubmitted); the same checks as 提交办理."""
        body = load(request, RESUBMISSION)
        return self.business.resubmit_case(  # type: ignore[attr-defined,no-any-return]
            case_no=_case_no(case_no), request=body, viewer=viewer(session)
        )

    @api("GET", "/api/v1/agency/cases", roles=AGENCY)
    def agency_cases(self, request: Request, session: dict[str, Any]) -> dict[str, Any]:
        """The queue of the staff member's own agency, ``?status=submitted`` and so on, newest
        first."""
        return self.business.cases(viewer=viewer(session), query=case_query(request))  # type: ignore[attr-defined,no-any-return]

    @api("POST", "/api/v1/agency/cases/<case_no>/decisions", roles=AGENCY)
    def decide_case(self, request: Request, session: dict[str, Any], case_no: str) -> dict[str, Any]:
        """``{"action": "accept"|"not_accept"|"request_correction"|"approve"|"deny", "comment"}``
        (a comment is required to refuse or ask for a correction) → the case. 409
        CASE_STATUS_CONFLICT with ``current_status`` when the case's status does not allow it
        (another member of staff decided first, say)."""
        body = load(request, DECISION)
        return self.business.decide_case(  # type: ignore[attr-defined,no-any-return]
            case_no=_case_no(case_no), decision=body, viewer=viewer(session)
        )

    @api("POST", "/api/v1/agency/units/<unit_no>/credit-code", roles=AGENCY)
    def align_credit_code(self, request: Request, session: dict[str, Any], unit_no: str) -> dict[str, Any]:
        """信用代码维护 (manual 4 注5): after 单位关键信息维护 on one unit number, the enterprise's
        other units still carry the old credit code; ``{"uscc": "<the enterprise's code now>"}``
        aligns one → ``{"uscc", "units": [{"unit_no", "credit_code"}]}``. 422 CREDIT_CODE_MISMATCH
        for any other code; 404 UNIT_NOT_FOUND for a unit the staff member's agency does not
        insure. Aligned already: the same answer, nothing changes."""
        body = load(request, CREDIT_CODE)
        if len(unit_no) > MAX_UNIT_NO:
            raise CatalogueError("UNIT_NOT_FOUND")
        enterprise = self.enterprise.align_credit_code(
            unit_no=unit_no, request=body, agency=session.get("agency") or ""
        )
        units = [{"unit_no": u["unit_no"], "credit_code": u["credit_code"]} for u in enterprise["units"]]
        return {"uscc": enterprise["uscc"], "units": units}
