"""What can go wrong in the identity service."""

from __future__ import annotations


class IdentityError(Exception):
    """Base of the identity service's domain errors."""


class AccountExists(IdentityError):
    """5.1.2: the legal representative's account already exists."""


class EnterpriseUnanswered(IdentityError):
    """The enterprise service gave no decision in time; it may still make one."""


class RegistrationInProgress(IdentityError):
    """Another registration of the same code is being decided right now."""
