"""Names defined once in the contracts: who publishes each event, what the sources are called."""

import pytest

from hrss_contracts.events import EVENT_SCHEMAS, EVENT_SOURCES
from hrss_contracts.sources import PENSION_SOURCES, SOURCES, ImportRequestSchema

pytestmark = pytest.mark.unit

SERVICES = {"enterprise", "identity", "authorization", "business"}  # DESIGN.md


def test_every_event_schema_has_a_publisher_and_every_publisher_entry_a_schema():
    assert {event_type for event_type, _ in EVENT_SCHEMAS} == set(EVENT_SOURCES)


def test_every_publisher_is_a_service_of_the_platform():
    assert set(EVENT_SOURCES.values()) <= SERVICES


def test_the_three_sources_are_named_once_and_the_pension_ones_among_them():
    assert SOURCES == ("market", "enterprise-pension", "institution-pension")
    assert set(PENSION_SOURCES) < set(SOURCES)


def test_the_import_request_accepts_exactly_the_three_sources():
    schema = ImportRequestSchema()
    for source in SOURCES:
        assert schema.load({"source": source, "records": []})["source"] == source
    assert "source" in schema.validate({"source": "pension", "records": []})
