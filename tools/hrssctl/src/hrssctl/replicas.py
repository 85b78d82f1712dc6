"""``--replicas identity=2,enterprise=2,gateway=2``: how many processes of each to run."""

from __future__ import annotations

import argparse

# What `hrssctl platform run` starts, in order; the gateway last, as it calls the others.
PROCESSES = ("enterprise", "identity", "authorization", "business", "gateway")


def parse_replicas(text: str) -> dict[str, int]:
    """``"identity=2,gateway=3"`` → ``{"identity": 2, "gateway": 3}``; an argparse ``type``."""
    counts: dict[str, int] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = item.partition("=")
        name = name.strip()
        if name not in PROCESSES:
            raise argparse.ArgumentTypeError(f"unknown service {name!r} (known: {', '.join(PROCESSES)})")
        try:
            count = int(value) if sep else 0
        except ValueError:
            count = 0
        if count < 1:
            raise argparse.ArgumentTypeError(f"{item!r}: the count must be a whole number of at least 1")
        if name in counts:
            raise argparse.ArgumentTypeError(f"{name!r} is given twice")
        counts[name] = count
    if not counts:
        raise argparse.ArgumentTypeError("expected SERVICE=COUNT[,SERVICE=COUNT...], e.g. identity=2,gateway=2")
    return counts
