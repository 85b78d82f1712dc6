"""Domain events → the contract's event envelopes, and the shapes the RPCs answer with."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from hrss_authorization.domain import events
from hrss_authorization.domain.model import Actor, Attachment, Clerk, Enterprise, InsuranceRelation
from hrss_authorization.service_layer.ports import AuditEntry
from hrss_contracts.events import new_envelope
from hrss_contracts.masking import mask_document_number

SOURCE = "authorization"


def relation_data(relation: InsuranceRelation) -> dict[str, Any]:
    return asdict(relation)


def clerk_state(uscc: str, clerk: Clerk) -> dict[str, Any]:
    """The clerk's whole state, as every event about a clerk carries it."""
    return {
        "clerk_id": clerk.clerk_id,
        "uscc": uscc,
        "id_type": clerk.person.id_type,
        "id_number": clerk.person.id_number,
        "name": clerk.person.name,
        "phone": clerk.person.phone,
        "relation_ids": sorted(clerk.relation_ids),
    }


def actor_data(actor: Actor) -> dict[str, Any]:
    return {"account": actor.account, "role": actor.role, "agency": actor.agency}


def to_envelope(event: events.Event) -> dict[str, Any]:
    if isinstance(event, events.ClerkRemoved):
        data = {"clerk_id": event.clerk_id, "uscc": event.uscc, "removed_at": event.at.isoformat()}
        return new_envelope("ClerkRemoved", SOURCE, event.clerk_id, data)
    state = clerk_state(event.uscc, event.clerk)
    if isinstance(event, events.ClerkAdded):
        return new_envelope("ClerkAdded", SOURCE, event.clerk.clerk_id, {**state, "added_at": event.at.isoformat()})
    if isinstance(event, events.ClerkUpdated):
        return new_envelope("ClerkUpdated", SOURCE, event.clerk.clerk_id, {**state, "updated_at": event.at.isoformat()})
    change = {
        **state,
        "relations": [relation_data(r) for r in event.relations],
        "channel": event.channel,
        "actor": actor_data(event.actor),
    }
    if isinstance(event, events.ClerkAuthorized):
        data = {**change, "attachments": list(event.attachments), "authorized_at": event.at.isoformat()}
        return new_envelope("ClerkAuthorized", SOURCE, event.clerk.clerk_id, data)
    if isinstance(event, events.ClerkAuthorizationRevoked):
        data = {**change, "revoked_at": event.at.isoformat()}
        return new_envelope("ClerkAuthorizationRevoked", SOURCE, event.clerk.clerk_id, data)
    raise TypeError(f"no contract for {event!r}")


def actor_from(data: dict[str, Any]) -> Actor:
    """The acting session as the gateway passes it: ``{account, role, agency}``."""
    return Actor(str(data["account"]), str(data["role"]), data.get("agency"))


def clerk_view(clerk: Clerk) -> dict[str, Any]:
    """A clerk as listed to the legal representative: the document's number masked."""
    return {
        "clerk_id": clerk.clerk_id,
        "id_type": clerk.person.id_type,
        "id_number": mask_document_number(clerk.person.id_number),
        "name": clerk.person.name,
        "phone": clerk.person.phone,
        "relation_ids": sorted(clerk.relation_ids),
    }


def enterprise_view(enterprise: Enterprise) -> dict[str, Any]:
    """The agency window's view: name, address, legal representative's name and phone, and
    each unit with its insurance types and insuring agencies (详细信息)."""
    units: dict[str, list[dict[str, Any]]] = {}
    for relation in sorted(enterprise.relations.values(), key=lambda r: (r.unit_no, r.insurance)):
        units.setdefault(relation.unit_no, []).append(relation_data(relation))
    return {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "address": enterprise.address,
        "legal_rep_name": enterprise.legal_rep_name,
        "legal_rep_phone": enterprise.legal_rep_phone,
        "units": [{"unit_no": unit_no, "relations": relations} for unit_no, relations in units.items()],
    }


def audit_page(entries: list[AuditEntry], total: int, page: int, page_size: int) -> dict[str, Any]:
    return {
        "items": [
            {
                "clerk_id": e.clerk_id,
                "clerk_id_number": mask_document_number(e.clerk_id_number),
                "clerk_name": e.clerk_name,
                "action": e.action,
                "relation": {
                    "relation_id": e.relation_id,
                    "unit_no": e.unit_no,
                    "insurance": e.insurance,
                    "agency": e.agency,
                },
                "channel": e.channel,
                "actor": {"account": e.actor_account, "role": e.actor_role, "agency": e.actor_agency},
                "attachments": list(e.attachments),
                "at": e.at.isoformat(),
            }
            for e in entries
        ],
        "page": page,
        "page_size": page_size,
        "total": total,
    }


def attachment_view(attachment: Attachment) -> dict[str, Any]:
    return {
        "attachment_id": attachment.attachment_id,
        "sha256": attachment.sha256,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "filename": attachment.filename,
    }
