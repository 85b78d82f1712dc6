"""The business service's one table from domain error to catalogue code."""

from __future__ import annotations

from hrss_business.domain import errors
from hrss_contracts.cases import STATUS_LABELS
from hrss_contracts.errors import CatalogueError
from hrss_kit.errors import translate_errors


def _conflict(error: errors.IllegalTransition) -> CatalogueError:
    label = STATUS_LABELS.get(error.status, error.status)
    return CatalogueError("CASE_STATUS_CONFLICT", params={"status": label}, details={"current_status": error.status})


catalogue_errors = translate_errors(
    {
        errors.ItemNotFound: lambda e: CatalogueError("BUSINESS_ITEM_NOT_FOUND"),
        errors.ItemNotOnline: lambda e: CatalogueError("ITEM_NOT_ONLINE"),
        errors.ItemNotApplicable: lambda e: CatalogueError("ITEM_NOT_APPLICABLE"),
        errors.RelationNotGranted: lambda e: CatalogueError("RELATION_NOT_GRANTED"),
        errors.CaseNotFound: lambda e: CatalogueError("CASE_NOT_FOUND"),
        errors.IllegalTransition: _conflict,
        errors.SubmissionInvalid: lambda e: CatalogueError("VALIDATION_FAILED", fields=e.problems),
        errors.AttachmentsNotFound: lambda e: CatalogueError(
            "ATTACHMENT_NOT_FOUND",
            fields={f"attachments.{code}": ["附件不存在或不是当前用户上传的"] for code in e.material_codes},
        ),
    }
)
