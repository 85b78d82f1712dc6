"""The business service's nameko entrypoints: load, call the service layer, dump."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from hrss_business.adapters.orm import metadata
from hrss_business.bootstrap import CatalogueFile
from hrss_business.domain.model import BusinessItem
from hrss_business.entrypoints.errors import catalogue_errors
from hrss_business.service_layer import catalogue
from hrss_kit.database import Database
from hrss_kit.logs import CallIdLogging
from hrss_kit.ops import OperationsMixin
from hrss_kit.rpc import rpc


class BusinessService(OperationsMixin):
    name = "business"

    db = Database(metadata)
    catalogue = CatalogueFile()
    call_ids = CallIdLogging()

    @rpc
    @catalogue_errors
    def business_items(self, category: str | None = None, q: str | None = None) -> dict[str, Any]:
        """办事中心: the items, by category and words: ``{items: [{code, name, category, online,
        insurance_types}]}``."""
        found = catalogue.find_items(self.catalogue, _text(category), _text(q))
        return {"items": [summary(item) for item in found]}

    @rpc
    @catalogue_errors
    def business_item(self, code: str) -> dict[str, Any]:
        """One item with its guide (办理指南), materials and form (JSON Schema)."""
        item = catalogue.item(self.catalogue, str(code))
        return {
            **summary(item),
            "guide": asdict(item.guide),
            "materials": [{**asdict(m), "accepted_types": list(m.accepted_types)} for m in item.materials],
            "form": item.form,
        }


def summary(item: BusinessItem) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "category": item.category,
        "online": item.online,
        "insurance_types": list(item.insurance_types),
    }


def _text(value: Any) -> str | None:
    return str(value)[:100] if value else None
