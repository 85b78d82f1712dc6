"""Fault injection for ``make faults`` (``bench/faults``); inert unless its variable is set.

``make faults`` kills a relay *between* publishing a batch and marking it published: the one
moment that proves a consumer given the same event twice applies it once. No signal sent from
outside hits that moment reliably, so the relay calls ``after_publish`` there. When the
environment names a directory in ``HRSS_FAULT_KILL_RELAY_DIR`` and it holds a file named after
the relay's source (``enterprise``), the process removes the file (so only one process of
the service dies, and once) and kills itself with SIGKILL. Nothing sets the variable outside
the fault bench.
"""

from __future__ import annotations

import os
import signal

KILL_RELAY_DIR = "HRSS_FAULT_KILL_RELAY_DIR"


def after_publish(source: str) -> None:
    """Called by the relay once a batch of ``source``'s events is confirmed, before it is marked."""
    directory = os.environ.get(KILL_RELAY_DIR)
    if not directory:
        return
    try:
        os.unlink(os.path.join(directory, source))
    except FileNotFoundError:
        return
    os.kill(os.getpid(), signal.SIGKILL)
