"""What can go wrong in the authorization service."""

from __future__ import annotations


class AuthorizationError(Exception):
    """Base of the authorization service's domain errors."""


class EnterpriseNotFound(AuthorizationError):
    """No registered enterprise has this code or unit number (or its registration has not
    reached this service yet)."""


class ClerkNotFound(AuthorizationError):
    """The enterprise has no clerk with this id."""


class ClerkExists(AuthorizationError):
    """The enterprise already has a clerk with this ID number."""


class RelationNotFound(AuthorizationError):
    """Relations asked for that are not the enterprise's: ``relation_ids``."""

    def __init__(self, relation_ids: list[str]) -> None:
        super().__init__(", ".join(relation_ids))
        self.relation_ids = relation_ids
