"""Facts the authorization service publishes. Each carries the clerk's whole state after it
(``clerk``), so a read model that keeps only a clerk's newest event loses nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the aggregate in ``model`` records these events
    from hrss_authorization.domain.model import Actor, Clerk, InsuranceRelation


@dataclass(frozen=True)
class ClerkAdded:
    uscc: str
    clerk: Clerk
    at: datetime


@dataclass(frozen=True)
class ClerkUpdated:
    uscc: str
    clerk: Clerk
    at: datetime


@dataclass(frozen=True)
class ClerkRemoved:
    uscc: str
    clerk_id: str
    at: datetime


@dataclass(frozen=True)
class ClerkAuthorized:
    """单位授权: ``relations`` granted to the clerk."""

    uscc: str
    clerk: Clerk
    relations: tuple[InsuranceRelation, ...]
    channel: str
    actor: Actor
    attachments: tuple[str, ...]
    at: datetime


@dataclass(frozen=True)
class ClerkAuthorizationRevoked:
    """``relations`` taken from the clerk."""

    uscc: str
    clerk: Clerk
    relations: tuple[InsuranceRelation, ...]
    channel: str
    actor: Actor
    at: datetime


GrantChange = ClerkAuthorized | ClerkAuthorizationRevoked
Event = ClerkAdded | ClerkUpdated | ClerkRemoved | ClerkAuthorized | ClerkAuthorizationRevoked
