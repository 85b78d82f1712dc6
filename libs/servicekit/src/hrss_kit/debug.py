"""``kill -USR1 <pid>`` makes a service log the stack of every green thread: what each worker
is waiting for, when a service stops answering."""

from __future__ import annotations

import gc
import logging
import signal
import traceback
from typing import Any

import greenlet

log = logging.getLogger(__name__)


def dump_green_threads(*_: Any) -> None:
    stacks = [
        "".join(traceback.format_stack(obj.gr_frame))
        for obj in gc.get_objects()
        if isinstance(obj, greenlet.greenlet) and obj.gr_frame is not None
    ]
    log.warning("%d green threads:\n%s", len(stacks), "\n---\n".join(stacks))


def install() -> None:
    signal.signal(signal.SIGUSR1, dump_green_threads)
