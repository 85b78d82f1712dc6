"""The authorization service wired: its unit of work over the SQL adapters.

Entrypoints call ``bootstrap(self.db)``; event handlers pass their transaction's session so
the read model changes with the processed-event record; tests build ``Authorization`` from a
fake unit of work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from hrss_authorization.adapters.unit_of_work import SqlUnitOfWork
from hrss_authorization.adapters.window import EnterpriseSources
from hrss_authorization.domain import commands
from hrss_authorization.domain.model import Attachment, Clerk, Enterprise, InsuranceRelation
from hrss_authorization.service_layer import clerks, enterprises, grants, window
from hrss_authorization.service_layer.ports import AuditEntry, SourceDirectory, UnitOfWork
from hrss_kit.database import UnitOfWorkDatabase


@dataclass(frozen=True)
class Authorization:
    """The service layer with its unit of work filled in; what entrypoints call."""

    unit_of_work: Callable[[Session | None], UnitOfWork]
    reading: Callable[[], UnitOfWork]  # for use cases that only read
    sources: SourceDirectory

    def relations(self, uscc: str, clerk_id: str | None = None) -> list[InsuranceRelation]:
        return clerks.relations(uscc, self.reading(), clerk_id)

    def clerks(self, uscc: str) -> list[Clerk]:
        return clerks.clerks(uscc, self.reading())

    def add_clerk(self, command: commands.AddClerk) -> Clerk:
        return clerks.add(command, self.unit_of_work(None))

    def update_clerk(self, command: commands.UpdateClerk) -> Clerk:
        return clerks.update(command, self.unit_of_work(None))

    def remove_clerk(self, command: commands.RemoveClerk) -> None:
        clerks.remove(command, self.unit_of_work(None))

    def set_grants(self, command: commands.SetGrants) -> Clerk:
        return clerks.set_grants(command, self.unit_of_work(None))

    def may_act(self, check: commands.GrantCheck) -> bool:
        return grants.may_act(check, self.reading())

    def find_enterprise(self, query: commands.FindEnterprise) -> Enterprise:
        return window.find(query, self.unit_of_work(None), self.sources)

    def relations_for(self, uscc: str, document: tuple[str, str] | None) -> list[tuple[InsuranceRelation, bool]]:
        return window.relations_for(uscc, document, self.reading())

    def record_attachment(self, command: commands.RecordAttachment) -> Attachment:
        return window.record_attachment(command, self.unit_of_work(None))

    def attachment(self, attachment_id: str, owner: str) -> Attachment | None:
        return window.attachment(attachment_id, owner, self.reading())

    def attachments(self, attachment_ids: list[str], owner: str) -> list[Attachment]:
        return window.attachments(attachment_ids, owner, self.reading())

    def submit_window_authorization(self, command: commands.SubmitWindowAuthorization) -> window.WindowResult:
        return window.submit(command, self.unit_of_work(None), self.sources)

    def audit(self, query: commands.AuditQuery) -> tuple[list[AuditEntry], int]:
        return enterprises.audit(query, self.reading())

    def remember_enterprise(self, command: commands.RememberEnterprise, session: Session) -> None:
        enterprises.remember(command, self.unit_of_work(session))

    def follow_contact(self, command: commands.FollowContactChange, session: Session) -> None:
        enterprises.follow_contact(command, self.unit_of_work(session))

    def follow_key_info(self, command: commands.FollowKeyInfoChange, session: Session) -> None:
        enterprises.follow_key_info(command, self.unit_of_work(session))


def bootstrap(db: UnitOfWorkDatabase, enterprise: Any) -> Authorization:
    """``enterprise``: an RPC proxy of the enterprise service (its verification sources)."""
    return Authorization(
        unit_of_work=lambda session: SqlUnitOfWork(db, session),
        reading=lambda: SqlUnitOfWork(db, read_only=True),
        sources=EnterpriseSources(enterprise),
    )
