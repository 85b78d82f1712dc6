"""The enterprise service wired: its one port, the unit of work, to the SQL adapter.

Entrypoints call ``bootstrap(self.db)``; tests build ``Enterprise`` from a fake unit of work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hrss_enterprise.adapters.unit_of_work import SqlUnitOfWork
from hrss_enterprise.domain.model import Enterprise as RegisteredEnterprise
from hrss_enterprise.domain.model import RegistrationApplication, SourceRecord
from hrss_enterprise.service_layer import contact, key_info, lookup, registration, sources
from hrss_enterprise.service_layer.ports import UnitOfWork
from hrss_kit.database import UnitOfWorkDatabase


@dataclass(frozen=True)
class Enterprise:
    """The enterprise service layer with its unit of work filled in; what entrypoints call."""

    unit_of_work: Callable[[], UnitOfWork]

    def register(self, application: RegistrationApplication) -> RegisteredEnterprise:
        return registration.register(application, self.unit_of_work())

    def import_records(
        self, records: list[tuple[int, SourceRecord]], report: sources.ImportReport
    ) -> sources.ImportReport:
        return sources.import_records(records, report, self.unit_of_work())

    def find_enterprise(self, uscc: str | None = None, unit_no: str | None = None) -> RegisteredEnterprise:
        return lookup.find_enterprise(self.unit_of_work(), uscc=uscc, unit_no=unit_no)

    def source_reference(self, uscc: str | None = None, unit_no: str | None = None) -> SourceRecord:
        return lookup.source_reference(self.unit_of_work(), uscc=uscc, unit_no=unit_no)

    def change_key_info(self, command: key_info.ChangeKeyInfo) -> RegisteredEnterprise:
        return key_info.change_key_info(command, self.unit_of_work())

    def close_key_info_case(self, command: key_info.CloseKeyInfoCase) -> bool:
        return key_info.close_key_info_case(command, self.unit_of_work())

    def align_credit_code(self, command: key_info.AlignCreditCode) -> RegisteredEnterprise:
        return key_info.align_credit_code(command, self.unit_of_work())

    def change_contact(self, command: contact.ChangeContact) -> RegisteredEnterprise:
        return contact.change_contact(command, self.unit_of_work())


def bootstrap(db: UnitOfWorkDatabase) -> Enterprise:
    return Enterprise(unit_of_work=lambda: SqlUnitOfWork(db))
