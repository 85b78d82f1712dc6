"""The event contract as an AsyncAPI 2.6 document, from the same schemas the services use
(``hrss_contracts.events``): one channel per event type on its source's exchange."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from hrss_contracts.events import EVENT_SCHEMAS, EVENT_SOURCES, LATEST_VERSION, EnvelopeSchema
from hrss_gateway.openapi_parts import ecma_patterns, object_sizes


def build_asyncapi() -> dict[str, Any]:
    marshmallow = MarshmallowPlugin()
    components = APISpec("events", "1", "3.0.3", plugins=[marshmallow])
    assert marshmallow.converter is not None  # made as the spec took the plugin
    # The same keywords as the OpenAPI document's: ECMA-262 patterns, an object's sizes.
    marshmallow.converter.add_attribute_function(object_sizes)
    marshmallow.converter.add_attribute_function(ecma_patterns)
    components.components.schema("Envelope", schema=EnvelopeSchema)
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for (event_type, version), schema in sorted(EVENT_SCHEMAS.items()):
        name = f"{event_type}V{version}"
        components.components.schema(name, schema=schema)
        messages[name] = {
            "name": event_type,
            "title": f"{event_type} v{version}",
            "summary": (schema.__doc__ or "").strip().splitlines()[0] if schema.__doc__ else event_type,
            "contentType": "application/json",
            "payload": {
                "allOf": [
                    {"$ref": "#/components/schemas/Envelope"},
                    {
                        "type": "object",
                        "properties": {
                            "event_type": {"const": event_type},
                            "schema_version": {"const": version},
                            "data": {"$ref": f"#/components/schemas/{name}"},
                        },
                    },
                ]
            },
        }
        if version == LATEST_VERSION[event_type]:
            source = EVENT_SOURCES[event_type]
            channels[f"{source}.events/{event_type}"] = {
                "description": f"Exchange `{source}.events` (topic), routing key `{event_type}`.",
                "subscribe": {"message": {"$ref": f"#/components/messages/{name}"}},
            }
    return {
        "asyncapi": "2.6.0",
        "info": {
            "title": "hrss-platform events",
            "version": "1.0.0",
            "description": "Every event carries the envelope; consumers must accept unknown fields. Delivery is "
            "at least once: de-duplicate on event_id. `sequence` numbers an aggregate's events from 1: apply an "
            "event only if its sequence is above the one you hold for its aggregate_id. A publisher keeps its "
            "events: a consumer that joins late asks for them (hrssctl events replay-log).",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "components": {"schemas": components.to_dict()["components"]["schemas"], "messages": messages},
    }
