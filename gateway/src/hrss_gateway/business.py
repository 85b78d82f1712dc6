"""办事中心: the catalogue of business items and their handling guides, over the business
service. Open to anyone, as a portal's guides are: nothing here is personal."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request

from hrss_contracts.errors import CatalogueError
from hrss_gateway.http import api
from hrss_kit.rpc_client import ServiceRpc

MAX_QUERY = 100


class BusinessRoutes:
    """Mixed into ``GatewayService``."""

    # fail_fast: while business does not answer its pings, its routes are 503 at once.
    business = ServiceRpc("business", timeout=5, fail_fast=True)

    @api("GET", "/api/v1/business-items")
    def business_items(self, request: Request) -> dict[str, Any]:
        """The items, ``?category=单位登记&q=注销`` to narrow them → ``{"items": [{"code", "name",
        "category", "online", "insurance_types"}]}``; ``online`` false: handled at the agency's
        window only (listed with its guide, not submitted here)."""
        category, words = request.args.get("category", "").strip(), request.args.get("q", "").strip()
        too_long = [name for name in ("category", "q") if len(request.args.get(name, "")) > MAX_QUERY]
        if too_long:
            raise CatalogueError("VALIDATION_FAILED", fields={name: [f"不超过{MAX_QUERY}个字符"] for name in too_long})
        return self.business.business_items(category=category or None, q=words or None)  # type: ignore[no-any-return]

    @api("GET", "/api/v1/business-items/<code>")
    def business_item(self, request: Request, code: str) -> dict[str, Any]:
        """One item: the summary plus ``guide`` (implementing_agency, legal_basis, conditions,
        process, contact, hours, time_limit), ``materials`` (code, name, required,
        accepted_types) and ``form`` (JSON Schema, Draft 2020-12). 404 BUSINESS_ITEM_NOT_FOUND."""
        if len(code) > MAX_QUERY:
            raise CatalogueError("BUSINESS_ITEM_NOT_FOUND")
        return self.business.business_item(code=code)  # type: ignore[no-any-return]
