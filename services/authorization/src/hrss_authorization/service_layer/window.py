"""The agency window (manual 3.1.2): search, attachments, a clerk's relations marked granted,
and 公共服务单位用户授权. An enterprise the sources know but the platform has no registration
of is refused with the manual's 5.3 text (``RegistrationMissing``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from hrss_authorization.domain import commands
from hrss_authorization.domain.errors import (
    AttachmentNotFound,
    EnterpriseNotFound,
    NotYetKnown,
    RegistrationMissing,
)
from hrss_authorization.domain.model import Attachment, Clerk, Enterprise, InsuranceRelation
from hrss_authorization.service_layer.clerks import registered_enterprise, save_and_commit
from hrss_authorization.service_layer.ports import SourceDirectory, UnitOfWork


@dataclass(frozen=True)
class WindowResult:
    submission_id: str
    clerks: list[Clerk]


def find(query: commands.FindEnterprise, uow: UnitOfWork, sources: SourceDirectory) -> Enterprise:
    """The registered enterprise by code or unit number; 5.3 when only the sources know it."""
    with uow:
        found = uow.enterprises.get(query.uscc) if query.uscc else uow.enterprises.by_unit(query.unit_no or "")
    if found is None:
        raise _not_registered(query.uscc, query.unit_no, sources)
    return found


def relations_for(uscc: str, document: tuple[str, str] | None, uow: UnitOfWork) -> list[tuple[InsuranceRelation, bool]]:
    """授权单位列表: every relation of the enterprise, marked when the clerk known by
    ``document`` (``(id_type, id_number)``) holds it already (the manual's yellow)."""
    with uow:
        enterprise = registered_enterprise(uow, uscc)
        clerk = enterprise.clerk_by_document(document) if document else None
        held = clerk.relation_ids if clerk else frozenset()
        ordered = sorted(enterprise.relations.values(), key=lambda r: (r.unit_no, r.insurance, r.relation_id))
        return [(relation, relation.relation_id in held) for relation in ordered]


def record_attachment(command: commands.RecordAttachment, uow: UnitOfWork) -> Attachment:
    with uow:
        attachment = uow.attachments.add(
            Attachment(
                command.attachment_id,
                command.owner,
                command.sha256,
                command.size,
                command.content_type,
                command.filename,
                datetime.now(UTC),
            )
        )
        uow.commit()
        return attachment


def submit(command: commands.SubmitWindowAuthorization, uow: UnitOfWork, sources: SourceDirectory) -> WindowResult:
    """All of it in one transaction on the enterprise, or nothing."""
    with uow:
        enterprise = uow.enterprises.get(command.uscc, for_update=True)
        if enterprise is None:
            raise _not_registered(command.uscc, None, sources)
        wanted = list(dict.fromkeys(command.attachment_ids))
        usable = {a.attachment_id for a in uow.attachments.owned_by(wanted, command.owner)}
        if len(usable) < len(wanted):
            raise AttachmentNotFound([a for a in wanted if a not in usable])
        new_clerks = [(str(uuid.uuid4()), person) for person in command.clerks]
        attachments = tuple(wanted)
        clerks = enterprise.authorize_at_window(
            new_clerks, command.grants, command.actor, attachments, datetime.now(UTC)
        )
        submission = uow.windows.record(
            enterprise.enterprise_id, command.actor, attachments, [c.clerk_id for c in clerks]
        )
        save_and_commit(uow, enterprise)
        return WindowResult(submission, clerks)


def _not_registered(uscc: str | None, unit_no: str | None, sources: SourceDirectory) -> Exception:
    """Not in the read model: never registered (5.3, or unknown), or registered so recently (or
    during a catch-up) that the registration is still on its way here."""
    if sources.registered(uscc, unit_no):
        return NotYetKnown(uscc or unit_no or "")
    known = sources.reference(uscc, unit_no)
    if known is None:
        return EnterpriseNotFound(uscc or unit_no or "")
    return RegistrationMissing(*known)


def attachment(attachment_id: str, owner: str, uow: UnitOfWork) -> Attachment | None:
    """The attachment if ``owner`` uploaded it; None whether it is someone else's or absent."""
    found = attachments([attachment_id], owner, uow)
    return found[0] if found else None


def attachments(attachment_ids: list[str], owner: str, uow: UnitOfWork) -> list[Attachment]:
    """Those of ``attachment_ids`` that ``owner`` uploaded (others' and absent ones left out)."""
    with uow:
        return uow.attachments.owned_by(attachment_ids, owner)
