"""The enterprise service's one table from domain error to catalogue code."""

from __future__ import annotations

from hrss_contracts.errors import CatalogueError
from hrss_enterprise.domain import errors
from hrss_kit.errors import translate_errors

MISMATCH_MESSAGE = "与参保登记信息不一致"

catalogue_errors = translate_errors(
    {
        errors.AlreadyRegistered: lambda e: CatalogueError("LEGAL_ACCOUNT_EXISTS"),
        errors.NotVerified: lambda e: CatalogueError("ENTERPRISE_NOT_VERIFIED"),
        errors.RegistrationMismatch: lambda e: CatalogueError(
            "REGISTRATION_MISMATCH",
            fields={name: [MISMATCH_MESSAGE] for name in e.fields},  # type: ignore[attr-defined]
        ),
        errors.EnterpriseNotFound: lambda e: CatalogueError("ENTERPRISE_NOT_FOUND"),
        errors.UnitNotFound: lambda e: CatalogueError("UNIT_NOT_FOUND"),
        errors.CodeTaken: lambda e: CatalogueError("KEY_INFO_USCC_TAKEN"),
        errors.KeyInfoCaseClosed: lambda e: CatalogueError("CASE_STATUS_CONFLICT", params={"status": "已办结(不予)"}),
        errors.CreditCodeMismatch: lambda e: CatalogueError("CREDIT_CODE_MISMATCH"),
    }
)
