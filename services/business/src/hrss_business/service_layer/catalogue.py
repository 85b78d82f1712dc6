"""Use cases of the business centre's catalogue: list items (by category, by words), one item."""

from __future__ import annotations

from hrss_business.domain.errors import ItemNotFound
from hrss_business.domain.model import BusinessItem, Catalogue


def find_items(catalogue: Catalogue, category: str | None, words: str | None) -> list[BusinessItem]:
    return catalogue.find(category or None, (words or "").strip() or None)


def item(catalogue: Catalogue, code: str) -> BusinessItem:
    found = catalogue.get(code)
    if found is None:
        raise ItemNotFound(code)
    return found
