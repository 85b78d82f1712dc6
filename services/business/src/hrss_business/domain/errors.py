"""What can go wrong in the business service."""

from __future__ import annotations


class BusinessError(Exception):
    """Base of the business service's domain errors."""


class ItemNotFound(BusinessError):
    """No business item has this code."""


class ItemNotOnline(BusinessError):
    """The item is handled at the agency's window only (``online: false``)."""


class ItemNotApplicable(BusinessError):
    """The item does not apply to the relation's insurance type."""


class RelationNotGranted(BusinessError):
    """The applicant may not act for this relation: a clerk it was not granted to, a legal
    representative of another enterprise, or no such relation (not told apart)."""


class CaseNotFound(BusinessError):
    """No case with this number that the caller may see (not told apart)."""


class IllegalTransition(BusinessError):
    """The case's status does not allow the step."""

    def __init__(self, case_no: str, status: str, action: str) -> None:
        super().__init__(case_no, status, action)
        self.case_no, self.status, self.action = case_no, status, action


class EffectRefused(BusinessError):
    """The service that owns what an approved case changes refused the change (``reason``:
    its message, for the applicant)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SubmissionInvalid(BusinessError):
    """The form or the materials do not satisfy the item: ``problems`` maps each field
    (``form.<path>``, ``attachments.<material code>``) to its messages."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        super().__init__(problems)
        self.problems = problems


class AttachmentsNotFound(BusinessError):
    """Attachments that do not exist or that the applicant did not upload, by material code."""

    def __init__(self, material_codes: list[str]) -> None:
        super().__init__(material_codes)
        self.material_codes = material_codes
