"""What the business service is asked to do, each with the session that asks (``Viewer``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hrss_business.domain.cases import Actor

LEGAL, CLERK, AGENCY = "legal", "clerk", "agency"


@dataclass(frozen=True)
class Viewer:
    """The session behind a request, as the gateway checked it: the account, its role, the
    enterprise it acts for (legal representatives and clerks) or its agency (agency staff)."""

    account_id: str
    login_name: str
    role: str
    uscc: str | None = None
    agency: str | None = None
    name: str | None = None  # the person's, where the session knows it

    @property
    def actor(self) -> Actor:
        return Actor(self.account_id, self.login_name, self.role, self.agency, self.name)


@dataclass(frozen=True)
class SubmitCase:
    viewer: Viewer
    item_code: str
    relation_id: str
    form: dict[str, Any]
    attachments: dict[str, str]  # material code → attachment id


@dataclass(frozen=True)
class Resubmit:
    viewer: Viewer
    case_no: str
    form: dict[str, Any]
    attachments: dict[str, str]


@dataclass(frozen=True)
class Withdraw:
    viewer: Viewer
    case_no: str
    comment: str


@dataclass(frozen=True)
class Decide:
    viewer: Viewer
    case_no: str
    action: str
    comment: str


@dataclass(frozen=True)
class ListCases:
    viewer: Viewer
    status: str | None
    item_code: str | None
    page: int
    page_size: int


@dataclass(frozen=True)
class RememberEnterprise:
    enterprise_id: str
    uscc: str
    name: str
    relations: tuple[tuple[str, str, str, str], ...]  # relation id, unit no, insurance, agency


@dataclass(frozen=True)
class FollowKeyInfoChange:
    enterprise_id: str
    uscc: str
    name: str


@dataclass(frozen=True)
class FollowGrants:
    """A clerk's grants after an authorization event; ``relation_ids`` empty when removed."""

    clerk_id: str
    relation_ids: frozenset[str]
