"""Errors of an RPC call, as the caller sees them: no answer in time (503), a catalogue
error rebuilt from the reply, or an unexpected error inside the called service (500)."""

from __future__ import annotations

from typing import Any

from hrss_contracts.errors import CATALOGUE, CatalogueError


class RpcTimeout(CatalogueError):
    """The service did not answer in time, or no such service is running (503)."""

    def __init__(self, service: str = "", method: str = "") -> None:
        super().__init__("SERVICE_UNAVAILABLE", params={})
        self.service, self.method = service, method

    def __str__(self) -> str:
        return f"SERVICE_UNAVAILABLE: {self.service}.{self.method} did not answer"


class RemoteError(Exception):
    """An unexpected exception inside the called service (a bug there: 500 here)."""


# Exceptions that cross RPC as themselves: ``args`` are ``(code, fields, params, details)``
# (a peer of an older release sends the first three).
# (``hrss_kit.rpc.RpcTimeout`` is where a peer of an older release raised it from.)
CATALOGUE_ERROR_PATHS = {
    "hrss_contracts.errors.CatalogueError",
    "hrss_kit.rpc_errors.RpcTimeout",
    "hrss_kit.rpc.RpcTimeout",
}


def rebuild_error(error: dict[str, Any]) -> Exception:
    """Turn nameko's serialised exception back into the exception the caller can handle."""
    if error.get("exc_path") in CATALOGUE_ERROR_PATHS:
        code, fields, params, details = (list(error.get("exc_args") or []) + [None, None, None, None])[:4]
        if code in CATALOGUE:  # a code from a newer catalogue than ours is an unknown error
            return CatalogueError(code, fields, params, details)
    return RemoteError(f"{error.get('exc_type')}: {error.get('value')}")
