"""The authorization service's nameko entrypoints: load, build the command, call the service
layer through ``bootstrap``, dump. The gateway has checked the caller's session; it passes
the enterprise (``uscc``) and the ``actor`` from it, never from the request body."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hrss_authorization.adapters.messages import (
    actor_from,
    attachment_view,
    audit_page,
    clerk_view,
    enterprise_view,
    relation_data,
)
from hrss_authorization.adapters.orm import metadata
from hrss_authorization.bootstrap import Authorization, bootstrap
from hrss_authorization.domain import commands
from hrss_authorization.domain.model import InsuranceRelation, Person
from hrss_authorization.entrypoints.errors import catalogue_errors
from hrss_contracts.authorization import (
    AuditQuerySchema,
    ClerkRequestSchema,
    GrantsRequestSchema,
    WindowAuthorizationSchema,
)
from hrss_contracts.id_documents import RESIDENT_ID, canonical_document, normalise_document_number
from hrss_kit.database import Database
from hrss_kit.inbox import reliable_handler
from hrss_kit.logs import CallIdLogging
from hrss_kit.ops import OperationsMixin
from hrss_kit.rpc import rpc
from hrss_kit.rpc_client import ServiceRpc

CLERK, GRANTS, AUDIT_QUERY = ClerkRequestSchema(), GrantsRequestSchema(), AuditQuerySchema()
WINDOW = WindowAuthorizationSchema()
MAX_ATTACHMENTS_ASKED = 100
KEY_INFO = "enterprise_key_info"  # the read model of KeyInfoChanged, ordered per enterprise
CONTACT = "enterprise_contact"  # the read model of ContactChanged, ordered per enterprise


class AuthorizationService(OperationsMixin):
    name = "authorization"

    db = Database(metadata)
    enterprise = ServiceRpc("enterprise", timeout=5)
    call_ids = CallIdLogging()

    @property
    def authorization(self) -> Authorization:
        return bootstrap(self.db, self.enterprise)

    @rpc
    @catalogue_errors
    def relations(self, uscc: str, clerk_id: str | None = None) -> dict[str, Any]:
        """The enterprise's insurance relations: ``{items: [{relation_id, unit_no, insurance, agency}]}``;
        with ``clerk_id``, those granted to that clerk."""
        return {"items": [relation_data(r) for r in self.authorization.relations(uscc, clerk_id)]}

    @rpc
    @catalogue_errors
    def clerks(self, uscc: str) -> dict[str, Any]:
        """The enterprise's clerks, ID numbers masked, each with the relations granted."""
        return {"items": [clerk_view(c) for c in self.authorization.clerks(uscc)]}

    @rpc(idempotent=True)
    @catalogue_errors
    def add_clerk(self, uscc: str, clerk: dict[str, Any]) -> dict[str, Any]:
        """添加 a clerk; CLERK_EXISTS for an ID number the enterprise has already."""
        return clerk_view(self.authorization.add_clerk(commands.AddClerk(uscc, Person(**CLERK.load(clerk)))))

    @rpc(idempotent=True)
    @catalogue_errors
    def update_clerk(self, uscc: str, clerk_id: str, clerk: dict[str, Any]) -> dict[str, Any]:
        """修改 a clerk's ID number, name and phone; the grants stay."""
        command = commands.UpdateClerk(uscc, clerk_id, Person(**CLERK.load(clerk)))
        return clerk_view(self.authorization.update_clerk(command))

    @rpc(idempotent=True)
    @catalogue_errors
    def remove_clerk(self, uscc: str, clerk_id: str, actor: dict[str, Any]) -> dict[str, Any]:
        """删除 a clerk: grants revoked, then the clerk removed (their sessions end in identity)."""
        self.authorization.remove_clerk(commands.RemoveClerk(uscc, clerk_id, actor_from(actor)))
        return {"clerk_id": clerk_id, "status": "removed"}

    @rpc(idempotent=True)
    @catalogue_errors
    def set_grants(self, uscc: str, clerk_id: str, grants: dict[str, Any], actor: dict[str, Any]) -> dict[str, Any]:
        """单位授权: the clerk holds exactly ``grants["relation_ids"]`` afterwards."""
        relation_ids = tuple(GRANTS.load(grants)["relation_ids"])
        command = commands.SetGrants(uscc, clerk_id, relation_ids, actor_from(actor))
        return clerk_view(self.authorization.set_grants(command))

    @rpc
    def may_act(self, role: str, uscc: str, relation_id: str, clerk_id: str | None = None) -> bool:
        """The grant check: may this session (its role, enterprise and, for a clerk, clerk id) act
        for the relation? Answered from the committed grants, so a revocation counts at once."""
        return self.authorization.may_act(
            commands.GrantCheck(str(role), str(uscc).upper(), str(relation_id), str(clerk_id) if clerk_id else None)
        )

    @rpc
    @catalogue_errors
    def find_enterprise(self, uscc: str | None = None, unit_no: str | None = None) -> dict[str, Any]:
        """The agency window's search, by code or by unit number; 5.3's error for an enterprise
        only the sources know."""
        return enterprise_view(self.authorization.find_enterprise(commands.FindEnterprise(uscc, unit_no)))

    @rpc
    @catalogue_errors
    def relations_for_clerk(
        self, uscc: str, id_number: str | None = None, id_type: str = RESIDENT_ID
    ) -> dict[str, Any]:
        """授权单位列表: every relation, ``granted`` when the clerk known by ``id_type`` and
        ``id_number`` holds it."""
        number = normalise_document_number(str(id_number)) if id_number else ""
        document = canonical_document(str(id_type), number) if number else None
        marked = self.authorization.relations_for(uscc, document)
        return {"items": [{**relation_data(r), "granted": granted} for r, granted in marked]}

    # Idempotent by its own key, the attachment id the gateway chose: a repeat (a redelivery)
    # finds the row and answers it, so the kit's idempotency keys (two more transactions an
    # upload) would add nothing.
    @rpc
    @catalogue_errors
    def record_attachment(self, attachment: dict[str, Any]) -> dict[str, Any]:
        """An upload the gateway stored, for its uploader (``owner``: the account id); the same
        again answers the row recorded first."""
        recorded = self.authorization.record_attachment(commands.RecordAttachment(**attachment))
        return attachment_view(recorded)

    @rpc
    @catalogue_errors
    def attachment(self, attachment_id: str, owner: str) -> dict[str, Any] | None:
        """The attachment's metadata for the account that uploaded it; None for anyone else."""
        found = self.authorization.attachment(str(attachment_id)[:80], str(owner))
        return attachment_view(found) if found else None

    @rpc
    @catalogue_errors
    def attachments(self, attachment_ids: list[str], owner: str) -> dict[str, Any]:
        """Those of the attachments that ``owner`` uploaded, with their metadata (the business
        service copies a case's materials from here): ``{items: [...]}``, others left out."""
        wanted = sorted({str(a)[:80] for a in list(attachment_ids)[:MAX_ATTACHMENTS_ASKED]})
        return {"items": [attachment_view(a) for a in self.authorization.attachments(wanted, str(owner))]}

    @rpc(idempotent=True)
    @catalogue_errors
    def submit_window_authorization(self, request: dict[str, Any], actor: dict[str, Any], owner: str) -> dict[str, Any]:
        """公共服务单位用户授权: clerks added or corrected and relations granted, one transaction."""
        loaded = WINDOW.load(request)
        command = commands.SubmitWindowAuthorization(
            loaded["uscc"],
            tuple(loaded["attachment_ids"]),
            tuple(Person(**clerk) for clerk in loaded["clerks"]),
            tuple(((g["id_type"], g["id_number"]), tuple(g["relation_ids"])) for g in loaded["grants"]),
            actor_from(actor),
            owner,
        )
        result = self.authorization.submit_window_authorization(command)
        return {"submission_id": result.submission_id, "clerks": [clerk_view(c) for c in result.clerks]}

    @rpc
    @catalogue_errors
    def audit(self, uscc: str, query: dict[str, Any]) -> dict[str, Any]:
        """A page of the enterprise's grant history, newest first."""
        loaded = AUDIT_QUERY.load(query)
        entries, total = self.authorization.audit(commands.AuditQuery(uscc, **loaded))
        return audit_page(entries, total, loaded["page"], loaded["page_size"])

    @reliable_handler("enterprise", "EnterpriseRegistered")
    def remember_enterprise(self, session: Session, envelope: dict[str, Any]) -> None:
        """A registered enterprise and its relations (a registration is always its first event)."""
        data = envelope["data"]
        relations = tuple(
            InsuranceRelation(r["relation_id"], r["unit_no"], r["insurance"], r["agency"])
            for unit in data["units"]
            for r in unit["relations"]
        )
        command = commands.RememberEnterprise(
            envelope["aggregate_id"],
            data["uscc"],
            data["name"],
            data["address"],
            data["legal_rep_name"],
            data["legal_rep_id"].upper(),
            data["legal_rep_phone"],
            relations,
        )
        self.authorization.remember_enterprise(command, session)

    @reliable_handler("enterprise", "EnterpriseContactChanged", read_model=CONTACT)
    def follow_contact_change(self, session: Session, envelope: dict[str, Any]) -> None:
        """修改资料: the legal representative's contact phone now (法人手机号 at the window)."""
        command = commands.FollowContactChange(envelope["aggregate_id"], envelope["data"]["legal_rep_phone"])
        self.authorization.follow_contact(command, session)

    @reliable_handler("enterprise", "EnterpriseKeyInfoChanged", read_model=KEY_INFO)
    def follow_key_info_change(self, session: Session, envelope: dict[str, Any]) -> None:
        """单位关键信息维护: the enterprise's code, name and legal representative now."""
        data = envelope["data"]
        command = commands.FollowKeyInfoChange(
            envelope["aggregate_id"], data["uscc"], data["name"], data["legal_rep_name"], data["legal_rep_id"].upper()
        )
        self.authorization.follow_key_info(command, session)
