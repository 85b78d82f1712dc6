"""QR login sessions (扫码登录, manual 2.1.2, 3.1.1, 4) and the e-SSC's reports on them.

A browser opens a session for a role; the e-SSC app scans its code (``scan``), and the holder
confirms (``confirm``) or cancels (``cancel``). On confirm the person's enterprises in that
role decide: none is ``rejected`` (5.2.2.1, 5.2.2.2), one is ``authenticated``, several ask the
browser to pick (``select_enterprise``). A session lives ``LIFETIME`` seconds.

The transitions here are pure: each returns the next state of the session or raises. The store
applies one only if nobody changed the session since it was read (``version``), so of two
racing confirms exactly one wins.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from hrss_contracts.id_documents import RESIDENT_ID

LIFETIME = 120  # seconds
POLL_INTERVAL = 2  # seconds between two polls without ``wait`` (RFC 8628's interval)

PENDING, SCANNED, SELECT_ENTERPRISE = "pending", "scanned", "select_enterprise"
AUTHENTICATED, CANCELLED, EXPIRED, REJECTED = "authenticated", "cancelled", "expired", "rejected"
FINAL = frozenset({AUTHENTICATED, CANCELLED, EXPIRED, REJECTED})


class QrSessionClosed(Exception):
    """The session is over (or never reached the state the report needs)."""


class ScannedByAnother(Exception):
    """Somebody else scanned this code first."""


@dataclass(frozen=True)
class Person:
    """The e-SSC's holder: document (``id_type``, 证件类型, and ``id_number``) and name, as the
    e-SSC platform vouches for them."""

    id_number: str
    name: str
    id_type: str = RESIDENT_ID


@dataclass(frozen=True)
class Choice:
    """An enterprise the person may log in to in the session's role."""

    uscc: str
    name: str
    account_id: str


@dataclass(frozen=True)
class QrSession:
    qr_id: str
    role: str
    binding_hash: str
    expires_at: float
    version: int = 0
    status: str = PENDING
    person: Person | None = None
    choices: tuple[Choice, ...] = ()
    error: str | None = None  # the catalogue code of a rejection

    def status_at(self, now: float) -> str:
        return EXPIRED if self.status not in FINAL and now >= self.expires_at else self.status

    def _open(self, now: float) -> None:
        if self.status_at(now) in FINAL:
            raise QrSessionClosed()

    def scanned(self, person: Person, now: float) -> QrSession:
        self._open(now)
        if self.status == PENDING:
            return replace(self, status=SCANNED, person=person)
        if self.person == person and self.status == SCANNED:
            return self  # the app reported its scan twice
        raise ScannedByAnother() if self.person != person else QrSessionClosed()

    def confirmed(self, person: Person, choices: list[Choice], rejection: str, now: float) -> QrSession:
        """``choices``: the person's enterprises in this role; ``rejection``: the code if none."""
        self.check_confirmable(person, now)
        if not choices:
            return replace(self, status=REJECTED, error=rejection)
        if len(choices) == 1:
            return replace(self, status=AUTHENTICATED, choices=tuple(choices))
        return replace(self, status=SELECT_ENTERPRISE, choices=tuple(choices))

    def check_confirmable(self, person: Person, now: float) -> None:
        """Raises unless ``person`` may confirm now (before anyone looks up their enterprises)."""
        self._open(now)
        if self.status == PENDING:
            raise QrSessionClosed()  # a confirm comes after its scan
        if self.person != person:
            raise ScannedByAnother()
        if self.status != SCANNED:
            raise QrSessionClosed()

    def cancelled(self, person: Person, now: float) -> QrSession:
        self._open(now)
        if self.person is not None and self.person != person:
            raise ScannedByAnother()
        return replace(self, status=CANCELLED)

    def selected(self, uscc: str, now: float) -> tuple[QrSession, Choice]:
        self._open(now)
        if self.status != SELECT_ENTERPRISE:
            raise QrSessionClosed()
        choice = next((c for c in self.choices if c.uscc == uscc), None)
        if choice is None:
            raise LookupError(uscc)
        return replace(self, status=AUTHENTICATED, choices=(choice,)), choice
