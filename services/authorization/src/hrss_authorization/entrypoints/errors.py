"""The authorization service's one table from domain error to catalogue code."""

from __future__ import annotations

from hrss_authorization.domain import errors
from hrss_contracts.errors import CatalogueError
from hrss_contracts.masking import mask_document_number, mask_id_number, mask_uscc
from hrss_kit.errors import translate_errors

catalogue_errors = translate_errors(
    {
        errors.EnterpriseNotFound: lambda e: CatalogueError("ENTERPRISE_NOT_FOUND"),
        errors.ClerkNotFound: lambda e: CatalogueError("CLERK_NOT_FOUND"),
        errors.ClerkExists: lambda e: CatalogueError("CLERK_EXISTS", {"id_number": ["该办事员已添加"]}),
        errors.RelationNotFound: lambda e: CatalogueError(
            "RELATION_NOT_FOUND", {"relation_ids": [f"不属于本单位: {', '.join(e.relation_ids)}"]}
        ),
        errors.AttachmentNotFound: lambda e: CatalogueError(
            "ATTACHMENT_NOT_FOUND", {"attachment_ids": [", ".join(e.attachment_ids)]}
        ),
        errors.NotYetKnown: lambda e: CatalogueError("SERVICE_UNAVAILABLE", params={"retry_after": "2"}),
        errors.NotAClerk: lambda e: CatalogueError(
            "VALIDATION_FAILED", {"grants": [f"{mask_document_number(e.id_number)} 不是本单位的办事员,请先添加"]}
        ),
        errors.RegistrationMissing: lambda e: CatalogueError(
            "PUBLIC_SERVICE_REGISTRATION_MISSING",
            params={"uscc": mask_uscc(e.uscc), "id_number": mask_id_number(e.legal_rep_id)},
        ),
    }
)
