"""The legal representative's 授权登录 (manual 3.1.1) and the agency window's search, over the
authorization service. A clerk's session is refused on every route here (403): the manual
gives a clerk's user center no authorization module. The enterprise and the acting account
come from the session, never from the request."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request

from hrss_contracts.authorization import AuditQuerySchema, ClerkRequestSchema, GrantsRequestSchema
from hrss_contracts.errors import CatalogueError
from hrss_contracts.grants import clerk_id_of
from hrss_gateway.http import api
from hrss_gateway.requests import load
from hrss_kit.rpc_client import ServiceRpc

CLERK, GRANTS, AUDIT_QUERY = ClerkRequestSchema(), GrantsRequestSchema(), AuditQuerySchema()
LEGAL, AGENCY, APPLICANTS = ("legal",), ("agency",), ("legal", "clerk")


def actor(session: dict[str, Any]) -> dict[str, Any]:
    return {"account": session["login_name"], "role": session["role"], "agency": session.get("agency")}


def audit_query(request: Request) -> dict[str, Any]:
    """``?clerk_id=&page=&page_size=`` checked here, so a bad one is 400 before any call; an
    empty one counts as absent."""
    wanted = {k: request.args[k] for k in ("clerk_id", "page", "page_size") if request.args.get(k)}
    return dict(AUDIT_QUERY.dump(AUDIT_QUERY.load(wanted)))


class ClerkRoutes:
    """Mixed into ``GatewayService``; ``self.identity`` (used by ``api``) comes from there."""

    # fail_fast: while authorization does not answer its pings, its routes are 503 at once.
    authorization = ServiceRpc("authorization", timeout=10, fail_fast=True)

    @api("GET", "/api/v1/insurance-relations", roles=APPLICANTS)
    def insurance_relations(self, request: Request, session: dict[str, Any]) -> dict[str, Any]:
        """The enterprise's 参保关系: ``{"items": [{"relation_id", "unit_no", "insurance": "110",
        "agency": "…"}]}``; a clerk's, those granted to them (what they may submit cases for)."""
        clerk_id = clerk_id_of(session["account_id"])
        return self.authorization.relations(uscc=session["uscc"], clerk_id=clerk_id)  # type: ignore[no-any-return]

    @api("GET", "/api/v1/clerks", roles=LEGAL)
    def list_clerks(self, request: Request, session: dict[str, Any]) -> dict[str, Any]:
        """The enterprise's clerks: ``{"items": [{"clerk_id", "id_number": "11010519491********",
        "name", "phone", "relation_ids": [...]}]}``."""
        return self.authorization.clerks(uscc=session["uscc"])  # type: ignore[no-any-return]

    @api("POST", "/api/v1/clerks", roles=LEGAL)
    def add_clerk(self, request: Request, session: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """添加: ``{"id_number": "11010519491231002X", "name": "李四", "phone": "13900139000"}`` →
        201 the clerk as listed; 409 CLERK_EXISTS for an ID number the enterprise has already."""
        clerk = load(request, CLERK)
        return 201, self.authorization.add_clerk(uscc=session["uscc"], clerk=clerk)

    @api("PUT", "/api/v1/clerks/<clerk_id>", roles=LEGAL)
    def update_clerk(self, request: Request, session: dict[str, Any], clerk_id: str) -> dict[str, Any]:
        """修改: the same body as 添加; the grants stay. 404 CLERK_NOT_FOUND."""
        clerk = load(request, CLERK)
        return self.authorization.update_clerk(  # type: ignore[no-any-return]
            uscc=session["uscc"], clerk_id=clerk_id, clerk=clerk
        )

    @api("DELETE", "/api/v1/clerks/<clerk_id>", roles=LEGAL)
    def remove_clerk(self, request: Request, session: dict[str, Any], clerk_id: str) -> dict[str, Any]:
        """删除: the clerk's grants are revoked and their sessions end → ``{"clerk_id", "status":
        "removed"}``."""
        return self.authorization.remove_clerk(  # type: ignore[no-any-return]
            uscc=session["uscc"], clerk_id=clerk_id, actor=actor(session)
        )

    @api("PUT", "/api/v1/clerks/<clerk_id>/grants", roles=LEGAL)
    def set_grants(self, request: Request, session: dict[str, Any], clerk_id: str) -> dict[str, Any]:
        """单位授权: ``{"relation_ids": ["…", "…"]}``, what the clerk holds from now on (granted and
        revoked as needed, in one transaction) → the clerk; 422 RELATION_NOT_FOUND for a relation
        that is not the enterprise's."""
        grants = load(request, GRANTS)
        return self.authorization.set_grants(  # type: ignore[no-any-return]
            uscc=session["uscc"], clerk_id=clerk_id, grants=grants, actor=actor(session)
        )

    @api("GET", "/api/v1/authorization-audit", roles=LEGAL)
    def audit(self, request: Request, session: dict[str, Any]) -> dict[str, Any]:
        """The enterprise's grant history, newest first: ``?clerk_id=&page=1&page_size=20`` →
        ``{"items": [{clerk_id, clerk_id_number (masked), clerk_name, action: granted|revoked,
        relation, channel: legal_rep|agency_window, actor, attachments, at}], page, page_size, total}``."""
        return self.authorization.audit(uscc=session["uscc"], query=audit_query(request))  # type: ignore[no-any-return]

    @api("GET", "/api/v1/agency/enterprises", roles=AGENCY)
    def find_enterprise(self, request: Request, session: dict[str, Any]) -> dict[str, Any]:
        """The window's search, ``?uscc=…`` or ``?unit_no=…`` → ``{"items": [{uscc, name, address,
        legal_rep_name, legal_rep_phone, units: [{unit_no, relations}]}]}`` (empty when none)."""
        uscc, unit_no = request.args.get("uscc", "").strip().upper(), request.args.get("unit_no", "").strip()
        if bool(uscc) == bool(unit_no) or len(uscc) > 18 or len(unit_no) > 40:
            raise CatalogueError("VALIDATION_FAILED", fields={"uscc": ["请输入统一社会信用代码或单位编号之一"]})
        try:
            found = self.authorization.find_enterprise(uscc=uscc or None, unit_no=unit_no or None)
        except CatalogueError as error:
            if error.code != "ENTERPRISE_NOT_FOUND":
                raise
            return {"items": []}
        return {"items": [found]}

    @api("GET", "/api/v1/agency/enterprises/<uscc>/authorization-audit", roles=AGENCY)
    def agency_audit(self, request: Request, session: dict[str, Any], uscc: str) -> dict[str, Any]:
        """Any enterprise's grant history, as ``/api/v1/authorization-audit``; 404 ENTERPRISE_NOT_FOUND."""
        return self.authorization.audit(uscc=uscc.upper(), query=audit_query(request))  # type: ignore[no-any-return]
