"""The gateway's one table from exception to HTTP status and catalogue code."""

from __future__ import annotations

import logging

from marshmallow import ValidationError

from hrss_contracts.errors import CatalogueError
from hrss_contracts.schema import field_errors
from hrss_kit.errors import is_unavailable
from hrss_kit.rpc import RemoteError

log = logging.getLogger(__name__)


class MalformedJson(Exception):
    """The body is not a JSON object."""


class BodyTooLarge(Exception):
    """The body is larger than ``MAX_BODY_BYTES``."""


class BodyNotReceived(Exception):
    """The body did not arrive before the request's deadline (``HTTP_REQUEST_TIMEOUT``), or
    the client went away while sending it."""


class RouteNotFound(Exception):
    pass


class MethodNotAllowed(Exception):
    pass


class RateLimited(CatalogueError):
    """A 429: ``retry_after`` is how many seconds until the client may try again."""

    def __init__(self, code: str, retry_after: int) -> None:
        super().__init__(code)
        self.retry_after = max(1, int(retry_after))


# Exception type → catalogue code. A CatalogueError (also one rebuilt from an RPC reply)
# carries its own code; anything not named here is a bug and answers INTERNAL_ERROR.
ERROR_CODES: dict[type[Exception], str] = {
    ValidationError: "VALIDATION_FAILED",
    MalformedJson: "MALFORMED_REQUEST",
    BodyTooLarge: "PAYLOAD_TOO_LARGE",
    BodyNotReceived: "REQUEST_TIMEOUT",
    RouteNotFound: "NOT_FOUND",
    MethodNotAllowed: "METHOD_NOT_ALLOWED",
    RemoteError: "INTERNAL_ERROR",
}


# What the client is told of as an outcome rather than logged as a fault.
CLIENT_ERRORS: tuple[type[Exception], ...] = (
    CatalogueError,
    ValidationError,
    MalformedJson,
    BodyTooLarge,
    BodyNotReceived,
)


def as_catalogue_error(exc: Exception) -> CatalogueError:
    if isinstance(exc, CatalogueError):
        return exc
    for kind, code in ERROR_CODES.items():
        if isinstance(exc, kind):
            fields = field_errors(exc.messages) if isinstance(exc, ValidationError) else None
            if code == "INTERNAL_ERROR":
                log.error("error in a service behind the gateway: %s", exc)
            return CatalogueError(code, fields=fields)
    if is_unavailable(exc):  # Redis (the rate limits) or the broker, in the gateway itself
        log.warning("unavailable infrastructure in the gateway: %s: %s", type(exc).__name__, exc)
        return CatalogueError("SERVICE_UNAVAILABLE")
    log.error("unexpected error in the gateway", exc_info=exc)
    return CatalogueError("INTERNAL_ERROR")
