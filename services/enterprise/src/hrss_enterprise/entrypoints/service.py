"""The enterprise service's nameko entrypoints: load, call the service layer through
``bootstrap``, dump."""

from __future__ import annotations

from typing import Any

from hrss_contracts.cases import CreditCodeSchema, KeyInfoSchema
from hrss_contracts.registration import ContactRequestSchema
from hrss_contracts.sources import ImportRequestSchema
from hrss_enterprise.adapters.messages import enterprise_data
from hrss_enterprise.adapters.orm import metadata
from hrss_enterprise.bootstrap import Enterprise, bootstrap
from hrss_enterprise.domain.model import KeyInfo
from hrss_enterprise.entrypoints.errors import catalogue_errors
from hrss_enterprise.entrypoints.schemas import load_application, load_record
from hrss_enterprise.service_layer import contact, key_info, sources
from hrss_kit.database import Database
from hrss_kit.logs import CallIdLogging
from hrss_kit.ops import OperationsMixin
from hrss_kit.rpc import rpc

IMPORT_REQUEST = ImportRequestSchema()
KEY_INFO, CREDIT_CODE, CONTACT = KeyInfoSchema(), CreditCodeSchema(), ContactRequestSchema()


class EnterpriseService(OperationsMixin):
    name = "enterprise"

    db = Database(metadata)
    call_ids = CallIdLogging()

    @property
    def service_layer(self) -> Enterprise:
        return bootstrap(self.db)

    @rpc(idempotent=True)
    @catalogue_errors
    def register(self, application: dict[str, Any]) -> dict[str, Any]:
        """Verify a registration against the three sources and register the enterprise."""
        enterprise = self.service_layer.register(load_application(application))
        return enterprise_data(enterprise)

    @rpc(idempotent=True)
    @catalogue_errors
    def import_sources(self, source: str, records: list[Any]) -> dict[str, Any]:
        """Upsert a batch of one source's records, each ``{"line": n, "record": {…}}``;
        returns counts and the refused records' lines with reasons."""
        request = IMPORT_REQUEST.load({"source": source, "records": records})
        report = sources.ImportReport()
        loaded = []
        for line, raw in ((item["line"], item["record"]) for item in request["records"]):
            try:
                loaded.append((line, load_record(request["source"], raw)))
            except ValueError as refusal:
                report.refuse(line, raw.get("uscc") if isinstance(raw, dict) else None, str(refusal))
        return self.service_layer.import_records(loaded, report).as_dict()

    @rpc
    @catalogue_errors
    def find_enterprise(self, uscc: str | None = None, unit_no: str | None = None) -> dict[str, Any]:
        """An enterprise with its units and relations, by code or by any of its unit numbers."""
        return enterprise_data(self.service_layer.find_enterprise(uscc=uscc, unit_no=unit_no))

    @rpc(idempotent=True)
    @catalogue_errors
    def change_key_info(
        self, case_no: str, enterprise_id: str, unit_no: str, key_info: dict[str, Any]
    ) -> dict[str, Any]:
        """单位关键信息维护, as its approved case ``case_no`` asks (the business service): the
        enterprise takes the new code, name and legal representative, the case's unit the new
        code; one transaction and ``EnterpriseKeyInfoChanged``. KEY_INFO_USCC_TAKEN when the code
        is or was another registered enterprise's (nothing changes); CASE_STATUS_CONFLICT when
        the case was closed first. The same case again changes nothing."""
        command = key_info_command(case_no, enterprise_id, unit_no, key_info)
        return enterprise_data(self.service_layer.change_key_info(command))

    @rpc(idempotent=True)
    @catalogue_errors
    def close_key_info_case(self, case_no: str, enterprise_id: str) -> dict[str, Any]:
        """Before a 单位关键信息维护 case is denied: ``{"applied": false}``, and its change can no
        longer happen; ``{"applied": true}`` when it happened already (approve it instead)."""
        command = key_info.CloseKeyInfoCase(str(case_no)[:40], str(enterprise_id)[:40])
        return {"applied": self.service_layer.close_key_info_case(command)}

    @rpc(idempotent=True)
    @catalogue_errors
    def align_credit_code(self, unit_no: str, request: dict[str, Any], agency: str) -> dict[str, Any]:
        """信用代码维护 by agency staff of ``agency``: the unit takes its enterprise's code today
        (``UnitCreditCodeChanged``); CREDIT_CODE_MISMATCH for another code, UNIT_NOT_FOUND for a
        unit their agency does not insure."""
        command = key_info.AlignCreditCode(str(unit_no)[:40], CREDIT_CODE.load(request)["uscc"], str(agency))
        return enterprise_data(self.service_layer.align_credit_code(command))

    @rpc(idempotent=True)
    @catalogue_errors
    def change_contact(self, uscc: str, request: dict[str, Any]) -> dict[str, Any]:
        """修改资料 → 联系电话 by the legal representative of the enterprise whose code is ``uscc``
        today: ``{"phone"}`` becomes its ``legal_rep_phone`` (``EnterpriseContactChanged``)."""
        command = contact.ChangeContact(str(uscc)[:18].upper(), CONTACT.load(request)["phone"])
        return enterprise_data(self.service_layer.change_contact(command))

    @rpc
    @catalogue_errors
    def source_reference(self, uscc: str | None = None, unit_no: str | None = None) -> dict[str, Any]:
        """The code and legal representative's ID number the sources hold for an enterprise (by
        code or unit number), registered or not; ENTERPRISE_NOT_FOUND when no source has it."""
        record = self.service_layer.source_reference(uscc=uscc, unit_no=unit_no)
        return {"uscc": record.uscc, "legal_rep_id": record.legal_rep_id}


def key_info_command(case_no: str, enterprise_id: str, unit_no: str, raw: dict[str, Any]) -> key_info.ChangeKeyInfo:
    loaded = KEY_INFO.load(raw)
    return key_info.ChangeKeyInfo(str(case_no)[:40], str(enterprise_id)[:40], str(unit_no)[:40], KeyInfo(**loaded))
