"""Use cases of key information: 单位关键信息维护 applied when the business service approves its
case, and the agency's 信用代码维护 of the units left with the old code (manual 4 注5).

Each is one transaction on the enterprise, locked, and publishes its event with it: a change
is applied whole or not at all, and a repeat of one applied already changes nothing and
publishes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from hrss_enterprise.domain.errors import CodeTaken, EnterpriseNotFound, UnitNotFound
from hrss_enterprise.domain.events import EnterpriseKeyInfoChanged, UnitCreditCodeChanged
from hrss_enterprise.domain.model import Enterprise, KeyInfo
from hrss_enterprise.service_layer.ports import UnitOfWork


@dataclass(frozen=True)
class ChangeKeyInfo:
    enterprise_id: str
    unit_no: str
    key_info: KeyInfo


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
        new = command.key_info
        if new.uscc != enterprise.uscc and uow.enterprises.code_taken(new.uscc, enterprise.enterprise_id):
            raise CodeTaken(new.uscc)
        previous = enterprise.uscc
        if enterprise.change_key_info(command.unit_no, new):
            uow.enterprises.save_key_info(enterprise)
            changed_code = previous if previous != enterprise.uscc else None
            uow.publish(EnterpriseKeyInfoChanged(enterprise, changed_code, datetime.now(UTC)))
            uow.commit()
        return enterprise


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
