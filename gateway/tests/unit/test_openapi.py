"""The OpenAPI 3 document the gateway serves, checked against the contracts it is built from."""

import re

import pytest

from hrss_contracts.errors import CATALOGUE
from hrss_gateway.openapi import build_spec

pytestmark = pytest.mark.unit

REGISTRATIONS = "/api/v1/registrations"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture(scope="module")
def spec():
    return build_spec()


def resolve(spec, ref):
    assert ref.startswith("#/"), f"{ref} is not a local reference"
    node = spec
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def refs_in(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from refs_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs_in(item)


def registration_responses(spec):
    return spec["paths"][REGISTRATIONS]["post"]["responses"]


def test_document_is_openapi_3_with_a_title_and_version(spec):
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] and spec["info"]["version"]


def test_every_operation_has_responses_keyed_by_http_status(spec):
    for path, operations in spec["paths"].items():
        assert path.startswith("/")
        assert set(operations) <= METHODS, path
        for operation in operations.values():
            assert operation["responses"], path
            for status, response in operation["responses"].items():
                assert re.fullmatch(r"[1-5]\d\d", status) and response["description"], (path, status)


def test_every_reference_resolves(spec):
    for ref in refs_in(spec):
        assert isinstance(resolve(spec, ref), dict), ref


def test_registrations_accept_post(spec):
    assert "post" in spec["paths"][REGISTRATIONS]


def test_registration_request_body_is_the_registration_request_schema(spec):
    body = spec["paths"][REGISTRATIONS]["post"]["requestBody"]

    schema = body["content"]["application/json"]["schema"]

    assert body["required"] is True
    assert resolve(spec, schema["$ref"]) is spec["components"]["schemas"]["RegistrationRequest"]


def test_registration_request_requires_all_but_the_password(spec):
    schema = spec["components"]["schemas"]["RegistrationRequest"]

    assert sorted(schema["required"]) == sorted(["uscc", "name", "legal_rep_name", "legal_rep_id", "phone"])
    assert "password" in schema["properties"]


def test_registered_answer_is_the_registration_result_schema(spec):
    created = registration_responses(spec)["201"]["content"]["application/json"]["schema"]

    assert resolve(spec, created["$ref"]) is spec["components"]["schemas"]["RegistrationResult"]


@pytest.mark.parametrize("status", ["400", "408", "409", "413", "422", "429", "503"])
def test_registration_documents_error_response_with_the_error_schema(spec, status):
    response = registration_responses(spec)[status]

    schema = response["content"]["application/json"]["schema"]

    assert resolve(spec, schema["$ref"]) is spec["components"]["schemas"]["Error"]


def test_each_code_an_error_response_names_has_that_status_in_the_catalogue(spec):
    for status, response in registration_responses(spec).items():
        if status.startswith(("4", "5")):
            codes = re.findall(r"`([A-Z_]+)`", response["description"])
            assert codes, status
            assert {CATALOGUE[code].status for code in codes} == {int(status)}, status


def test_every_error_code_in_the_error_schema_is_in_the_catalogue(spec):
    error = spec["components"]["schemas"]["Error"]["properties"]["error"]

    codes = error["properties"]["code"]["enum"]

    assert codes and set(codes) <= set(CATALOGUE)
    assert sorted(error["required"]) == ["code", "message"]


@pytest.mark.parametrize("status", ["429", "503"])
def test_registration_answers_that_ask_to_wait_document_retry_after(spec, status):
    header = registration_responses(spec)[status]["headers"]["Retry-After"]

    assert header["schema"] == {"type": "integer", "minimum": 1}


def test_both_rate_limits_are_documented_as_429s(spec):
    description = registration_responses(spec)["429"]["description"]

    assert "`TOO_MANY_REQUESTS`" in description and "`REGISTRATION_ATTEMPTS_EXCEEDED`" in description
