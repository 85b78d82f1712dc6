"""The business service's tables: the kit's for now (cases come with their own)."""

from __future__ import annotations

from sqlalchemy import MetaData

from hrss_kit.tables import add_kit_tables

metadata = MetaData()
add_kit_tables(metadata)
