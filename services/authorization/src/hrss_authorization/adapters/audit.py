"""The grant history in ``grant_audit``: one row per relation granted or revoked."""

from __future__ import annotations

import json

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from hrss_authorization.adapters.orm import grant_audit
from hrss_authorization.domain.events import ClerkAuthorized, GrantChange
from hrss_authorization.service_layer.ports import AuditEntry, AuditLog
from hrss_kit.sql import aware


class SqlAuditLog(AuditLog):
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, enterprise_id: str, change: GrantChange) -> None:
        granted = isinstance(change, ClerkAuthorized)
        attachments = json.dumps(list(change.attachments) if isinstance(change, ClerkAuthorized) else [])
        self.session.execute(
            insert(grant_audit),
            [
                {
                    "enterprise_id": enterprise_id,
                    "clerk_id": change.clerk.clerk_id,
                    "clerk_id_number": change.clerk.person.id_number,
                    "clerk_name": change.clerk.person.name,
                    "action": "granted" if granted else "revoked",
                    "relation_id": relation.relation_id,
                    "unit_no": relation.unit_no,
                    "insurance": relation.insurance,
                    "agency": relation.agency,
                    "channel": change.channel,
                    "actor_account": change.actor.account,
                    "actor_role": change.actor.role,
                    "actor_agency": change.actor.agency,
                    "attachments": attachments,
                    "at": change.at,
                }
                for relation in change.relations
            ],
        )

    def page(self, enterprise_id: str, clerk_id: str | None, page: int, page_size: int) -> tuple[list[AuditEntry], int]:
        where = [grant_audit.c.enterprise_id == enterprise_id]
        if clerk_id is not None:
            where.append(grant_audit.c.clerk_id == clerk_id)
        total = self.session.execute(select(func.count()).select_from(grant_audit).where(*where)).scalar_one()
        rows = self.session.execute(
            select(grant_audit)
            .where(*where)
            .order_by(grant_audit.c.id.desc())
            .limit(page_size)
            .offset((page - 1) * page_size)
        ).all()
        return [_entry(row) for row in rows], int(total)


def _entry(row: object) -> AuditEntry:
    values = {name: getattr(row, name) for name in AuditEntry.__dataclass_fields__ if name != "attachments"}
    values["at"] = aware(values["at"])
    return AuditEntry(**values, attachments=tuple(json.loads(row.attachments)))  # type: ignore[attr-defined]
