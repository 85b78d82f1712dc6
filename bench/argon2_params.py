"""argon2id: hashes per second of one core for candidate parameter sets (identity's password hasher).

    .venv/bin/python bench/argon2_params.py [--seconds 3]

Each set hashes a 16-character password in a loop on one thread for ``--seconds`` and prints
hashes/s and ms per hash. OWASP's minimum for argon2id is m = 19 MiB, t = 2, p = 1; the library's
default (RFC 9106 "low memory") is m = 64 MiB, t = 3, p = 4. argon2-cffi releases the GIL, so a
hash costs one core for its duration whatever ``p`` is on this build (lanes run in one thread
unless the library was built with threads); the figure is what one identity worker's tpool
thread does, and what a caller can make the service spend per password-bearing request.
"""

from __future__ import annotations

import argparse
import time

from argon2 import PasswordHasher, Type

# (label, memory KiB, time cost, parallelism)
CANDIDATES = [
    ("OWASP minimum", 19 * 1024, 2, 1),
    ("OWASP alt. m=46MiB t=1", 46 * 1024, 1, 1),
    ("m=32MiB t=2 p=1", 32 * 1024, 2, 1),
    ("m=46MiB t=2 p=1", 46 * 1024, 2, 1),
    ("argon2-cffi default m=64MiB t=3 p=4", 64 * 1024, 3, 4),
]


def rate(memory_kib: int, time_cost: int, parallelism: int, seconds: float) -> float:
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID)
    hasher.hash("warm-up-password")
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        hasher.hash("a-good-password!")
        done += 1
    return done / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    print("| parameters | m (MiB) | t | p | hashes/s (one thread) | ms per hash |")
    print("|---|---|---|---|---|---|")
    for label, memory_kib, time_cost, parallelism in CANDIDATES:
        per_second = rate(memory_kib, time_cost, parallelism, args.seconds)
        print(
            f"| {label} | {memory_kib // 1024} | {time_cost} | {parallelism} "
            f"| {per_second:.1f} | {1000 / per_second:.1f} |"
        )


if __name__ == "__main__":
    main()
