"""The business service wired: the catalogue (loaded once per container from its file), the
form checker, the unit of work over the SQL adapters and the uploads registry.

``CatalogueFile`` loads and checks the file in ``setup``: a bad file fails the container's
start with the file's problems (``CatalogueFileInvalid``), not a request later. Entrypoints
call ``bootstrap(...)``; event handlers pass their transaction's session so a read model
changes with the processed-event record; tests build ``Business`` from fakes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nameko.extensions import DependencyProvider
from sqlalchemy.orm import Session

from hrss_business.adapters.catalogue_file import load_catalogue
from hrss_business.adapters.effects import EnterpriseEffects
from hrss_business.adapters.forms import JsonSchemaForms
from hrss_business.adapters.unit_of_work import SqlUnitOfWork
from hrss_business.adapters.uploads import AuthorizationUploads
from hrss_business.domain import commands
from hrss_business.domain.cases import Case, Material
from hrss_business.domain.model import Catalogue
from hrss_business.service_layer import cases, decisions, read_models
from hrss_business.service_layer.ports import CaseSummary, Effects, Forms, UnitOfWork, Uploads
from hrss_kit.database import UnitOfWorkDatabase

CATALOGUE_FILE_KEY = "CATALOGUE_FILE"


@dataclass(frozen=True)
class LoadedCatalogue:
    catalogue: Catalogue
    forms: Forms


class CatalogueFile(DependencyProvider):  # type: ignore[misc]
    """``self.catalogue`` in a worker: the ``Catalogue`` and its forms' checker (read-only, shared)."""

    def setup(self) -> None:
        self.loaded = LoadedCatalogue(
            load_catalogue(self.container.config.get(CATALOGUE_FILE_KEY) or None), JsonSchemaForms()
        )

    def get_dependency(self, worker_ctx: Any) -> LoadedCatalogue:
        return self.loaded


@dataclass(frozen=True)
class Business:
    """The service layer with its collaborators filled in; what entrypoints call."""

    catalogue: Catalogue
    forms: Forms
    unit_of_work: Callable[[Session | None], UnitOfWork]
    reading: Callable[[], UnitOfWork]  # for use cases that only read
    uploads: Uploads
    effects: Effects

    def submit(self, command: commands.SubmitCase) -> Case:
        return cases.submit(
            command, self.catalogue, self.unit_of_work(None), self.uploads, self.forms, reading=self.reading()
        )

    def resubmit(self, command: commands.Resubmit) -> Case:
        return cases.resubmit(command, self.catalogue, self.unit_of_work(None), self.uploads, self.forms)

    def withdraw(self, command: commands.Withdraw) -> Case:
        return cases.withdraw(command, self.unit_of_work(None))

    def decide(self, command: commands.Decide) -> Case:
        return decisions.decide(command, self.unit_of_work(None), self.effects)

    def show(self, case_no: str, viewer: commands.Viewer) -> Case:
        return cases.show(case_no, viewer, self.reading())

    def material(self, case_no: str, attachment_id: str, viewer: commands.Viewer) -> Material:
        return cases.material(case_no, attachment_id, viewer, self.reading())

    def page(self, command: commands.ListCases) -> tuple[list[CaseSummary], int]:
        return cases.page(command, self.reading())

    def remember_enterprise(self, command: commands.RememberEnterprise, session: Session) -> None:
        read_models.remember_enterprise(command, self.unit_of_work(session))

    def follow_key_info(self, command: commands.FollowKeyInfoChange, session: Session) -> None:
        read_models.follow_key_info(command, self.unit_of_work(session))

    def follow_grants(self, command: commands.FollowGrants, session: Session) -> None:
        read_models.follow_grants(command, self.unit_of_work(session))


def bootstrap(db: UnitOfWorkDatabase, loaded: LoadedCatalogue, authorization: Any, enterprise: Any) -> Business:
    """``authorization`` and ``enterprise``: RPC proxies of those services (the uploads registry;
    what approving 单位关键信息维护 changes)."""
    return Business(
        catalogue=loaded.catalogue,
        forms=loaded.forms,
        unit_of_work=lambda session: SqlUnitOfWork(db, session),
        reading=lambda: SqlUnitOfWork(db, read_only=True),
        uploads=AuthorizationUploads(authorization),
        effects=EnterpriseEffects(enterprise),
    )
