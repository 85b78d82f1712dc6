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
# The formats a form may use: the platform's check-digit validators and calendar dates.
KNOWN_FORMATS = frozenset({"date", "date-time", "gb32100-uscc", "gb11643-id-number"})
SCHEMA = "catalogue/catalogue.schema.json"


class CatalogueFileInvalid(Exception):
    """The file cannot be the catalogue; the message lists each problem."""


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """The catalogue in ``path``, or the one packaged with the service."""
    where = str(path) if path else f"hrss_business/{PACKAGED}"
    try:
        text = Path(path).read_text(encoding="utf-8") if path else _packaged(PACKAGED)
        data = json.loads(text)
    except (OSError, UnicodeError, ValueError, RecursionError) as exc:
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
        f"{'/'.join(str(p) for p in error.absolute_path) or '(file)'}: {_short(error.message)}"
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
            problems.append(f"{index}/form: not a JSON Schema (Draft 2020-12): {_short(exc.message)}")
            continue
        problems.extend(f"{index}/form{where}" for where in _form_problems(raw["form"]))
    return problems


def _form_problems(node: Any, path: str = "") -> list[str]:
    """What a valid JSON Schema may still get wrong as a form: a ``format`` no validator knows
    (a typo would silently drop a check), a required field that is not a property, a ``$ref``."""
    found: list[str] = []
    if isinstance(node, dict):
        if "$ref" in node:
            found.append(f"{path}: $ref is not used in forms (write the schema out)")
        if "format" in node and node["format"] not in KNOWN_FORMATS:
            found.append(f"{path}/format: {node['format']!r} is not one of {sorted(KNOWN_FORMATS)}")
        missing = set(node.get("required", [])) - set(node.get("properties", {}))
        if isinstance(node.get("properties"), dict) and missing:
            found.append(f"{path}/required: {sorted(missing)} are not properties")
        for key, value in node.items():
            found.extend(_form_problems(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_form_problems(value, f"{path}/{index}"))
    return found


def _short(message: str) -> str:
    """jsonschema quotes the offending value whole; a catalogue's subtree is no log line."""
    return message if len(message) <= 200 else message[:200] + "…"


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
