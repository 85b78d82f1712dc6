"""Ctrl-C and SIGTERM as the runner takes them.

The first stops the platform (``KeyboardInterrupt`` wherever the runner is: migrating,
waiting for health, importing the demo data, supervising), except inside a ``deferred()``
block, where it takes effect as the block ends, so a child is never half-started and
unknown. Any later one makes the stop hurry: stragglers get SIGKILL at once.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopSignals:
    def __init__(self) -> None:
        self.stopping = False
        self.hurry = False
        self._deferring = False
        self._pending = False

    def _handle(self, _signum: int, _frame: FrameType | None) -> None:
        if self.stopping:
            self.hurry = True
        elif self._deferring:
            self._pending = True
        else:
            self.stopping = True
            raise KeyboardInterrupt

    @contextmanager
    def installed(self) -> Iterator[None]:
        previous = {sig: signal.signal(sig, self._handle) for sig in STOP_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    @contextmanager
    def deferred(self) -> Iterator[None]:
        self._deferring = True
        try:
            yield
        finally:
            self._deferring = False
        if self._pending and not self.stopping:
            self.stopping = True
            raise KeyboardInterrupt
