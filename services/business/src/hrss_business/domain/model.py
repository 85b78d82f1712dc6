"""The catalogue of business items (办事中心): what an enterprise can handle on the platform,
each with its handling guide (办理指南), the materials it asks for and the form it fills."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Guide:
    """办理指南: 实施机构, 设定依据, 受理条件, 办理流程, 咨询方式, 办理时间, 办理时限."""

    implementing_agency: str
    legal_basis: str
    conditions: str
    process: str
    contact: str
    hours: str
    time_limit: str


@dataclass(frozen=True)
class Material:
    """材料: one document the item asks for, and the file types it may come as."""

    code: str
    name: str
    required: bool
    accepted_types: tuple[str, ...]


@dataclass(frozen=True)
class BusinessItem:
    """One business item. ``online`` is false for an item handled only at the agency's window
    (listed with its guide, never submitted here). ``form`` is the JSON Schema (Draft 2020-12)
    of what the applicant fills in."""

    code: str
    name: str
    category: str
    online: bool
    insurance_types: tuple[str, ...]
    guide: Guide
    materials: tuple[Material, ...]
    form: dict[str, Any]

    def matches(self, category: str | None, words: str | None) -> bool:
        """In ``category`` (if given) and mentioning ``words`` (if given) in its name, category
        or guide's conditions."""
        if category and self.category != category:
            return False
        if not words:
            return True
        text = f"{self.name} {self.category} {self.guide.conditions}".casefold()
        return all(word in text for word in words.casefold().split())


class Catalogue:
    """Every business item, in the file's order; looked up by code."""

    def __init__(self, items: list[BusinessItem]) -> None:
        self.items = items
        self._by_code = {item.code: item for item in items}

    def find(self, category: str | None = None, words: str | None = None) -> list[BusinessItem]:
        return [item for item in self.items if item.matches(category, words)]

    def get(self, code: str) -> BusinessItem | None:
        return self._by_code.get(code)


def material_problems(item: BusinessItem, attachments: dict[str, str]) -> dict[str, list[str]]:
    """What the materials given (material code → attachment id) lack or have too many of:
    ``{"attachments.<code>": [message]}``."""
    known = {material.code for material in item.materials}
    problems = {f"attachments.{code}": ["该业务没有此项材料"] for code in attachments if code not in known}
    for material in item.materials:
        if material.required and not attachments.get(material.code):
            problems[f"attachments.{material.code}"] = [f"请上传{material.name}"]
    return problems


def type_problems(item: BusinessItem, content_types: dict[str, str]) -> dict[str, list[str]]:
    """Materials given as a file type the item does not accept for them (material code →
    the type found in the attachment's bytes)."""
    accepted = {material.code: material.accepted_types for material in item.materials}
    return {
        f"attachments.{code}": ["附件格式不正确,该材料不接受此类文件"]
        for code, content_type in content_types.items()
        if content_type not in accepted.get(code, ())
    }
