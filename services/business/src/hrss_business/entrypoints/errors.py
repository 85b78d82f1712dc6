"""The business service's one table from domain error to catalogue code."""

from __future__ import annotations

from hrss_business.domain import errors
from hrss_contracts.errors import CatalogueError
from hrss_kit.errors import translate_errors

catalogue_errors = translate_errors(
    {
        errors.ItemNotFound: lambda e: CatalogueError("BUSINESS_ITEM_NOT_FOUND"),
    }
)
