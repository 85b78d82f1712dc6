"""The business service wired: the catalogue, loaded once per container from its file.

``CatalogueFile`` loads and checks the file in ``setup``: a bad file fails the container's
start with the file's problems (``CatalogueFileInvalid``), not a request later.
"""

from __future__ import annotations

from typing import Any

from nameko.extensions import DependencyProvider

from hrss_business.adapters.catalogue_file import load_catalogue
from hrss_business.domain.model import Catalogue

CATALOGUE_FILE_KEY = "CATALOGUE_FILE"


class CatalogueFile(DependencyProvider):  # type: ignore[misc]
    """``self.catalogue`` in a worker: the ``Catalogue`` (read-only, shared)."""

    def setup(self) -> None:
        self.catalogue = load_catalogue(self.container.config.get(CATALOGUE_FILE_KEY) or None)

    def get_dependency(self, worker_ctx: Any) -> Catalogue:
        return self.catalogue
