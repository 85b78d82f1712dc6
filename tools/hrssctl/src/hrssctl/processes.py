"""Starting the platform's processes so that none can outlive the runner."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping

from hrssctl.supervisor import Child

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that has the kernel SIGKILL the child when the runner dies, however it
    dies (SIGKILL included, which no handler of ours could see). Linux only; elsewhere None.

    SIGKILL rather than SIGTERM: a child left without its runner must not depend on its own
    stop working. The death signal is kept across ``exec`` and sent when the thread that
    forked the child ends, so children are only ever started from the main thread.
    """
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before the fork, not after
    parent = os.getpid()

    def preexec() -> None:
        if prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            os._exit(126)
        if os.getppid() != parent:  # the runner died between fork and prctl
            os._exit(126)

    return preexec


def spawn(child: Child, env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    """Start ``child`` with its output appended to its log, in a session of its own.

    A session of its own: a Ctrl-C at the terminal reaches only the runner, which sends each
    child exactly one SIGTERM (two stop signals make nameko stop twice over, slowly).
    """
    child.log.parent.mkdir(parents=True, exist_ok=True)
    with child.log.open("ab") as log:
        return subprocess.Popen(
            child.command,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent(),  # safe: the runner has no other threads
        )
