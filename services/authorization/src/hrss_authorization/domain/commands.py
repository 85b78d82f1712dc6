"""What the authorization service is asked to do (imperative) and to answer."""

from __future__ import annotations

from dataclasses import dataclass

from hrss_authorization.domain.model import Actor, InsuranceRelation, Person


@dataclass(frozen=True)
class AddClerk:
    uscc: str
    person: Person


@dataclass(frozen=True)
class UpdateClerk:
    uscc: str
    clerk_id: str
    person: Person


@dataclass(frozen=True)
class RemoveClerk:
    uscc: str
    clerk_id: str
    actor: Actor


@dataclass(frozen=True)
class SetGrants:
    """单位授权 by the legal representative: the clerk holds exactly ``relation_ids`` after it."""

    uscc: str
    clerk_id: str
    relation_ids: tuple[str, ...]
    actor: Actor


@dataclass(frozen=True)
class RememberEnterprise:
    """A registered enterprise, from ``EnterpriseRegistered``: ``enterprise_id`` is its event
    stream's id (the code it registered with)."""

    enterprise_id: str
    uscc: str
    name: str
    address: str | None
    legal_rep_name: str
    legal_rep_id: str
    legal_rep_phone: str
    relations: tuple[InsuranceRelation, ...]


@dataclass(frozen=True)
class FollowContactChange:
    """修改资料: the legal representative's contact phone now (法人手机号 at the window)."""

    enterprise_id: str
    legal_rep_phone: str


@dataclass(frozen=True)
class FollowKeyInfoChange:
    """单位关键信息维护 approved: the enterprise's code, name and legal representative now."""

    enterprise_id: str
    uscc: str
    name: str
    legal_rep_name: str
    legal_rep_id: str


@dataclass(frozen=True)
class AuditQuery:
    """A page of an enterprise's grant history, of one clerk's if ``clerk_id``."""

    uscc: str
    clerk_id: str | None
    page: int
    page_size: int


@dataclass(frozen=True)
class RecordAttachment:
    """An upload the gateway stored (its blob key is the attachment id), for ``owner``."""

    attachment_id: str
    owner: str
    sha256: str
    size: int
    content_type: str
    filename: str


@dataclass(frozen=True)
class SubmitWindowAuthorization:
    """公共服务单位用户授权 (manual 3.1.2) by agency staff: on the evidence of ``attachment_ids``
    (uploaded by ``owner``, the staff account), add or modify ``clerks`` and grant each
    ``(document, relation_ids)`` of ``grants`` (the document: ``(id_type, id_number)``)."""

    uscc: str
    attachment_ids: tuple[str, ...]
    clerks: tuple[Person, ...]
    grants: tuple[tuple[tuple[str, str], tuple[str, ...]], ...]
    actor: Actor
    owner: str


@dataclass(frozen=True)
class FindEnterprise:
    """The window's search: by code or by unit number."""

    uscc: str | None = None
    unit_no: str | None = None


@dataclass(frozen=True)
class GrantCheck:
    """May this person act for this enterprise and this relation? A legal representative (role
    ``legal``) for any relation of their enterprise; a clerk (``clerk``, by ``clerk_id``) for the
    relations granted to them."""

    role: str
    uscc: str
    relation_id: str
    clerk_id: str | None = None
