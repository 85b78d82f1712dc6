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


class NotAClerk(AuthorizationError):
    """A window grant names a document that is no clerk's of the enterprise (nor added with it)."""

    def __init__(self, id_number: str) -> None:
        super().__init__("not a clerk")
        self.id_number = id_number


class NotYetKnown(AuthorizationError):
    """The enterprise is registered, but its registration has not reached this service yet."""


class AttachmentNotFound(AuthorizationError):
    """Attachments that do not exist or were uploaded by another account: ``attachment_ids``."""

    def __init__(self, attachment_ids: list[str]) -> None:
        super().__init__(", ".join(attachment_ids))
        self.attachment_ids = attachment_ids


class RegistrationMissing(AuthorizationError):
    """Manual 5.3: the sources know the enterprise, but it has no registration on the platform."""

    def __init__(self, uscc: str, legal_rep_id: str) -> None:
        super().__init__(uscc)
        self.uscc, self.legal_rep_id = uscc, legal_rep_id
