"""The identity service's one table from domain error to catalogue code."""

from __future__ import annotations

from hrss_contracts.errors import CatalogueError
from hrss_identity.domain import errors
from hrss_kit.errors import translate_errors

catalogue_errors = translate_errors(
    {
        errors.AccountExists: lambda e: CatalogueError("LEGAL_ACCOUNT_EXISTS"),
        errors.RegistrationInProgress: lambda e: CatalogueError("REGISTRATION_IN_PROGRESS"),
        errors.EnterpriseUnanswered: lambda e: CatalogueError("SERVICE_UNAVAILABLE"),
    }
)
