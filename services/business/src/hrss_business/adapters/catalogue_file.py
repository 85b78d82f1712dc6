"""The catalogue's data file: read, checked against its JSON Schema, turned into the domain's
``Catalogue``. A bad file is ``CatalogueFileInvalid`` naming every problem (where, what), so a
service that cannot serve its catalogue does not start."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from hrss_business.domain.model import BusinessItem, Catalogue, Guide, Material

PACKAGED = "catalogue/items.json"
SCHEMA = "catalogue/catalogue.schema.json"


class CatalogueFileInvalid(Exception):
    """The file cannot be the catalogue; the message lists each problem."""


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """The catalogue in ``path``, or the one packaged with the service."""
    where = str(path) if path else f"hrss_business/{PACKAGED}"
    try:
        text = Path(path).read_text(encoding="utf-8") if path else _packaged(PACKAGED)
        data = json.loads(text)
    except (OSError, UnicodeError, ValueError) as exc:
        raise CatalogueFileInvalid(f"catalogue {where}: cannot be read as JSON: {exc}") from exc
    problems = _problems(data)
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems[:20])
        more = f"\n  (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        raise CatalogueFileInvalid(f"catalogue {where} is not valid:\n{listed}{more}")
    return Catalogue([_item(raw) for raw in data])


def _problems(data: Any) -> list[str]:
    schema = json.loads(_packaged(SCHEMA))
    problems = [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(file)'}: {error.message}"
        for error in sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    ]
    if problems:
        return problems
    seen: set[str] = set()
    for index, raw in enumerate(data):
        if raw["code"] in seen:
            problems.append(f"{index}/code: {raw['code']!r} is given twice")
        seen.add(raw["code"])
        materials = [m["code"] for m in raw["materials"]]
        if len(materials) != len(set(materials)):
            problems.append(f"{index}/materials: a material code is given twice")
        try:
            Draft202012Validator.check_schema(raw["form"])
        except SchemaError as exc:
            problems.append(f"{index}/form: not a JSON Schema (Draft 2020-12): {exc.message}")
    return problems


def _item(raw: dict[str, Any]) -> BusinessItem:
    return BusinessItem(
        code=raw["code"],
        name=raw["name"],
        category=raw["category"],
        online=raw["online"],
        insurance_types=tuple(raw["insurance_types"]),
        guide=Guide(**raw["guide"]),
        materials=tuple(
            Material(m["code"], m["name"], m["required"], tuple(m["accepted_types"])) for m in raw["materials"]
        ),
        form=raw["form"],
    )


def _packaged(name: str) -> str:
    return resources.files("hrss_business").joinpath(name).read_text(encoding="utf-8")
