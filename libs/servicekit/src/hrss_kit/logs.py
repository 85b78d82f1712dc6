"""JSON logs: one object per line with the nameko call id; ID numbers never reach a log.

``CallIdLogging`` (a dependency provider) puts the worker's call id into a context variable
for the worker's green thread; ``JsonFormatter`` writes it with every record.
"""

from __future__ import annotations

import contextvars
import json
import logging
from datetime import UTC, datetime
from typing import Any

from nameko.extensions import DependencyProvider

from hrss_contracts.masking import mask_id_numbers_in_text

call_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("call_id", default=None)


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "message": mask_id_numbers_in_text(record.getMessage()),
        }
        current = call_id.get()
        if current:
            entry["call_id"] = current
        # nameko logs an expected exception (a refusal the caller is told of) with its
        # traceback; the outcome is the message, the traceback only noise.
        if record.exc_info and not record.getMessage().startswith("(expected)"):
            entry["exception"] = mask_id_numbers_in_text(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class CallIdLogging(DependencyProvider):  # type: ignore[misc]
    """Tags every log line a worker writes with its nameko call id (``service.method.uuid``);
    also installs the green-thread dump on SIGUSR1 (``hrss_kit.debug``)."""

    def setup(self) -> None:
        from hrss_kit import debug

        debug.install()

    def worker_setup(self, worker_ctx: Any) -> None:
        call_id.set(worker_ctx.call_id)

    def worker_teardown(self, worker_ctx: Any) -> None:
        call_id.set(None)
