"""What an approved case changes in another service, asked over RPC: 单位关键信息维护's new
key information, made by the enterprise service (which publishes EnterpriseKeyInfoChanged;
identity, authorization and this service's read model follow it)."""

from __future__ import annotations

from typing import Any

from hrss_business.domain.cases import Case
from hrss_business.domain.errors import EffectRefused
from hrss_contracts.errors import CatalogueError

KEY_INFO_ITEM = "unit-key-info"
KEY_INFO_FIELDS = ("uscc", "name", "legal_rep_name", "legal_rep_id")
# The enterprise service's refusals of the change itself (anything else, 503 included, is not
# an answer about the case: the approval fails and may be given again).
REFUSALS = frozenset({"KEY_INFO_USCC_TAKEN", "VALIDATION_FAILED", "UNIT_NOT_FOUND", "ENTERPRISE_NOT_FOUND"})


class EnterpriseEffects:
    def __init__(self, enterprise: Any) -> None:
        self.enterprise = enterprise

    def applies_to(self, item_code: str) -> bool:
        return item_code == KEY_INFO_ITEM

    def apply(self, case: Case) -> None:
        key_info = {name: case.form.get(name) for name in KEY_INFO_FIELDS}
        try:
            self.enterprise.change_key_info(
                case_no=case.case_no,
                enterprise_id=case.relation.enterprise_id,
                unit_no=case.relation.unit_no,
                key_info=key_info,
            )
        except CatalogueError as error:
            if error.code in REFUSALS:
                raise EffectRefused(f"单位关键信息维护未能生效:{error.message}") from error
            raise

    def close(self, case: Case) -> bool:
        answer = self.enterprise.close_key_info_case(case_no=case.case_no, enterprise_id=case.relation.enterprise_id)
        return bool(answer["applied"])
