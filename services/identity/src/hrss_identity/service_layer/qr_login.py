"""Use cases 扫码登录 (manual 2.1.2, 3.1.1, 4): the browser's side (open a session, follow it,
pick an enterprise) and the e-SSC's (scan, confirm, cancel), over ``domain.qr``.

The browser proves it opened the session with its ``binding`` secret (only its hash is kept);
without it the session does not exist for the caller (RFC 10027's advice against a stolen
``qr_id``). The user session is opened when that browser collects it (its token handed out
once, never stored in the clear), after the person's membership is checked once more.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hrss_identity.domain.commands import FindMemberships
from hrss_identity.domain.errors import QrSessionNotFound, SlowDown
from hrss_identity.domain.events import LoginSucceeded
from hrss_identity.domain.model import Session
from hrss_identity.domain.qr import (
    AUTHENTICATED,
    LIFETIME,
    POLL_INTERVAL,
    REJECTED,
    SELECT_ENTERPRISE,
    Choice,
    Person,
    QrSession,
    QrSessionClosed,
)
from hrss_identity.service_layer import membership
from hrss_identity.service_layer.ports import Sessions, UnitOfWork
from hrss_identity.service_layer.qr_ports import AssertionGuard, EsscVerifier, QrSessions

REJECTIONS = {"legal": "LEGAL_ACCOUNT_NOT_FOUND", "clerk": "CLERK_ACCOUNT_NOT_FOUND"}


@dataclass(frozen=True)
class QrPorts:
    sessions: QrSessions
    verifier: EsscVerifier
    guard: AssertionGuard
    content_base: str = "hrss://qr-login"
    lifetime: int = LIFETIME  # seconds a QR session lives (QR_SESSION_SECONDS)


@dataclass(frozen=True)
class OpenedQrSession:
    qr_id: str
    qr_content: str
    role: str
    expires_in: int
    interval: int
    binding: str


def open_session(role: str, qr: QrPorts, clock: Callable[[], float]) -> OpenedQrSession:
    qr_id, binding = secrets.token_urlsafe(16), secrets.token_urlsafe(32)
    qr.sessions.create(QrSession(qr_id, role, _hash(binding), clock() + qr.lifetime))
    return OpenedQrSession(qr_id, f"{qr.content_base}?qr={qr_id}", role, qr.lifetime, POLL_INTERVAL, binding)


def status(
    qr_id: str,
    binding: str,
    waiting: bool,
    uow: UnitOfWork,
    qr: QrPorts,
    sessions: Sessions,
    clock: Callable[[], float],
    reading: UnitOfWork,
) -> dict[str, Any]:
    """What the browser sees: ``status``, and ``enterprises``, ``token`` (once) or ``error``.
    A poll without ``waiting`` sooner than the interval is ``SlowDown``. ``reading``: a unit of
    work for the membership's reads, ``uow`` records the login."""
    session = _own(qr, qr_id, binding)
    now = clock()
    if not waiting and not qr.sessions.polled(qr_id, now, POLL_INTERVAL):
        raise SlowDown(POLL_INTERVAL)
    state = session.status_at(now)
    view: dict[str, Any] = {"status": state, "expires_in": max(0, int(session.expires_at - now))}
    if state == SELECT_ENTERPRISE:
        view["enterprises"] = [{"uscc": c.uscc, "name": c.name} for c in session.choices]
    elif state == REJECTED:
        view["error"] = session.error
    elif state == AUTHENTICATED and qr.sessions.claim_handout(qr_id):
        # The user session is opened now, for the browser that collects it: its token is never
        # kept anywhere in the clear. A membership ended since the confirm opens none.
        assert session.person is not None
        token = _open_user_session(session, session.choices[0], session.person, uow, sessions, now, reading)
        if token is None:
            return {**view, "status": REJECTED, "error": REJECTIONS[session.role]}
        view["token"] = token
    return view


def select(
    qr_id: str,
    binding: str,
    uscc: str,
    uow: UnitOfWork,
    qr: QrPorts,
    sessions: Sessions,
    clock: Callable[[], float],
    reading: UnitOfWork,
) -> str:
    """选择单位: the token of the session for the picked enterprise (``reading`` as for ``status``)."""
    session, now = _own(qr, qr_id, binding), clock()
    chosen, choice = session.selected(uscc, now)
    if not qr.sessions.replace(session, chosen, handed_out=True):
        raise QrSessionClosed()  # another selection (or the expiry) came first
    assert session.person is not None
    token = _open_user_session(session, choice, session.person, uow, sessions, now, reading)
    if token is None:
        raise LookupError(uscc)  # no longer one of the person's enterprises in this role
    return token


def report(
    assertion: str,
    uow: UnitOfWork,
    qr: QrPorts,
    clock: Callable[[], float],
) -> str:
    """An e-SSC assertion (scan, confirm, cancel): the session's status after it. ``uow`` only
    reads (the membership read model)."""
    now = clock()
    claims = qr.verifier.verify(assertion, now)
    qr.guard.admit(claims.qr_id, f"{claims.id_type} {claims.id_number}", claims.jti, claims.accepted_until, now)
    session = qr.sessions.get(claims.qr_id)
    if session is None:
        raise QrSessionClosed()
    person = Person(claims.id_number, claims.name, claims.id_type)
    if claims.act == "scan":
        new = session.scanned(person, now)
    elif claims.act == "cancel":
        new = session.cancelled(person, now)
    else:
        session.check_confirmable(person, now)
        choices = _enterprises(uow, session.role, person)
        new = session.confirmed(person, choices, REJECTIONS[session.role], now)
    if new is not session and not qr.sessions.replace(session, new):
        raise QrSessionClosed()  # another report changed it first
    return new.status


def _open_user_session(
    qr_session: QrSession,
    choice: Choice,
    person: Person,
    uow: UnitOfWork,
    sessions: Sessions,
    now: float,
    reading: UnitOfWork,
) -> str | None:
    """The token of a session for ``choice``, if the person still holds it in this role (a clerk
    removed, or a legal representative replaced, since the confirm gets none)."""
    current = {c.uscc: c for c in _enterprises(reading, qr_session.role, person)}
    if choice.uscc not in current:
        return None
    choice = current[choice.uscc]
    user = Session(
        choice.account_id,
        choice.uscc if qr_session.role == "legal" else choice.account_id,
        qr_session.role,
        uscc=choice.uscc,
        id_number=person.id_number,
        name=person.name,
    )
    token = sessions.open(user, now)
    with uow:
        uow.publish(LoginSucceeded(user, "qr", datetime.fromtimestamp(now, UTC)))
        uow.commit()
    return token


def _enterprises(uow: UnitOfWork, role: str, person: Person) -> list[Choice]:
    found = membership.find(FindMemberships(role, person.id_number, person.name, person.id_type), uow)
    return [Choice(m.uscc, m.enterprise_name, m.account_id) for m in found]


def _own(qr: QrPorts, qr_id: str, binding: str) -> QrSession:
    session = qr.sessions.get(qr_id) if qr_id and binding else None
    if session is None or not hmac.compare_digest(session.binding_hash, _hash(binding)):
        raise QrSessionNotFound()
    return session


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
