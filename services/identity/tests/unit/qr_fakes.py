"""In-memory QR login ports: sessions with the store's compare-and-set, an e-SSC verifier that
reads assertions written as JSON (the real one's signature checks are tested on their own), and
the assertion guard."""

from __future__ import annotations

import json
from dataclasses import replace

from hrss_identity.domain.errors import AssertionReplayed, AssertionsExceeded, InvalidAssertion
from hrss_identity.domain.qr import QrSession
from hrss_identity.service_layer.qr_ports import Assertion, AssertionGuard, EsscVerifier, QrSessions


class FakeQrSessions(QrSessions):
    def __init__(self) -> None:
        self.rows: dict[str, QrSession] = {}
        self.handed_out: set[str] = set()
        self.polls: dict[str, float] = {}
        self.announced: list[str] = []

    def create(self, session: QrSession) -> None:
        self.rows[session.qr_id] = session

    def get(self, qr_id: str) -> QrSession | None:
        return self.rows.get(qr_id)

    def replace(self, old: QrSession, new: QrSession, handed_out: bool = False) -> bool:
        current = self.rows.get(old.qr_id)
        if current is None or current.version != old.version:
            return False
        self.rows[old.qr_id] = replace(new, version=old.version + 1)
        if handed_out:
            self.handed_out.add(old.qr_id)
        self.announced.append(old.qr_id)
        return True

    def claim_handout(self, qr_id: str) -> bool:
        if qr_id in self.handed_out:
            return False
        self.handed_out.add(qr_id)
        return True

    def polled(self, qr_id: str, now: float, interval: float) -> bool:
        last = self.polls.get(qr_id)
        if last is not None and now - last < interval:
            return False
        self.polls[qr_id] = now
        return True


class FakeVerifier(EsscVerifier):
    """An assertion is the JSON of its claims; ``{"forged": true}`` fails as a bad signature would."""

    def verify(self, assertion: str, now: float) -> Assertion:
        claims = json.loads(assertion)
        if claims.get("forged") or claims["exp"] <= now:
            raise InvalidAssertion("forged or expired")
        return Assertion(
            claims["qr"],
            claims["act"],
            claims["sub"],
            claims["name"],
            claims["jti"],
            claims["exp"] + 30,
            claims.get("id_type", "resident_id"),
        )


class FakeGuard(AssertionGuard):
    def __init__(self, per_session: int = 10) -> None:
        self.used: set[str] = set()
        self.per_session = per_session
        self.counts: dict[str, int] = {}

    def admit(self, qr_id: str, person: str, jti: str, until: float, now: float) -> None:
        self.counts[qr_id] = self.counts.get(qr_id, 0) + 1
        if self.counts[qr_id] > self.per_session:
            raise AssertionsExceeded()
        if jti in self.used:
            raise AssertionReplayed()
        self.used.add(jti)
