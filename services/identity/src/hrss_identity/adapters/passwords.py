"""argon2id password hashes, computed off the eventlet hub.

Parameters: m = 19 MiB, t = 2, p = 1, OWASP's minimum for argon2id (its configurations are
rated equally strong; this one costs least per hash), stated and overridable in config
(``ARGON2_MEMORY_KIB``, ``ARGON2_TIME_COST``, ``ARGON2_PARALLELISM``). Measured by
``bench/argon2_params.py`` on the project's 2-core machine, shared with other work: 35–39
hashes/s on one thread (26–28 ms a hash), against 5–7 hashes/s (139–185 ms) for argon2-cffi's
defaults (m = 64 MiB, t = 3, p = 4), which the service used before. A hash made with other parameters
is rehashed at the next successful login (``verify_and_update``).

A hash still takes tens of milliseconds of CPU; inline, it would stall every worker of the
process. ``eventlet.tpool`` runs it in a real OS thread (argon2-cffi releases the GIL), so the
other workers go on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher as Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError
from eventlet import tpool

from hrss_identity.service_layer.ports import PasswordHasher

# OWASP's equally strong argon2id configurations: (memory in KiB, passes), parallelism 1.
OWASP_MINIMUMS = ((47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5))


@dataclass(frozen=True)
class Argon2Parameters:
    memory_kib: int = 19 * 1024
    time_cost: int = 2
    parallelism: int = 1

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Argon2Parameters:
        parameters = cls(
            int(config.get("ARGON2_MEMORY_KIB", cls.memory_kib)),
            int(config.get("ARGON2_TIME_COST", cls.time_cost)),
            int(config.get("ARGON2_PARALLELISM", cls.parallelism)),
        )
        if not parameters.at_owasps_minimum:
            at_least = ", ".join(f"m={memory} KiB t={passes}" for memory, passes in OWASP_MINIMUMS)
            raise ValueError(f"argon2id parameters {parameters} are below OWASP's minimum: at least one of {at_least}")
        return parameters

    @property
    def at_owasps_minimum(self) -> bool:
        """At or above one of ``OWASP_MINIMUMS``."""
        return self.parallelism >= 1 and any(
            self.memory_kib >= memory and self.time_cost >= passes for memory, passes in OWASP_MINIMUMS
        )


class Argon2Hasher(PasswordHasher):
    def __init__(self, parameters: Argon2Parameters = Argon2Parameters()) -> None:
        self.parameters = parameters
        self._argon2 = Argon2(
            time_cost=parameters.time_cost,
            memory_cost=parameters.memory_kib,
            parallelism=parameters.parallelism,
            type=Type.ID,
        )

    def hash(self, password: str) -> str:
        return str(tpool.execute(self._argon2.hash, password))

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return bool(tpool.execute(self._argon2.verify, password_hash, password))
        except (VerificationError, InvalidHashError):
            return False

    def verify_and_update(self, password_hash: str, password: str) -> tuple[bool, str | None]:
        """For login (a later issue); used by nothing but tests so far."""
        if not self.verify(password_hash, password):
            return False, None
        if self._argon2.check_needs_rehash(password_hash):
            return True, self.hash(password)
        return True, None
