"""``hrssctl sources import --source S FILE``: JSON Lines into the enterprise service."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from hrss_kit.rpc_client import StandaloneRpc

BATCH = 500


def read_batches(path: Path) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """Per batch: ``{"line", "record"}`` items, and refusals for lines that are not JSON."""
    batch: list[dict[str, Any]] = []
    broken: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                batch.append({"line": number, "record": json.loads(line)})
            except ValueError as exc:
                broken.append({"line": number, "uscc": None, "reason": f"not JSON: {exc}"})
            if len(batch) >= BATCH:
                yield batch, broken
                batch, broken = [], []
    if batch or broken:
        yield batch, broken


def import_file(rpc: StandaloneRpc, source: str, path: Path, out: TextIO = sys.stdout) -> dict[str, Any]:
    """Send the file in batches; print and return the counts and every refusal."""
    totals: dict[str, Any] = {"added": 0, "updated": 0, "unchanged": 0, "refused": []}
    enterprise = rpc.service("enterprise", timeout=120)
    for batch, broken in read_batches(path):
        report = enterprise.import_sources(source=source, records=batch) if batch else {"refused": []}
        for key in ("added", "updated", "unchanged"):
            totals[key] += report.get(key, 0)
        totals["refused"] += broken + report["refused"]
    totals["refused"].sort(key=lambda r: r["line"])
    print(
        f"{source}: {totals['added']} added, {totals['updated']} updated, {totals['unchanged']} unchanged, "
        f"{len(totals['refused'])} refused",
        file=out,
    )
    for refusal in totals["refused"]:
        print(f"  line {refusal['line']} ({refusal['uscc'] or '-'}): {refusal['reason']}", file=out)
    return totals
