"""The event contract document covers every event the contracts define."""

import pytest

from hrss_contracts.events import EVENT_SCHEMAS, EVENT_SOURCES, LATEST_VERSION
from hrss_contracts.id_number import ID_NUMBER_PATTERN
from hrss_contracts.uscc import USCC_PATTERN
from hrss_gateway.asyncapi import build_asyncapi

pytestmark = pytest.mark.unit


def test_every_event_type_has_a_source_and_a_channel_with_its_latest_version():
    document = build_asyncapi()
    for event_type, version in LATEST_VERSION.items():
        channel = document["channels"][f"{EVENT_SOURCES[event_type]}.events/{event_type}"]
        assert channel["subscribe"]["message"]["$ref"] == f"#/components/messages/{event_type}V{version}"


def test_every_schema_version_is_described_with_the_envelope_around_its_data():
    document = build_asyncapi()
    for event_type, version in EVENT_SCHEMAS:
        name = f"{event_type}V{version}"
        assert name in document["components"]["schemas"]
        payload = document["components"]["messages"][name]["payload"]["allOf"]
        assert payload[0] == {"$ref": "#/components/schemas/Envelope"}
        assert payload[1]["properties"]["data"] == {"$ref": f"#/components/schemas/{name}"}


def test_registered_enterprise_data_requires_the_fields_the_agency_relies_on():
    schema = build_asyncapi()["components"]["schemas"]["EnterpriseRegisteredV1"]
    assert {"uscc", "name", "legal_rep_name", "legal_rep_id", "units", "registered_at"} <= set(schema["required"])


def test_the_codes_patterns_are_written_as_ecma_262_reads_them():
    schema = build_asyncapi()["components"]["schemas"]["EnterpriseRegisteredV1"]["properties"]

    assert schema["uscc"]["pattern"] == USCC_PATTERN.removesuffix("\\Z") + "$"
    assert schema["legal_rep_id"]["pattern"] == ID_NUMBER_PATTERN.removesuffix("\\Z") + "$"
