"""What can go wrong in the enterprise service, one precise class per outcome."""

from __future__ import annotations


class EnterpriseError(Exception):
    """Base of the enterprise service's domain errors."""


class AlreadyRegistered(EnterpriseError):
    """5.1.2: the enterprise, and so its legal representative's account, exists."""


class NotVerified(EnterpriseError):
    """5.1.1: none of the three sources knows the code."""


class RegistrationMismatch(EnterpriseError):
    """The sources know the code but not with what was typed in."""

    def __init__(self, fields: list[str]) -> None:
        super().__init__(fields)
        self.fields = fields


class EnterpriseNotFound(EnterpriseError):
    pass


class UnitNotFound(EnterpriseError):
    """No such unit number (of this enterprise, or within the asking agency's reach)."""


class CodeTaken(EnterpriseError):
    """单位关键信息维护 to a credit code another registered enterprise has."""


class KeyInfoCaseClosed(EnterpriseError):
    """A 单位关键信息维护 case was closed (denied) before its change: it never takes effect."""


class CreditCodeMismatch(EnterpriseError):
    """信用代码维护 to a code other than the enterprise's own today."""


class RecordRefused(EnterpriseError):
    """A source record that cannot be imported; the reason is shown to the operator."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
