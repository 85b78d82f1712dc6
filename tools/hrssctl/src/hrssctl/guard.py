"""One platform at a time: a lock on the var directory, and a free gateway port.

Both are checked before anything is migrated or started, so a second ``make run`` leaves
the live platform untouched. The port is checked by binding it without SO_REUSEPORT: the
gateway listens *with* it (eventlet's ``listen`` sets it, and gateway replicas rely on it),
so a second gateway would bind beside the first without a word.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import socket
from pathlib import Path
from typing import IO


class AlreadyRunning(Exception):
    """Another platform (or another program) holds what this run needs; the text says which."""


class RunLock:
    """An exclusive ``flock`` on ``var/run.lock`` for as long as the runner lives.

    The kernel drops it when the runner's process ends, SIGKILL included, so a stale file
    never blocks the next run. Children do not inherit it (Python opens files close-on-exec).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None

    def acquire(self, port: int) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = _read_holder(handle.read())
            handle.close()
            raise AlreadyRunning(
                f"the platform is already running (pid {holder.get('pid', '?')}, gateway port "
                f"{holder.get('port', '?')}, files in {self.path.parent}); stop it first (Ctrl-C in its terminal)"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "port": port}))
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the flock
            self._file = None


def _read_holder(text: str) -> dict[str, object]:
    with contextlib.suppress(ValueError):
        holder = json.loads(text)
        if isinstance(holder, dict):
            return holder
    return {}


def check_port_free(host: str, port: int) -> None:
    """Raise ``AlreadyRunning`` naming the port if anything listens on ``host:port``."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        # SO_REUSEADDR (not PORT): a port whose last connections linger in TIME_WAIT is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                raise AlreadyRunning(
                    f"port {port} on {host} is already in use (another platform, or another program); "
                    f"stop it, or set GATEWAY_PORT to another port"
                ) from None
            raise
