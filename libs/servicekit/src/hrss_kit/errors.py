"""Translate a service's domain errors into catalogue errors, once, at the entrypoint."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from marshmallow import ValidationError

from hrss_contracts.errors import CatalogueError
from hrss_contracts.schema import field_errors

__all__ = ["field_errors", "translate_errors", "validation_failed"]

Translation = Callable[[Exception], CatalogueError]


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
