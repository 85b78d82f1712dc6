"""Use case: register an enterprise and create its account (DESIGN flow 1).

Identity leads the saga: it refuses a code whose account exists, asks the enterprise service
to decide (RPC, which may time out), then creates the account. Where the password is while the
enterprise decides, and why (choice (b) of issue 5, with a row that orders the racers):

- The plain password stays in this worker's memory only. It is hashed (argon2id, the
  expensive step) once the enterprise has accepted, or once it failed to answer; never for a
  refusal (422, 409), so an unknown code with a password costs no hash.
- Before asking, the attempt writes a ``pending_registrations`` row (``DECIDING``, no secret):
  it tells the ``EnterpriseRegistered`` handler, which usually runs before the hash is done,
  not to create the account without the password, only to mark the row ``accepted``.
- Accepted: the worker hashes, creates the account and removes the row, in one transaction.
- Unanswered: the worker hashes and stores the hash in the row (``UNANSWERED``) before
  answering 503; whenever the enterprise's ``EnterpriseRegistered`` arrives, however late and
  after however long an identity outage, the handler creates the account with that hash. If
  the handler came first (``accepted``), the worker creates the account itself.
- Refused: the row is removed; nothing was hashed.
- The next attempt on a code with a row left behind, and the periodic resolver
  (``pending.resolve_stale``), ask the enterprise whether it registered the code and settle the
  row: account from the stored hash, or row removed (``pending.py``).

Every path locks the code's row (reading it FOR UPDATE, or by the insert, delete or update
that writes it) before looking at the account, so they take turns. The
password is lost only if the worker dies between the enterprise's acceptance and its own
commit; then no account is created (never one without the password given) and the
legal representative's next registration, which the enterprise answers as the same one,
creates it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hrss_identity.domain.commands import RegisterEnterprise
from hrss_identity.domain.errors import AccountExists, EnterpriseUnanswered, RegistrationInProgress
from hrss_identity.domain.model import PendingRegistration
from hrss_identity.service_layer import pending
from hrss_identity.service_layer.accounts import add_enterprise_account
from hrss_identity.service_layer.ports import EnterpriseDirectory, PasswordHasher, RegistrationLocks, UnitOfWork


def register(
    command: RegisterEnterprise,
    uow: UnitOfWork,
    enterprises: EnterpriseDirectory,
    hasher: PasswordHasher,
    locks: RegistrationLocks,
) -> dict[str, Any]:
    uscc, with_password = command.uscc, command.password is not None
    with locks.hold(uscc) as held:
        if not held:
            raise RegistrationInProgress()
        attempt = _open(uow, uscc, with_password, take_over=False)
        if attempt is None:  # an earlier attempt left its row: settle it first
            pending.resolve(uow, enterprises, uscc)
            attempt = _open(uow, uscc, with_password, take_over=True)
            assert attempt is not None
        try:
            enterprise = enterprises.register(command)
        except EnterpriseUnanswered:
            _unanswered(uow, uscc, attempt, _hash(hasher, command.password))
            raise
        except Exception:
            _refused(uow, uscc, attempt)
            raise
        _accepted(uow, uscc, attempt, _hash(hasher, command.password))
    return enterprise


def _hash(hasher: PasswordHasher, password: str | None) -> str | None:
    return hasher.hash(password) if password is not None else None


def _open(uow: UnitOfWork, uscc: str, with_password: bool, take_over: bool) -> str | None:
    """This attempt's row, written before the enterprise is asked; None if an earlier one's is there."""
    with uow:
        now = datetime.now(UTC)
        row = PendingRegistration.begin(uscc, with_password, now)
        if uow.pending.add(row):  # the usual case: no row; the insert holds the new row's lock
            if uow.accounts.by_login_name(uscc) is not None:
                raise AccountExists()  # the insert is rolled back
        else:
            earlier = uow.pending.lock(uscc)
            if uow.accounts.by_login_name(uscc) is not None:
                raise AccountExists()
            if earlier is None:  # its attempt ended between our insert and our lock: try once more
                if not uow.pending.add(row):
                    raise RegistrationInProgress()
            elif not take_over:
                return None
            else:  # what is left is a dead worker's deciding row: this attempt replaces it
                uow.pending.save(row)
        uow.commit()
        return row.attempt


def _accepted(uow: UnitOfWork, uscc: str, attempt: str, password_hash: str | None) -> None:
    with uow:
        if uow.pending.take(uscc, attempt) is None:  # a newer attempt took the code over: its password wins
            raise RegistrationInProgress()
        try:
            add_enterprise_account(uow, uscc, password_hash)
        except AccountExists:
            uow.commit()  # the row goes all the same: the code has its account
            raise
        uow.commit()


def _unanswered(uow: UnitOfWork, uscc: str, attempt: str, password_hash: str | None) -> None:
    with uow:
        row = uow.pending.lock(uscc)
        if row is None or row.attempt != attempt:  # a newer attempt took the code over, or it is settled
            return
        if uow.accounts.by_login_name(uscc) is not None:
            uow.pending.remove(uscc)
        elif row.accepted:  # EnterpriseRegistered came while we waited: the account is ours to make
            add_enterprise_account(uow, uscc, password_hash)
            uow.pending.remove(uscc)
        else:
            row.settle_unanswered(password_hash, datetime.now(UTC))
            uow.pending.save(row)
        uow.commit()


def _refused(uow: UnitOfWork, uscc: str, attempt: str) -> None:
    with uow:
        row = uow.pending.take(uscc, attempt)
        if row is None:
            return
        if row.accepted and uow.accounts.by_login_name(uscc) is None:
            pending.log_lost_password(uscc, "a refused attempt saw an earlier one accepted")
        uow.commit()
