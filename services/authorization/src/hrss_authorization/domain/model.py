"""An enterprise as the authorization service knows it: its insurance relations (参保关系, kept
from the enterprise service's events) and its clerks (办事员) with the relations granted to
them (单位授权). ``Enterprise`` is the aggregate: every change of its clerks goes through it,
so the rules below hold however the change arrives (legal representative or agency window).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from hrss_authorization.domain import events
from hrss_authorization.domain.errors import ClerkExists, ClerkNotFound, NotAClerk, RelationNotFound
from hrss_contracts.id_documents import RESIDENT_ID

LEGAL_REP, AGENCY_WINDOW = "legal_rep", "agency_window"  # the two channels of a grant


@dataclass(frozen=True)
class InsuranceRelation:
    """参保关系: one unit number insured for one insurance type at one agency."""

    relation_id: str
    unit_no: str
    insurance: str
    agency: str


@dataclass(frozen=True)
class Person:
    """A clerk as typed: document number (upper-case) of ``id_type`` (证件类型), name (in its one
    spelling), mobile phone."""

    id_number: str
    name: str
    phone: str
    id_type: str = RESIDENT_ID

    @property
    def document(self) -> tuple[str, str]:
        """Who the person is: ``(id_type, id_number)``."""
        return self.id_type, self.id_number


@dataclass(frozen=True)
class Clerk:
    clerk_id: str
    person: Person
    relation_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Actor:
    """Who changes grants: the account's login name, its role and (agency staff) agency."""

    account: str
    role: str
    agency: str | None = None


@dataclass(frozen=True)
class Attachment:
    """附件: an uploaded material, usable only by the account that uploaded it (``owner``)."""

    attachment_id: str
    owner: str
    sha256: str
    size: int
    content_type: str
    filename: str
    uploaded_at: datetime


@dataclass
class Enterprise:
    """A registered enterprise: ``enterprise_id`` is the code it registered with (its event
    stream's id), ``uscc`` its code today."""

    enterprise_id: str
    uscc: str
    name: str
    address: str | None
    legal_rep_name: str
    legal_rep_id: str
    legal_rep_phone: str | None
    relations: dict[str, InsuranceRelation] = field(default_factory=dict)
    clerks: dict[str, Clerk] = field(default_factory=dict)
    events: list[events.Event] = field(default_factory=list)

    def clerk(self, clerk_id: str) -> Clerk:
        try:
            return self.clerks[clerk_id]
        except KeyError:
            raise ClerkNotFound(clerk_id) from None

    def clerk_by_document(self, document: tuple[str, str]) -> Clerk | None:
        """The clerk known by ``(id_type, id_number)``."""
        return next((c for c in self.clerks.values() if c.person.document == document), None)

    def add_clerk(self, clerk_id: str, person: Person, now: datetime) -> Clerk:
        """添加: one clerk per document in an enterprise (the same person may be a clerk of
        several enterprises)."""
        if self.clerk_by_document(person.document) is not None:
            raise ClerkExists(person.id_number)
        clerk = self.clerks[clerk_id] = Clerk(clerk_id, person)
        self.events.append(events.ClerkAdded(self.uscc, clerk, now))
        return clerk

    def update_clerk(self, clerk_id: str, person: Person, now: datetime) -> Clerk:
        """修改: the grants stay; another clerk's document is refused; no change, no event."""
        before = self.clerk(clerk_id)
        holder = self.clerk_by_document(person.document)
        if holder is not None and holder.clerk_id != clerk_id:
            raise ClerkExists(person.id_number)
        if before.person == person:
            return before
        clerk = self.clerks[clerk_id] = replace(before, person=person)
        self.events.append(events.ClerkUpdated(self.uscc, clerk, now))
        return clerk

    def remove_clerk(self, clerk_id: str, actor: Actor, now: datetime) -> None:
        """删除: the clerk's grants are revoked first, then the clerk goes."""
        self._change_grants(self.clerk(clerk_id), frozenset(), actor, LEGAL_REP, (), now)
        del self.clerks[clerk_id]
        self.events.append(events.ClerkRemoved(self.uscc, clerk_id, now))

    def set_grants(self, clerk_id: str, relation_ids: Iterable[str], actor: Actor, now: datetime) -> Clerk:
        """单位授权 by the legal representative: the clerk holds exactly these relations after it,
        granted and revoked as needed."""
        return self._change_grants(self.clerk(clerk_id), self._known(relation_ids), actor, LEGAL_REP, (), now)

    def grant(
        self, clerk_id: str, relation_ids: Iterable[str], actor: Actor, attachments: tuple[str, ...], now: datetime
    ) -> Clerk:
        """Authorization at the agency's window: adds relations to what the clerk holds."""
        clerk = self.clerk(clerk_id)
        wanted = clerk.relation_ids | self._known(relation_ids)
        return self._change_grants(clerk, wanted, actor, AGENCY_WINDOW, attachments, now)

    def authorize_at_window(
        self,
        new_clerks: Iterable[tuple[str, Person]],
        grants: Iterable[tuple[tuple[str, str], tuple[str, ...]]],
        actor: Actor,
        attachments: tuple[str, ...],
        now: datetime,
    ) -> list[Clerk]:
        """公共服务单位用户授权 at the window: each person of ``new_clerks`` (with the clerk id to
        use if new) is added, or modified if the enterprise has them already; then each
        ``(document, relation_ids)`` of ``grants`` (the document: ``(id_type, id_number)``) is
        granted on the evidence of ``attachments``. Returns the clerks concerned."""
        concerned: dict[str, Clerk] = {}
        for clerk_id, person in new_clerks:
            known = self.clerk_by_document(person.document)
            clerk = self.update_clerk(known.clerk_id, person, now) if known else self.add_clerk(clerk_id, person, now)
            concerned[clerk.clerk_id] = clerk
        for document, relation_ids in grants:
            holder = self.clerk_by_document(document)
            if holder is None:
                raise NotAClerk(document[1])
            concerned[holder.clerk_id] = self.grant(holder.clerk_id, relation_ids, actor, attachments, now)
        return [self.clerks[clerk_id] for clerk_id in concerned]

    def _known(self, relation_ids: Iterable[str]) -> frozenset[str]:
        wanted = frozenset(relation_ids)
        unknown = sorted(wanted - self.relations.keys())
        if unknown:
            raise RelationNotFound(unknown)
        return wanted

    def _change_grants(
        self,
        clerk: Clerk,
        wanted: frozenset[str],
        actor: Actor,
        channel: str,
        attachments: tuple[str, ...],
        now: datetime,
    ) -> Clerk:
        revoked, granted = clerk.relation_ids - wanted, wanted - clerk.relation_ids
        if revoked:
            clerk = replace(clerk, relation_ids=clerk.relation_ids - revoked)
            self.events.append(
                events.ClerkAuthorizationRevoked(self.uscc, clerk, self._relations(revoked), channel, actor, now)
            )
        if granted:
            clerk = replace(clerk, relation_ids=wanted)
            self.events.append(
                events.ClerkAuthorized(self.uscc, clerk, self._relations(granted), channel, actor, attachments, now)
            )
        self.clerks[clerk.clerk_id] = clerk
        return clerk

    def _relations(self, relation_ids: frozenset[str]) -> tuple[InsuranceRelation, ...]:
        return tuple(self.relations[r] for r in sorted(relation_ids))
