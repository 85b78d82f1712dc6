"""What the identity service layer needs from outside; adapters and fakes implement it."""

from __future__ import annotations

import abc
import contextlib
from datetime import datetime
from typing import Any

from hrss_contracts.id_documents import RESIDENT_ID
from hrss_identity.domain.commands import RegisterEnterprise
from hrss_identity.domain.events import Event
from hrss_identity.domain.model import (
    Account,
    ClerkMembership,
    LegalRepresentative,
    Membership,
    PendingRegistration,
    Session,
)
from hrss_kit.unit_of_work import UnitOfWork as KitUnitOfWork


class AccountRepository(abc.ABC):
    @abc.abstractmethod
    def by_login_name(self, login_name: str) -> Account | None: ...

    @abc.abstractmethod
    def add_if_absent(self, account: Account) -> bool:
        """Insert unless the login name is taken (also by a concurrent transaction)."""

    @abc.abstractmethod
    def set_password_hash(self, account_id: str, password_hash: str) -> None: ...

    @abc.abstractmethod
    def follow_enterprise(self, account_id: str, uscc: str, clear_password: bool) -> None:
        """单位关键信息维护: the enterprise account's code becomes ``uscc`` (its login name stays the
        code it registered with; ``by_login_name`` finds it by any of its codes); its password is
        removed when the legal representative changed."""


class PendingRegistrationRepository(abc.ABC):
    """At most one pending registration per code, in identity's database.

    Every path that may create an enterprise account locks the code's row first (``lock``,
    or the lock ``add``, ``take`` and ``save`` take), then looks at the account: the row lock
    orders them, so no two decide on stale reads. An account, once there, is never removed,
    so finding one needs no lock.
    """

    @abc.abstractmethod
    def lock(self, uscc: str) -> PendingRegistration | None:
        """The code's row, locked until the transaction ends (SELECT … FOR UPDATE)."""

    @abc.abstractmethod
    def add(self, pending: PendingRegistration) -> bool:
        """Insert, and hold the new row's lock; False (nothing written) when the code has a
        row already, also one a concurrent transaction inserted first."""

    @abc.abstractmethod
    def save(self, pending: PendingRegistration) -> None: ...

    @abc.abstractmethod
    def remove(self, uscc: str) -> None: ...

    @abc.abstractmethod
    def take(self, uscc: str, attempt: str) -> PendingRegistration | None:
        """Remove the code's row if it is still ``attempt``'s, and return it; None (nothing
        removed) when a newer attempt took the code over or the row is gone."""

    @abc.abstractmethod
    def last_touched_before(self, cutoff: datetime, limit: int) -> list[PendingRegistration]:
        """The oldest rows not changed since ``cutoff``."""


class UnitOfWork(KitUnitOfWork[Event]):
    """One transaction; events recorded in it are published if, and only if, it commits."""

    accounts: AccountRepository
    pending: PendingRegistrationRepository
    memberships: Memberships


class EnterpriseDirectory(abc.ABC):
    """The enterprise service, which decides registrations (over RPC in production)."""

    @abc.abstractmethod
    def register(self, command: RegisterEnterprise) -> dict[str, Any]:
        """The registered enterprise (the password is not sent).

        Raises ``EnterpriseUnanswered`` when the outcome is unknown (no answer in time, the
        service unavailable, the connection lost): the enterprise may have registered it.
        Any other error is the enterprise's refusal (a catalogue error, 4xx).
        """

    @abc.abstractmethod
    def is_registered(self, uscc: str) -> bool:
        """Whether the enterprise service holds ``uscc`` as registered; ``EnterpriseUnanswered``
        when it cannot say."""


class PasswordHasher(abc.ABC):
    @abc.abstractmethod
    def hash(self, password: str) -> str: ...

    @abc.abstractmethod
    def verify(self, password_hash: str, password: str) -> bool: ...

    @abc.abstractmethod
    def verify_and_update(self, password_hash: str, password: str) -> tuple[bool, str | None]:
        """``(matches, new_hash)``: ``new_hash`` is the password hashed with today's parameters
        when it matches a hash made with older ones (store it), else None."""


class RegistrationLocks(abc.ABC):
    """One registration per code at a time, across every identity replica."""

    @abc.abstractmethod
    def hold(self, uscc: str) -> contextlib.AbstractContextManager[bool]:
        """Yields False when another registration of ``uscc`` holds the lock."""


class LoginAttempts(abc.ABC):
    """Failed password logins per account, across replicas; times are the caller's clock (s)."""

    @abc.abstractmethod
    def one_at_a_time(self, login_name: str) -> contextlib.AbstractContextManager[bool]:
        """Yields False when another attempt for ``login_name`` is being checked right now."""

    @abc.abstractmethod
    def locked_for(self, login_name: str, now: float) -> int:
        """Seconds the account stays locked (0: not locked)."""

    @abc.abstractmethod
    def failed(self, login_name: str, now: float) -> int:
        """Count a failure; the seconds of the lock it started (0: none)."""

    @abc.abstractmethod
    def succeeded(self, login_name: str) -> None:
        """Forget the account's failures."""


class Sessions(abc.ABC):
    """Sessions behind random tokens (only their hashes are kept); times are the caller's clock."""

    @abc.abstractmethod
    def open(self, session: Session, now: float) -> str:
        """A new token for ``session``."""

    @abc.abstractmethod
    def get(self, token: str, now: float) -> Session | None:
        """The token's session, its idle time reset; None when unknown, ended or expired."""

    @abc.abstractmethod
    def close(self, token: str) -> Session | None:
        """End the token's session; what it was, or None."""

    @abc.abstractmethod
    def close_all(self, account_id: str, keep: str | None = None) -> int:
        """End every session of ``account_id`` (a clerk removed, a legal representative
        replaced) but the one of the token ``keep``; how many were ended."""


class Memberships(abc.ABC):
    """Identity's membership read model: who is the legal representative (法人) of which
    enterprise, who a clerk (办事员) of which, as the enterprise and authorization events tell.

    A QR login finds the enterprises of the person the e-SSC vouched for here. The ID number
    AND the name must both match (manual 3.1.1 注: a clerk added with a wrong name cannot log
    in); names compare in their one spelling (``hrss_contracts.names``), ID numbers with an
    upper-case X, whatever spelling the caller passes. Lists come ordered by code.
    """

    @abc.abstractmethod
    def legal_enterprises(self, id_number: str, name: str) -> list[Membership]:
        """The enterprises the person represents (role ``legal``)."""

    @abc.abstractmethod
    def clerk_enterprises(self, id_number: str, name: str, id_type: str = RESIDENT_ID) -> list[Membership]:
        """The enterprises the person is a clerk of (role ``clerk``), among those identity knows
        (a clerk of an enterprise whose registration has not reached identity yet is not listed)."""

    @abc.abstractmethod
    def legal_representative(self, enterprise_id: str) -> LegalRepresentative | None: ...

    @abc.abstractmethod
    def save_legal_representative(self, representative: LegalRepresentative, former_uscc: str | None) -> None:
        """Insert or replace the enterprise's row. Its codes today, at registration
        (``enterprise_id``) and ``former_uscc`` are all remembered as the enterprise's, so a
        clerk recorded under any of them still finds it."""

    @abc.abstractmethod
    def clerk(self, clerk_id: str) -> ClerkMembership | None: ...

    @abc.abstractmethod
    def clerks_of(self, enterprise_id: str) -> list[ClerkMembership]:
        """The clerks recorded under any code the enterprise has had."""

    @abc.abstractmethod
    def save_clerk(self, clerk: ClerkMembership) -> None:
        """Insert or replace the clerk's row."""

    @abc.abstractmethod
    def remove_clerk(self, clerk_id: str) -> None: ...
