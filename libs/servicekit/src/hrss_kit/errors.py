"""Translate a service's domain errors into catalogue errors, once, at the entrypoint."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from marshmallow import ValidationError

from hrss_contracts.errors import CatalogueError

Translation = Callable[[Exception], CatalogueError]


def field_errors(messages: Any) -> dict[str, list[str]]:
    """marshmallow's messages as ``{field: [message, …]}`` (nested fields joined by dots)."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), value)
        elif isinstance(node, list) and all(isinstance(m, str) for m in node):
            flat.setdefault(prefix or "_schema", []).extend(node)
        elif isinstance(node, list):
            for item in node:
                walk(prefix, item)
        else:
            flat.setdefault(prefix or "_schema", []).append(str(node))

    walk("", messages)
    return flat


def validation_failed(exc: Exception) -> CatalogueError:
    assert isinstance(exc, ValidationError)
    return CatalogueError("VALIDATION_FAILED", fields=field_errors(exc.messages))


def translate_errors(table: dict[type[Exception], Translation]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate entrypoints: an exception whose type is in ``table`` (or a subclass) leaves as
    the catalogue error it maps to; ``ValidationError`` always leaves as VALIDATION_FAILED."""
    full: dict[type[Exception], Translation] = {ValidationError: validation_failed, **table}

    def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except tuple(full) as exc:
                for kind, translate in full.items():
                    if isinstance(exc, kind):
                        raise translate(exc) from exc
                raise

        return wrapper

    return decorator
