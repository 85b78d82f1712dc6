"""The business service's nameko entrypoints: load, build the command, call the service layer
through ``bootstrap``, dump. The gateway has checked the caller's session and passes it as
``viewer`` (account, role, enterprise or agency), never from the request body."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy.orm import Session

from hrss_business.adapters.messages import case_summary, case_view, material_data, page_view
from hrss_business.adapters.orm import metadata
from hrss_business.bootstrap import Business, CatalogueFile, bootstrap
from hrss_business.domain import commands
from hrss_business.domain.model import BusinessItem
from hrss_business.entrypoints.errors import catalogue_errors
from hrss_business.service_layer import catalogue
from hrss_contracts.cases import (
    CaseQuerySchema,
    CaseRequestSchema,
    DecisionSchema,
    ResubmissionSchema,
    WithdrawalSchema,
)
from hrss_contracts.grants import GRANT_EVENTS, REMOVAL_EVENT, grants_after
from hrss_contracts.grants import SOURCE as GRANTS_SOURCE
from hrss_kit.database import Database
from hrss_kit.inbox import reliable_handler
from hrss_kit.logs import CallIdLogging
from hrss_kit.ops import OperationsMixin
from hrss_kit.rpc import rpc
from hrss_kit.rpc_client import ServiceRpc

CASE, RESUBMISSION, WITHDRAWAL = CaseRequestSchema(), ResubmissionSchema(), WithdrawalSchema()
DECISION, QUERY = DecisionSchema(), CaseQuerySchema()
# Key information (code, name) follows EnterpriseKeyInfoChanged in sequence order; a
# registration is always its enterprise's first event and is applied whenever it comes (its
# relations are never "older" than a key-information change that overtook it).
KEY_INFO = "enterprise_key_info"
GRANTS = "clerk_grants"  # the read model of grants, ordered per clerk


def viewer_from(viewer: dict[str, Any]) -> commands.Viewer:
    return commands.Viewer(
        account_id=str(viewer["account_id"]),
        login_name=str(viewer.get("login_name") or viewer["account_id"])[:64],
        role=str(viewer["role"]),
        uscc=str(viewer["uscc"]).upper() if viewer.get("uscc") else None,
        agency=str(viewer["agency"]) if viewer.get("agency") else None,
        name=str(viewer["name"])[:64] if viewer.get("name") else None,
    )


class BusinessService(OperationsMixin):
    name = "business"

    db = Database(metadata)
    catalogue = CatalogueFile()
    # Well inside the gateway's 5 s for the whole submission, so a slow registry fails the
    # submission before anything is written rather than after its caller gave up.
    authorization = ServiceRpc("authorization", timeout=2)
    # Approving 单位关键信息维护 waits for the enterprise's change, inside the gateway's 5 s.
    enterprise = ServiceRpc("enterprise", timeout=3)
    call_ids = CallIdLogging()

    @property
    def business(self) -> Business:
        return bootstrap(self.db, self.catalogue, self.authorization, self.enterprise)

    @rpc
    @catalogue_errors
    def business_items(self, category: str | None = None, q: str | None = None) -> dict[str, Any]:
        """办事中心: the items, by category and words: ``{items: [{code, name, category, online,
        insurance_types}]}``."""
        found = catalogue.find_items(self.catalogue.catalogue, _text(category), _text(q))
        return {"items": [summary(item) for item in found]}

    @rpc
    @catalogue_errors
    def business_item(self, code: str) -> dict[str, Any]:
        """One item with its guide (办理指南), materials and form (JSON Schema)."""
        item = catalogue.item(self.catalogue.catalogue, str(code))
        return {
            **summary(item),
            "guide": asdict(item.guide),
            "materials": [{**asdict(m), "accepted_types": list(m.accepted_types)} for m in item.materials],
            "form": item.form,
        }

    @rpc(idempotent=True)
    @catalogue_errors
    def submit_case(self, request: dict[str, Any], viewer: dict[str, Any]) -> dict[str, Any]:
        """提交办理 → the case as listed (``case_no``, ``status`` submitted, …)."""
        loaded = CASE.load(request)
        command = commands.SubmitCase(
            viewer_from(viewer), loaded["item_code"], loaded["relation_id"], loaded["form"], loaded["attachments"]
        )
        return case_summary(self.business.submit(command))

    @rpc
    @catalogue_errors
    def cases(self, viewer: dict[str, Any], query: dict[str, Any]) -> dict[str, Any]:
        """用户中心 (legal representative, clerk) or the agency's queue (agency staff): a page of
        cases, newest first."""
        loaded = QUERY.load(query)
        items, total = self.business.page(commands.ListCases(viewer_from(viewer), **loaded))
        return page_view(items, total, loaded["page"], loaded["page_size"])

    @rpc
    @catalogue_errors
    def case(self, case_no: str, viewer: dict[str, Any]) -> dict[str, Any]:
        """One case with its form, materials and history."""
        return case_view(self.business.show(str(case_no)[:40], viewer_from(viewer)))

    @rpc
    @catalogue_errors
    def case_material(self, case_no: str, attachment_id: str, viewer: dict[str, Any]) -> dict[str, Any]:
        """A material of a case the viewer may see: its attachment's metadata (the gateway
        streams the bytes)."""
        found = self.business.material(str(case_no)[:40], str(attachment_id)[:80], viewer_from(viewer))
        return material_data(found)

    @rpc(idempotent=True)
    @catalogue_errors
    def withdraw_case(self, case_no: str, request: dict[str, Any], viewer: dict[str, Any]) -> dict[str, Any]:
        """撤回 → the case as listed."""
        comment = WITHDRAWAL.load(request)["comment"]
        return case_summary(self.business.withdraw(commands.Withdraw(viewer_from(viewer), str(case_no)[:40], comment)))

    @rpc(idempotent=True)
    @catalogue_errors
    def resubmit_case(self, case_no: str, request: dict[str, Any], viewer: dict[str, Any]) -> dict[str, Any]:
        """补正后重新提交 → the case as listed."""
        loaded = RESUBMISSION.load(request)
        command = commands.Resubmit(viewer_from(viewer), str(case_no)[:40], loaded["form"], loaded["attachments"])
        return case_summary(self.business.resubmit(command))

    @rpc(idempotent=True)
    @catalogue_errors
    def decide_case(self, case_no: str, decision: dict[str, Any], viewer: dict[str, Any]) -> dict[str, Any]:
        """A decision of agency staff on a case of their agency → the case as listed."""
        loaded = DECISION.load(decision)
        command = commands.Decide(viewer_from(viewer), str(case_no)[:40], loaded["action"], loaded["comment"])
        return case_summary(self.business.decide(command))

    @reliable_handler("enterprise", "EnterpriseRegistered")
    def remember_enterprise(self, session: Session, envelope: dict[str, Any]) -> None:
        """A registered enterprise and its relations: what cases are submitted for."""
        data = envelope["data"]
        relations = tuple(
            (r["relation_id"], r["unit_no"], r["insurance"], r["agency"])
            for unit in data["units"]
            for r in unit["relations"]
        )
        command = commands.RememberEnterprise(envelope["aggregate_id"], data["uscc"], data["name"], relations)
        self.business.remember_enterprise(command, session)

    @reliable_handler("enterprise", "EnterpriseKeyInfoChanged", read_model=KEY_INFO)
    def follow_key_info_change(self, session: Session, envelope: dict[str, Any]) -> None:
        """单位关键信息维护: the enterprise's code and name now."""
        data = envelope["data"]
        command = commands.FollowKeyInfoChange(envelope["aggregate_id"], data["uscc"], data["name"])
        self.business.follow_key_info(command, session)

    @reliable_handler(GRANTS_SOURCE, "ClerkAdded", read_model=GRANTS)
    def follow_clerk_added(self, session: Session, envelope: dict[str, Any]) -> None:
        self._follow_grants(session, envelope)

    @reliable_handler(GRANTS_SOURCE, "ClerkUpdated", read_model=GRANTS)
    def follow_clerk_updated(self, session: Session, envelope: dict[str, Any]) -> None:
        self._follow_grants(session, envelope)

    @reliable_handler(GRANTS_SOURCE, "ClerkAuthorized", read_model=GRANTS)
    def follow_clerk_authorized(self, session: Session, envelope: dict[str, Any]) -> None:
        """单位授权: the clerk may submit for these relations from now on."""
        self._follow_grants(session, envelope)

    @reliable_handler(GRANTS_SOURCE, "ClerkAuthorizationRevoked", read_model=GRANTS)
    def follow_clerk_authorization_revoked(self, session: Session, envelope: dict[str, Any]) -> None:
        """A revocation: no more submissions for these relations, and their cases are hidden
        from the clerk."""
        self._follow_grants(session, envelope)

    @reliable_handler(GRANTS_SOURCE, REMOVAL_EVENT, read_model=GRANTS)
    def follow_clerk_removed(self, session: Session, envelope: dict[str, Any]) -> None:
        self._follow_grants(session, envelope)

    def _follow_grants(self, session: Session, envelope: dict[str, Any]) -> None:
        held = grants_after(envelope)
        command = commands.FollowGrants(
            envelope["data"]["clerk_id"], held.relation_ids if held is not None else frozenset()
        )
        self.business.follow_grants(command, session)


assert len(GRANT_EVENTS) == 5  # one handler above for each


def summary(item: BusinessItem) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "category": item.category,
        "online": item.online,
        "insurance_types": list(item.insurance_types),
    }


def _text(value: Any) -> str | None:
    return str(value)[:100] if value else None
