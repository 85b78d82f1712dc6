"""What the service layer needs from the outside world; adapters and fakes implement it."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime

from hrss_authorization.domain.commands import FollowContactChange, FollowKeyInfoChange, RememberEnterprise
from hrss_authorization.domain.events import Event, GrantChange
from hrss_authorization.domain.model import Actor, Attachment, Enterprise
from hrss_kit.unit_of_work import UnitOfWork as KitUnitOfWork


class Enterprises(abc.ABC):
    """Registered enterprises with their relations (a read model of the enterprise service's
    events) and their clerks and grants (this service's own)."""

    @abc.abstractmethod
    def get(self, uscc: str, for_update: bool = False) -> Enterprise | None:
        """The enterprise whose code is ``uscc`` today, with its relations and clerks;
        ``for_update`` holds it until the transaction ends, so two changes of its clerks
        happen one after the other."""

    @abc.abstractmethod
    def by_unit(self, unit_no: str) -> Enterprise | None:
        """The enterprise that holds the unit number."""

    @abc.abstractmethod
    def has_relation(self, uscc: str, relation_id: str) -> bool:
        """Whether the enterprise whose code is ``uscc`` has the relation."""

    @abc.abstractmethod
    def holds(self, clerk_id: str, uscc: str, relation_id: str) -> bool:
        """Whether the clerk, of the enterprise whose code is ``uscc``, holds the relation."""

    @abc.abstractmethod
    def save(self, enterprise: Enterprise) -> None:
        """Write the clerks and grants of an enterprise got from ``get``."""

    @abc.abstractmethod
    def remember(self, command: RememberEnterprise) -> None:
        """A registered enterprise and its relations. Key information already recorded (from a
        later event that came first) stays; the rest is filled in."""

    @abc.abstractmethod
    def follow_contact(self, command: FollowContactChange) -> bool:
        """The legal representative's phone now; False when the enterprise is not known yet."""

    @abc.abstractmethod
    def follow_key_info(self, command: FollowKeyInfoChange) -> None:
        """The enterprise's code, name and legal representative now; an enterprise not known
        yet is recorded with what the event says."""


@dataclass(frozen=True)
class AuditEntry:
    """One relation granted or revoked: who, through which channel, when, on what evidence."""

    enterprise_id: str
    clerk_id: str
    clerk_id_number: str
    clerk_name: str
    action: str  # granted | revoked
    relation_id: str
    unit_no: str
    insurance: str
    agency: str
    channel: str
    actor_account: str
    actor_role: str
    actor_agency: str | None
    attachments: tuple[str, ...]
    at: datetime


class AuditLog(abc.ABC):
    """The grant history (every grant and revocation), kept for good."""

    @abc.abstractmethod
    def record(self, enterprise_id: str, change: GrantChange) -> None: ...

    @abc.abstractmethod
    def page(self, enterprise_id: str, clerk_id: str | None, page: int, page_size: int) -> tuple[list[AuditEntry], int]:
        """Newest first; with the number of entries in all pages."""


class Attachments(abc.ABC):
    """Metadata of uploaded attachments; the bytes are in the gateway's blob store."""

    @abc.abstractmethod
    def add(self, attachment: Attachment) -> Attachment:
        """Record it; the one already recorded under its id if there is one."""

    @abc.abstractmethod
    def owned_by(self, attachment_ids: list[str], owner: str) -> list[Attachment]:
        """Those of ``attachment_ids`` that exist and were uploaded by ``owner``."""


class WindowLog(abc.ABC):
    """Every authorization submitted at an agency's window, with its materials."""

    @abc.abstractmethod
    def record(self, enterprise_id: str, actor: Actor, attachment_ids: tuple[str, ...], clerk_ids: list[str]) -> str:
        """Returns the submission's id."""


class SourceDirectory(abc.ABC):
    """What the verification sources (the enterprise service) hold of an enterprise."""

    @abc.abstractmethod
    def reference(self, uscc: str | None, unit_no: str | None) -> tuple[str, str] | None:
        """(code, legal representative's ID number) of the enterprise the sources know by this
        code or unit number, registered or not; None when no source knows it."""

    @abc.abstractmethod
    def registered(self, uscc: str | None, unit_no: str | None) -> bool:
        """Whether the platform has registered the enterprise of this code or unit number."""


class UnitOfWork(KitUnitOfWork[Event]):
    """One transaction; events recorded in it are published if, and only if, it commits."""

    enterprises: Enterprises
    audit: AuditLog
    attachments: Attachments
    windows: WindowLog
