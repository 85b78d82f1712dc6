"""What a grants read model needs, for a service that decides by grants without asking the
authorization service (the business service keeps one: may this clerk act for this relation?).

Every authorization event about a clerk has ``aggregate_id`` = ``clerk_id`` and a ``sequence``
per clerk, and carries the clerk's whole state after it (``relation_ids``: every relation the
clerk holds then). So the model is one row per clerk, replaced by each newer event and deleted
by ``ClerkRemoved``; an event not newer than the row is skipped (the kit's ``read_model=``
does this). Relation ids are unique across enterprises, and a clerk's sessions are kept under
the account id ``clerk:<clerk_id>``, so the check is: the clerk's row holds the relation.

Revocation reaches such a model one event latency after its commit (milliseconds; the
target is under one second); ``authorization.may_act`` answers from the committed grants.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SOURCE = "authorization"
STATE_EVENTS = ("ClerkAdded", "ClerkUpdated", "ClerkAuthorized", "ClerkAuthorizationRevoked")
REMOVAL_EVENT = "ClerkRemoved"
GRANT_EVENTS = (*STATE_EVENTS, REMOVAL_EVENT)
CLERK_ACCOUNT_PREFIX = "clerk:"


@dataclass(frozen=True)
class ClerkGrants:
    """One row of the model: the clerk, the enterprise's code when the event was made, and the
    relations the clerk holds."""

    clerk_id: str
    uscc: str
    relation_ids: frozenset[str]

    def may_act_for(self, relation_id: str) -> bool:
        return relation_id in self.relation_ids


def grants_after(envelope: dict[str, Any]) -> ClerkGrants | None:
    """The clerk's row after a loaded event of ``GRANT_EVENTS`` (``events.load_envelope``); None
    when the clerk was removed (delete the row)."""
    data = envelope["data"]
    if envelope["event_type"] == REMOVAL_EVENT:
        return None
    if envelope["event_type"] not in STATE_EVENTS:
        raise ValueError(f"not a grant event: {envelope['event_type']}")
    return ClerkGrants(data["clerk_id"], data["uscc"], frozenset(data.get("relation_ids") or ()))


def clerk_id_of(account_id: str) -> str | None:
    """The clerk behind a session's account id, or None for any other account."""
    return account_id[len(CLERK_ACCOUNT_PREFIX) :] if account_id.startswith(CLERK_ACCOUNT_PREFIX) else None
