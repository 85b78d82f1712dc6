"""argon2id password hashes, computed off the eventlet hub.

An argon2 hash takes ~190 ms of CPU at the library's defaults; inline, it would stall every
worker of the process. ``eventlet.tpool`` runs it in a real OS thread (argon2-cffi releases
the GIL), so the other workers go on.
"""

from __future__ import annotations

from argon2 import PasswordHasher as Argon2
from argon2.exceptions import InvalidHashError, VerificationError
from eventlet import tpool

from hrss_identity.service_layer.ports import PasswordHasher


class Argon2Hasher(PasswordHasher):
    def __init__(self) -> None:
        self._argon2 = Argon2()  # argon2id, RFC 9106 low-memory defaults

    def hash(self, password: str) -> str:
        return str(tpool.execute(self._argon2.hash, password))

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return bool(tpool.execute(self._argon2.verify, password_hash, password))
        except (VerificationError, InvalidHashError):
            return False
