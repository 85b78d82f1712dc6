"""Attachments' metadata, the window's submissions, and the enterprise service's sources."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from hrss_authorization.adapters.orm import attachments, window_authorizations
from hrss_authorization.domain.model import Actor, Attachment
from hrss_authorization.service_layer.ports import Attachments, SourceDirectory, WindowLog
from hrss_contracts.errors import CatalogueError
from hrss_kit.sql import aware, insert_ignore


class SqlAttachments(Attachments):
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, attachment: Attachment) -> Attachment:
        row = {name: getattr(attachment, name) for name in Attachment.__dataclass_fields__}
        if insert_ignore(self.session, attachments, row):
            return attachment
        found = self.session.execute(select(attachments).filter_by(attachment_id=attachment.attachment_id)).one()
        return _attachment(found)

    def owned_by(self, attachment_ids: list[str], owner: str) -> list[Attachment]:
        rows = self.session.execute(
            select(attachments).where(attachments.c.attachment_id.in_(attachment_ids), attachments.c.owner == owner)
        ).all()
        return [_attachment(row) for row in rows]


def _attachment(row: Any) -> Attachment:
    return Attachment(**{**row._mapping, "uploaded_at": aware(row.uploaded_at)})


class SqlWindowLog(WindowLog):
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, enterprise_id: str, actor: Actor, attachment_ids: tuple[str, ...], clerk_ids: list[str]) -> str:
        submission_id = str(uuid.uuid4())
        self.session.execute(
            insert(window_authorizations).values(
                submission_id=submission_id,
                enterprise_id=enterprise_id,
                actor_account=actor.account,
                actor_agency=actor.agency,
                attachments=json.dumps(list(attachment_ids)),
                clerks=json.dumps(clerk_ids),
                submitted_at=datetime.now(UTC),
            )
        )
        return submission_id


class EnterpriseSources(SourceDirectory):
    """Asks the enterprise service (one RPC, with the caller's timeout)."""

    def __init__(self, enterprise: Any) -> None:
        self.enterprise = enterprise

    def reference(self, uscc: str | None, unit_no: str | None) -> tuple[str, str] | None:
        try:
            found = self.enterprise.source_reference(uscc=uscc, unit_no=unit_no)
        except CatalogueError as error:
            if error.code == "ENTERPRISE_NOT_FOUND":
                return None
            raise
        return str(found["uscc"]), str(found["legal_rep_id"])

    def registered(self, uscc: str | None, unit_no: str | None) -> bool:
        try:
            self.enterprise.find_enterprise(uscc=uscc, unit_no=unit_no)
        except CatalogueError as error:
            if error.code == "ENTERPRISE_NOT_FOUND":
                return False
            raise
        return True
