"""Use cases of key information: 单位关键信息维护 applied when the business service approves its
case, and the agency's 信用代码维护 of the units left with the old code (manual 4 注5).

Each is one transaction on the enterprise, locked, and publishes its event with it: a change
is applied whole or not at all. A key-information change belongs to its case (``case_no``):
applied once (a repeat answers without changing anything, even after a later case changed
the enterprise again), and never once the case was closed (denied); closing a case whose
change was applied answers so, and the business service approves it instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from hrss_enterprise.domain.errors import CodeTaken, EnterpriseNotFound, KeyInfoCaseClosed, UnitNotFound
from hrss_enterprise.domain.events import EnterpriseKeyInfoChanged, UnitCreditCodeChanged
from hrss_enterprise.domain.model import Enterprise, KeyInfo
from hrss_enterprise.service_layer.ports import UnitOfWork

APPLIED, CLOSED = "applied", "closed"


@dataclass(frozen=True)
class ChangeKeyInfo:
    case_no: str
    enterprise_id: str
    unit_no: str
    key_info: KeyInfo


@dataclass(frozen=True)
class CloseKeyInfoCase:
    case_no: str
    enterprise_id: str


@dataclass(frozen=True)
class AlignCreditCode:
    unit_no: str
    uscc: str
    agency: str  # the asking staff's: only a unit insured by it is within reach


def change_key_info(command: ChangeKeyInfo, uow: UnitOfWork) -> Enterprise:
    """CodeTaken when the new code is another registered enterprise's; nothing is written then."""
    with uow:
        enterprise = uow.enterprises.get_by_id(command.enterprise_id, for_update=True)
        if enterprise is None:
            raise EnterpriseNotFound()
        outcome = uow.enterprises.key_info_outcome(command.case_no)
        if outcome == APPLIED:
            return enterprise
        if outcome == CLOSED:
            raise KeyInfoCaseClosed(command.case_no)
        new = command.key_info
        if new.uscc != enterprise.uscc and uow.enterprises.code_taken(new.uscc, enterprise.enterprise_id):
            raise CodeTaken(new.uscc)
        previous = enterprise.uscc
        if enterprise.change_key_info(command.unit_no, new):
            uow.enterprises.save_key_info(enterprise)
            changed_code = previous if previous != enterprise.uscc else None
            uow.publish(EnterpriseKeyInfoChanged(enterprise, changed_code, datetime.now(UTC)))
        uow.enterprises.record_key_info_outcome(command.case_no, enterprise.enterprise_id, APPLIED)
        uow.commit()
        return enterprise


def close_key_info_case(command: CloseKeyInfoCase, uow: UnitOfWork) -> bool:
    """Before a 单位关键信息维护 case is denied: its change may no longer happen. True when it
    had happened already (an approval whose answer was lost): the case is to be approved."""
    with uow:
        enterprise = uow.enterprises.get_by_id(command.enterprise_id, for_update=True)
        if enterprise is None:
            raise EnterpriseNotFound()
        outcome = uow.enterprises.key_info_outcome(command.case_no)
        if outcome is None:
            uow.enterprises.record_key_info_outcome(command.case_no, enterprise.enterprise_id, CLOSED)
            uow.commit()
        return outcome == APPLIED


def align_credit_code(command: AlignCreditCode, uow: UnitOfWork) -> Enterprise:
    """CreditCodeMismatch for any code but the enterprise's own today; UnitNotFound for a unit
    no relation of the staff's agency insures."""
    with uow:
        enterprise_id = uow.enterprises.uscc_of_unit(command.unit_no)
        enterprise = uow.enterprises.get_by_id(enterprise_id, for_update=True) if enterprise_id else None
        if enterprise is None:
            raise UnitNotFound(command.unit_no)
        unit = enterprise.unit(command.unit_no)
        if command.agency not in {r.agency for r in unit.relations}:
            raise UnitNotFound(command.unit_no)
        before = enterprise.align_credit_code(command.unit_no, command.uscc)
        if before is not None:
            uow.enterprises.save_key_info(enterprise)
            uow.publish(
                UnitCreditCodeChanged(
                    enterprise.enterprise_id, command.unit_no, command.uscc, before, command.agency, datetime.now(UTC)
                )
            )
            uow.commit()
        return enterprise
