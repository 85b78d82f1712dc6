"""Registrations at a steady rate, whatever the platform does: each request is sent on time
from a thread of its own (an open loop, so a slow or dead platform does not slow the load),
on a new connection, and its outcome recorded with the phase it was sent in."""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import requests

from hrss_contracts.examples import random_id_number, random_uscc

REGISTRATIONS = "/api/v1/registrations"
CONNECT_TIMEOUT, READ_TIMEOUT = 5.0, 20.0  # the gateway's own RPC timeout is 15 s
# One cycle of 20 requests: 15 new enterprises (one with a password, so argon2 runs in the
# mix), 2 codes no source knows (422), 1 mismatched legal representative (422), 1 repeat of a
# registered code (409) and 1 malformed request (400).
CYCLE = ("new",) * 6 + ("password",) + ("new",) * 8 + ("unknown", "unknown", "mismatch", "repeat", "malformed")


@dataclass
class Outcome:
    kind: str
    uscc: str
    phase: str
    started: float
    ended: float = 0.0
    status: int | None = None  # None: no answer (see ``error``)
    code: str = ""  # the catalogue code of an error answer
    error: str = ""  # "connection" (refused or dropped) or "timeout"


@dataclass
class Load:
    base_url: str
    records: deque[dict]  # enterprises the sources know, each registered once
    rate: float
    phase: str = "start"
    outcomes: list[Outcome] = field(default_factory=list)
    registered: list[dict] = field(default_factory=list)  # applications answered 201, to repeat
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=int(self.rate * (READ_TIMEOUT + CONNECT_TIMEOUT)) + 20)
        self._thread = threading.Thread(target=self._send_on_time, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._pool.shutdown(wait=True)  # every request answered or timed out

    def _send_on_time(self) -> None:
        began = time.monotonic()
        for n, kind in enumerate(itertools.cycle(CYCLE)):
            delay = began + n / self.rate - time.monotonic()
            if self._stop.wait(max(0.0, delay)):
                return
            self._pool.submit(self._one, *self._request(kind))

    def _request(self, kind: str) -> tuple[str, dict]:
        if kind == "repeat" and self.registered:
            return kind, self.registered[len(self.registered) // 2]
        if kind in ("new", "password", "mismatch") and self.records:
            record = self.records.popleft()
            body = _application(record["uscc"], record["name"], record["legal_rep_name"], record["legal_rep_id"])
            if kind == "password":
                body["password"] = "faults-password-1"
            elif kind == "mismatch":
                body["legal_rep_name"] = "别的人"
            return kind, body
        if kind == "malformed":
            return kind, {"uscc": random_uscc(), "name": "格式错误"}
        return "unknown", _application(random_uscc(), "无人知晓的公司", "某人", random_id_number())

    def _one(self, kind: str, body: dict) -> None:
        outcome = Outcome(kind, body["uscc"], self.phase, time.monotonic())
        try:
            response = requests.post(
                self.base_url + REGISTRATIONS,
                json=body,
                headers={"Connection": "close"},
                timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
            )
            outcome.status = response.status_code
            if response.status_code == 201:
                self.registered.append(body)
            else:
                outcome.code = _code(response)
        except requests.Timeout:
            outcome.error = "timeout"
        except requests.RequestException as exc:
            outcome.error = f"connection: {type(exc).__name__}"
        outcome.ended = time.monotonic()
        self.outcomes.append(outcome)


def _application(uscc: str, name: str = "", rep: str = "", rep_id: str = "") -> dict:
    return {"uscc": uscc, "name": name, "legal_rep_name": rep, "legal_rep_id": rep_id, "phone": "13900000001"}


def _code(response: requests.Response) -> str:
    try:
        return str(response.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return response.text[:80]


class Health:
    """``/healthz`` polled twice a second: (time, ok) pairs."""

    def __init__(self, base_url: str) -> None:
        self.base_url, self.samples = base_url, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._stop.wait(0.5):
            try:
                ok = requests.get(self.base_url + "/healthz", timeout=3).status_code == 200
            except requests.RequestException:
                ok = False
            self.samples.append((time.monotonic(), ok))

    def ok_since(self, since: float) -> bool:
        """The last sample, taken after ``since``, was healthy."""
        recent = [ok for at, ok in self.samples if at >= since]
        return bool(recent) and recent[-1]

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
