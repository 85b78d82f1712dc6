"""What QR login (``qr_login``) needs from outside: its sessions' store, the e-SSC's
signature check, and the guard against replayed and flooding assertions."""

from __future__ import annotations

import abc
from dataclasses import dataclass

from hrss_contracts.id_documents import RESIDENT_ID
from hrss_identity.domain.qr import QrSession


class QrSessions(abc.ABC):
    """QR login sessions, shared by every replica; each change is announced to waiting browsers."""

    @abc.abstractmethod
    def create(self, session: QrSession) -> None: ...

    @abc.abstractmethod
    def get(self, qr_id: str) -> QrSession | None:
        """None when unknown, or gone some time after it ended."""

    @abc.abstractmethod
    def replace(self, old: QrSession, new: QrSession, handed_out: bool = False) -> bool:
        """Store ``new`` if the session is still at ``old.version`` (then announce it), marked as
        handed out when asked; False (nothing written) when somebody changed it first."""

    @abc.abstractmethod
    def claim_handout(self, qr_id: str) -> bool:
        """True once: the caller opens the user session and hands its token out."""

    @abc.abstractmethod
    def polled(self, qr_id: str, now: float, interval: float) -> bool:
        """Record a poll without waiting; False when the last was less than ``interval`` ago."""


@dataclass(frozen=True)
class Assertion:
    """What the e-SSC platform vouched for, its signature checked."""

    qr_id: str
    act: str  # scan, confirm, cancel
    id_number: str
    name: str
    jti: str
    accepted_until: float  # the last moment the verifier takes it (its exp, plus the clock skew allowed)
    id_type: str = RESIDENT_ID  # 证件类型 of id_number


class EsscVerifier(abc.ABC):
    @abc.abstractmethod
    def verify(self, assertion: str, now: float) -> Assertion:
        """The checked claims; ``InvalidAssertion`` for anything not signed by the e-SSC's key,
        with another algorithm, expired, not yet valid, or missing a claim."""


class AssertionGuard(abc.ABC):
    """Replays and floods of (validly signed) assertions."""

    @abc.abstractmethod
    def admit(self, qr_id: str, person: str, jti: str, until: float, now: float) -> None:
        """Count the assertion against the session's and the person's allowances, then take its
        ``jti`` (remembered until ``until``): ``AssertionsExceeded`` past an allowance (its
        ``jti`` not taken), ``AssertionReplayed`` if the ``jti`` was seen before."""
