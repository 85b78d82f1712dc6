"""The OpenAPI 3 document the gateway serves, checked against the contracts it is built from."""

import inspect
import re
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from marshmallow import validate
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR
from nameko.web.handlers import HttpRequestHandler
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from hrss_contracts.cases import (
    MAX_MATERIALS,
    STATUSES,
    CaseQuerySchema,
    CaseRequestSchema,
    DecisionSchema,
    ResubmissionSchema,
    WithdrawalSchema,
)
from hrss_contracts.errors import CATALOGUE, CatalogueError
from hrss_contracts.fields import COMMENT_PATTERN, NAME_PATTERN, NO_CONTROL_PATTERN
from hrss_contracts.id_documents import DOCUMENT_NUMBER_PATTERN, ID_TYPES, RESIDENT_ID
from hrss_contracts.id_number import ID_NUMBER_PATTERN
from hrss_contracts.qr_login import MAX_WAIT_SECONDS, QR_STATUSES
from hrss_contracts.registration import PHONE_PATTERN
from hrss_contracts.uscc import USCC_PATTERN
from hrss_gateway.openapi import build_spec
from hrss_gateway.service import GatewayService

pytestmark = pytest.mark.unit

REGISTRATIONS = "/api/v1/registrations"
LOGIN = "/api/v1/auth/login"
QR_STATUS = "/api/v1/auth/qr-sessions/{qr_id}"
ASSERTIONS = "/api/v1/essc/assertions"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
# Statuses whose answers the gateway always sends with Retry-After (wsgi_app.error_response).
WAIT_STATUSES = {"423", "429", "503"}


@pytest.fixture(scope="module")
def spec():
    return build_spec()


def resolve(spec, ref):
    assert ref.startswith("#/"), f"{ref} is not a local reference"
    node = spec
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def values_of(key, node):
    """Every string under ``key`` anywhere in the document."""
    if isinstance(node, dict):
        if isinstance(node.get(key), str):
            yield node[key]
        for value in node.values():
            yield from values_of(key, value)
    elif isinstance(node, list):
        for item in node:
            yield from values_of(key, item)


def refs_in(node):
    return values_of("$ref", node)


def registration_responses(spec):
    return spec["paths"][REGISTRATIONS]["post"]["responses"]


def operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def endpoints():
    """Each HTTP entrypoint of GatewayService, as (method, OpenAPI path, the decorated function)."""
    for _, function in inspect.getmembers(GatewayService, inspect.isfunction):
        for entrypoint in getattr(function, ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(entrypoint, HttpRequestHandler):
                path = re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", r"{\1}", entrypoint.url)
                for method in entrypoint.method.split(","):
                    yield method.strip().lower(), path, function


def served_routes():
    routes = {(method, path) for method, path, _ in endpoints()}
    assert len(routes) > 5, "no entrypoints found: has @api changed?"
    return routes


def request_without_token():
    return Request(EnvironBuilder(method="GET", path="/").get_environ())


def is_protected(function, path):
    """Refuses a request without a session (``@api(..., roles=…)``), before anything else."""
    nobody = SimpleNamespace(sessions=SimpleNamespace(authenticate=lambda token, ask: None))
    try:
        function(nobody, request_without_token(), **dict.fromkeys(re.findall(r"{([^{}]+)}", path), "x"))
    except CatalogueError as exc:
        return exc.code == "UNAUTHENTICATED"
    except Exception:  # an open endpoint got as far as its own work with a stand-in self
        return False
    return False


def test_document_is_openapi_3_with_a_title_and_version(spec):
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] and spec["info"]["version"]


def test_every_operation_has_responses_keyed_by_http_status(spec):
    for path, item in spec["paths"].items():
        assert path.startswith("/")
        assert set(item) - {"parameters"} <= METHODS, path
    for path, _, operation in operations(spec):
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
    for path, method, operation in operations(spec):
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")) and "$ref" in str(response.get("content")):
                codes = re.findall(r"`([A-Z_]+)`", response["description"])
                assert codes, (path, method, status)
                assert {CATALOGUE[code].status for code in codes} == {int(status)}, (path, method, status)


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


def test_every_route_the_gateway_serves_is_documented(spec):
    documented = {(method, path) for path, method, _ in operations(spec)}

    assert served_routes() - documented == set()


def test_the_document_has_no_route_the_gateway_does_not_serve(spec):
    documented = {(method, path) for path, method, _ in operations(spec)}

    assert documented - served_routes() == set()


def test_document_is_structurally_valid_openapi_3_0(spec):
    """The rules of OpenAPI 3.0 that apispec does not enforce for what is written by hand."""
    schemes = spec["components"].get("securitySchemes", {})
    for path, item in spec["paths"].items():
        templated = set(re.findall(r"{([^{}]+)}", path))
        for method, operation in ((m, o) for m, o in item.items() if m in METHODS):
            where = (path, method)
            parameters = item.get("parameters", []) + operation.get("parameters", [])
            keys = [(p["name"], p["in"]) for p in operation.get("parameters", [])]
            assert len(keys) == len(set(keys)), where
            for parameter in parameters:
                assert parameter["in"] in {"query", "header", "path", "cookie"}, where
                assert "schema" in parameter or "content" in parameter, where
                if parameter["in"] == "path":
                    assert parameter.get("required") is True, where
            assert {p["name"] for p in parameters if p["in"] == "path"} == templated, where
            if "requestBody" in operation:
                assert operation["requestBody"]["content"], where
                assert method not in {"get", "head", "delete"}, where
            for requirement in operation.get("security", []):
                assert set(requirement) <= set(schemes), where
            for response in operation["responses"].values():
                for media in response.get("content", {}).values():
                    assert "schema" in media, where
                for header in response.get("headers", {}).values():
                    assert "schema" in header, where
    for scheme in schemes.values():
        assert scheme["type"] in {"apiKey", "http", "oauth2", "openIdConnect"}


def test_document_passes_the_openapi_spec_validator(spec):
    validator = pytest.importorskip("openapi_spec_validator")

    validator.validate(spec)


def test_every_answer_that_asks_to_wait_documents_retry_after(spec):
    for path, method, operation in operations(spec):
        for status, response in operation["responses"].items():
            if status in WAIT_STATUSES and "$ref" in str(response.get("content")):
                header = response.get("headers", {}).get("Retry-After")
                assert header and header["schema"] == {"type": "integer", "minimum": 1}, (path, method, status)


def test_every_429_code_says_which_limit_it_is(spec):
    for path, method, operation in operations(spec):
        response = operation["responses"].get("429")
        if response:
            for part in response["description"].split("; "):
                assert re.fullmatch(r"`[A-Z_]+`: .+ \(.+\)", part), (path, method, part)


def test_protected_routes_and_only_they_require_the_bearer_token_or_the_pages_cookie(spec):
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        **spec["components"]["securitySchemes"]["bearerAuth"],
        "type": "http",
        "scheme": "bearer",
    }
    assert spec["components"]["securitySchemes"]["cookieAuth"] == {
        **spec["components"]["securitySchemes"]["cookieAuth"],
        "type": "apiKey",
        "in": "cookie",
        "name": "hrss_session",
    }
    protected = {(method, path) for method, path, function in endpoints() if is_protected(function, path)}
    assert protected, "no protected route found"

    for path, method, operation in operations(spec):
        if (method, path) in protected:
            assert operation["security"] == [{"bearerAuth": []}, {"cookieAuth": []}], (method, path)
            assert "`UNAUTHENTICATED`" in operation["responses"]["401"]["description"], (method, path)
            assert "`FORBIDDEN`" in operation["responses"]["403"]["description"], (method, path)
            csrf = "`CSRF_TOKEN_INVALID`" in operation["responses"]["403"]["description"]
            assert csrf == (method in ("post", "put", "patch", "delete")), (method, path)
        else:
            assert "security" not in operation, (method, path)


def test_me_is_documented_with_exactly_the_keys_the_gateway_answers(spec):
    session = {
        "account_id": "a1",
        "login_name": "91110000600037341L",
        "role": "legal",
        "uscc": "91110000600037341L",
        "agency": None,
        "id_number": "36042619910********",
        "name": "张三",
    }
    gateway = SimpleNamespace(
        identity=SimpleNamespace(authenticate=lambda token: session),
        sessions=SimpleNamespace(authenticate=lambda token, ask: ask(token)),
    )
    answer = GatewayService.me(gateway, request_without_token())

    ok = spec["paths"]["/api/v1/me"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    schema = resolve(spec, ok["$ref"])

    assert set(schema["properties"]) == set(answer) == set(schema["required"])
    assert {key for key, value in schema["properties"].items() if value.get("nullable")} == {
        "uscc",
        "agency",
        "id_number",
        "name",
    }


def test_login_documents_the_manuals_outcomes_the_lock_and_its_limits(spec):
    responses = spec["paths"][LOGIN]["post"]["responses"]
    body = spec["paths"][LOGIN]["post"]["requestBody"]["content"]["application/json"]["schema"]

    assert resolve(spec, body["$ref"]) is spec["components"]["schemas"]["LoginRequest"]
    for status, codes in {
        "400": ["ACCOUNT_REQUIRED", "PASSWORD_REQUIRED", "VALIDATION_FAILED", "MALFORMED_REQUEST"],
        "401": ["ACCOUNT_NOT_FOUND", "USE_QR_LOGIN", "BAD_CREDENTIALS"],
        "423": ["ACCOUNT_LOCKED"],
        "429": ["TOO_MANY_REQUESTS", "LOGIN_ATTEMPTS_EXCEEDED"],
        "503": ["SERVICE_UNAVAILABLE"],
    }.items():
        assert set(re.findall(r"`([A-Z_]+)`", responses[status]["description"])) == set(codes), status


def test_qr_status_takes_the_binding_header_and_a_bounded_wait(spec):
    operation = spec["paths"][QR_STATUS]["get"]
    parameters = {(p["in"], p["name"]): p for p in operation["parameters"]}
    status = resolve(spec, operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"])

    assert parameters[("header", "X-QR-Binding")]["required"] is True
    assert parameters[("query", "wait")]["schema"] == {"type": "integer", "minimum": 0, "maximum": MAX_WAIT_SECONDS}
    assert status["properties"]["status"]["enum"] == list(QR_STATUSES)
    assert sorted(status["required"]) == ["expires_in", "status"]
    assert "`SLOW_DOWN`" in operation["responses"]["429"]["description"]


def test_assertion_description_names_its_signature_and_every_claim(spec):
    description = spec["paths"][ASSERTIONS]["post"]["description"]

    assert "EdDSA" in description and "Ed25519" in description
    for claim in ("qr", "sub", "name", "act", "iat", "exp", "jti", "scan", "confirm", "cancel"):
        assert f"`{claim}`" in description, claim


CASE_ROUTES = {
    ("post", "/api/v1/cases"): {
        "400": ["VALIDATION_FAILED", "MALFORMED_REQUEST"],
        "403": ["FORBIDDEN", "RELATION_NOT_GRANTED"],
        "404": ["BUSINESS_ITEM_NOT_FOUND"],
        "422": ["ITEM_NOT_ONLINE", "ITEM_NOT_APPLICABLE", "ATTACHMENT_NOT_FOUND"],
    },
    ("get", "/api/v1/cases"): {"400": ["VALIDATION_FAILED"]},
    ("get", "/api/v1/cases/{case_no}"): {"404": ["CASE_NOT_FOUND"]},
    ("get", "/api/v1/cases/{case_no}/materials/{attachment_id}"): {"404": ["CASE_NOT_FOUND", "NOT_FOUND"]},
    ("post", "/api/v1/cases/{case_no}/withdrawal"): {"404": ["CASE_NOT_FOUND"], "409": ["CASE_STATUS_CONFLICT"]},
    ("post", "/api/v1/cases/{case_no}/resubmission"): {
        "400": ["VALIDATION_FAILED", "MALFORMED_REQUEST"],
        "404": ["CASE_NOT_FOUND", "BUSINESS_ITEM_NOT_FOUND"],
        "409": ["CASE_STATUS_CONFLICT"],
        "422": ["ATTACHMENT_NOT_FOUND"],
    },
    ("get", "/api/v1/agency/cases"): {"400": ["VALIDATION_FAILED"]},
    ("post", "/api/v1/agency/cases/{case_no}/decisions"): {
        "400": ["VALIDATION_FAILED", "MALFORMED_REQUEST"],
        "404": ["CASE_NOT_FOUND"],
        "409": ["CASE_STATUS_CONFLICT"],
    },
    ("post", "/api/v1/agency/units/{unit_no}/credit-code"): {
        "400": ["VALIDATION_FAILED", "MALFORMED_REQUEST"],
        "404": ["UNIT_NOT_FOUND"],
        "422": ["CREDIT_CODE_MISMATCH"],
    },
}
CASE_BODIES = {
    ("post", "/api/v1/cases"): ("CaseRequest", CaseRequestSchema, True),
    ("post", "/api/v1/cases/{case_no}/resubmission"): ("ResubmissionRequest", ResubmissionSchema, True),
    ("post", "/api/v1/cases/{case_no}/withdrawal"): ("WithdrawalRequest", WithdrawalSchema, False),
    ("post", "/api/v1/agency/cases/{case_no}/decisions"): ("DecisionRequest", DecisionSchema, True),
}


def codes_of(response):
    return set(re.findall(r"`([A-Z_]+)`", response["description"]))


def schemas_in(node):
    """Every schema object of the document: those with a type, a $ref or a composition."""
    if isinstance(node, dict):
        if {"type", "allOf", "$ref"} & set(node):
            yield node
        for value in node.values():
            yield from schemas_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from schemas_in(item)


def properties_of(spec, schema):
    """The properties a schema promises, through its references and allOf parts."""
    if "$ref" in schema:
        return properties_of(spec, resolve(spec, schema["$ref"]))
    found = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        found.update(properties_of(spec, part))
    return found


@pytest.mark.parametrize(("method", "path"), sorted(CASE_ROUTES))
def test_case_routes_document_every_refusal_with_its_catalogue_code(spec, method, path):
    responses = spec["paths"][path][method]["responses"]

    for status, codes in CASE_ROUTES[(method, path)].items():
        csrf = {"CSRF_TOKEN_INVALID"} if status == "403" and method != "get" else set()
        assert codes_of(responses[status]) == set(codes) | csrf, status
    assert codes_of(responses["401"]) == {"UNAUTHENTICATED"}
    assert codes_of(responses["503"]) == {"SERVICE_UNAVAILABLE"}
    if method == "post":
        assert codes_of(responses["408"]) == {"REQUEST_TIMEOUT"}
        assert codes_of(responses["413"]) == {"PAYLOAD_TOO_LARGE"}


@pytest.mark.parametrize(("method", "path"), sorted(CASE_BODIES))
def test_case_request_bodies_are_the_contract_schemas(spec, method, path):
    name, schema_class, required = CASE_BODIES[(method, path)]
    body = spec["paths"][path][method]["requestBody"]

    schema = resolve(spec, body["content"]["application/json"]["schema"]["$ref"])

    assert body["required"] is required
    assert schema is spec["components"]["schemas"][name]
    assert set(schema["properties"]) == set(schema_class().fields)
    assert sorted(schema.get("required", [])) == sorted(n for n, f in schema_class().fields.items() if f.required)


def test_a_submissions_materials_are_counted_as_an_objects_entries(spec):
    for name in ("CaseRequest", "ResubmissionRequest"):
        attachments = spec["components"]["schemas"][name]["properties"]["attachments"]

        assert attachments["maxProperties"] == MAX_MATERIALS, name
        assert attachments["additionalProperties"]["maxLength"] == 80, name


def test_only_strings_carry_string_lengths_and_patterns(spec):
    for schema in schemas_in(spec):
        if {"minLength", "maxLength", "pattern"} & set(schema):
            assert schema.get("type") == "string", schema


@pytest.mark.parametrize("path", ["/api/v1/cases", "/api/v1/agency/cases"])
def test_case_listings_take_the_case_query_with_its_bounds(spec, path):
    parameters = {p["name"]: p["schema"] for p in spec["paths"][path]["get"]["parameters"] if p["in"] == "query"}
    fields = CaseQuerySchema().fields

    assert set(parameters) == set(fields)
    assert parameters["status"]["enum"] == list(STATUSES)
    for name in ("page", "page_size"):
        bounds = next(v for v in fields[name].validators if isinstance(v, validate.Range))
        assert (parameters[name]["minimum"], parameters[name]["maximum"]) == (bounds.min, bounds.max), name
        assert parameters[name]["default"] == fields[name].load_default, name
    length = next(v for v in fields["item_code"].validators if isinstance(v, validate.Length))
    assert (parameters["item_code"]["minLength"], parameters["item_code"]["maxLength"]) == (length.min, length.max)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases/{case_no}/withdrawal",
        "/api/v1/cases/{case_no}/resubmission",
        "/api/v1/agency/cases/{case_no}/decisions",
    ],
)
def test_a_case_status_conflict_documents_the_current_status(spec, path):
    schema = spec["paths"][path]["post"]["responses"]["409"]["content"]["application/json"]["schema"]

    error = properties_of(spec, schema)["error"]
    conflict = resolve(spec, schema["$ref"])

    assert {"$ref": "#/components/schemas/Error"} in conflict["allOf"]
    assert error["properties"]["current_status"]["enum"] == list(STATUSES)
    assert "current_status" in error["required"]


def test_case_answers_are_documented_with_exactly_the_keys_the_business_service_answers(spec):
    messages = pytest.importorskip("hrss_business.adapters.messages")
    from hrss_business.domain.cases import Actor, Case, Material, Relation

    at = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    applicant = Actor("a1", "91110000600037341L", "legal")
    relation = Relation("r1", "e1", "U1", "110", "某经办机构")
    material = Material("change-form", "att1", "form.pdf", "application/pdf", 10, "0" * 64)
    item = ("unit-key-info", "单位关键信息维护")
    case = Case.submit("YW20261128000001", item, applicant.login_name, relation, {}, (material,), applicant, at)
    schemas = spec["components"]["schemas"]

    view = messages.case_view(case)
    page = messages.page_view([], 0, 1, 20)

    assert set(properties_of(spec, schemas["CaseSummary"])) == set(messages.case_summary(case))
    assert set(properties_of(spec, schemas["Case"])) == set(view)
    assert set(properties_of(spec, schemas["CaseStep"])) == set(view["history"][0])
    assert set(properties_of(spec, schemas["CaseActor"])) == set(view["history"][0]["actor"])
    assert set(properties_of(spec, schemas["CaseMaterial"])) == set(view["materials"][0])
    assert set(properties_of(spec, schemas["CasePage"])) == set(page)


def test_patterns_are_written_as_ecma_262_reads_them(spec):
    found = re.findall(r"'pattern': '([^']*)'", str(spec))
    assert found and not [p for p in found if p.endswith("\\\\Z")]
    assert "^1[3-9][0-9]{9}$" in found  # the contracts' "^1[3-9][0-9]{9}\Z"


def ecma(pattern):
    """A contract's Python pattern as the document writes it (``\\Z`` is ECMA-262's ``$``)."""
    return pattern[:-2] + "$" if pattern.endswith("\\Z") else pattern


def test_the_code_fields_document_their_patterns_and_what_no_pattern_says(spec):
    schemas = spec["components"]["schemas"]
    registration = schemas["RegistrationRequest"]["properties"]

    assert registration["uscc"]["pattern"] == ecma(USCC_PATTERN)
    assert registration["legal_rep_id"]["pattern"] == ecma(ID_NUMBER_PATTERN)
    assert registration["phone"]["pattern"] == ecma(PHONE_PATTERN)
    for field in ("uscc", "legal_rep_id"):
        assert (registration[field]["minLength"], registration[field]["maxLength"]) == (18, 18)
        assert "check character" in registration[field]["description"], field
    assert registration["legal_rep_name"]["pattern"] == ecma(NAME_PATTERN)
    for name in ("Selection", "CreditCodeRequest", "WindowAuthorizationRequest"):
        assert schemas[name]["properties"]["uscc"]["pattern"] == ecma(USCC_PATTERN), name
    for name in ("ClerkRequest", "WindowGrant"):
        document = schemas[name]["properties"]
        assert document["id_number"]["pattern"] == ecma(DOCUMENT_NUMBER_PATTERN), name
        assert "GB 11643 (check character" in document["id_number"]["description"], name
        assert document["id_type"]["enum"] == list(ID_TYPES) and document["id_type"]["default"] == RESIDENT_ID
    assert schemas["CaseRequest"]["properties"]["relation_id"]["pattern"] == ecma(NO_CONTROL_PATTERN)
    assert schemas["DecisionRequest"]["properties"]["comment"]["pattern"] == ecma(COMMENT_PATTERN)


def patterns_in(node):
    return values_of("pattern", node)


def test_every_pattern_is_one_an_ecma_262_engine_reads(spec):
    engine = pytest.importorskip("jsonschema_rs")  # Rust's ECMA-262 flavour, schemathesis's validator

    found = set(patterns_in(spec))

    assert len(found) > 5
    for pattern in found:
        assert not re.search(r"\\[AZz]|\(\?P|\(\?[aiLmsux]", pattern), pattern  # Python's own syntax
        engine.validator_for({"type": "string", "pattern": pattern})  # raises on what it cannot read


def parameters_of(item, operation):
    return item.get("parameters", []) + operation.get("parameters", [])


def test_path_values_and_query_arguments_are_documented_as_the_gateway_refuses_them(spec):
    """``wsgi_app.refuse_control_characters``: a control character in either is 400; a path value
    is one segment."""
    for path, item in spec["paths"].items():
        for method, operation in ((m, o) for m, o in item.items() if m in METHODS):
            checked = [p for p in parameters_of(item, operation) if p["in"] in ("path", "query")]
            for parameter in checked:
                schema = parameter["schema"]
                if schema.get("type") == "string" and "enum" not in schema:
                    pattern = re.compile(schema["pattern"])
                    assert not pattern.search("a\x00b") and not pattern.search("a\x85"), (path, parameter["name"])
                    assert not pattern.search("a/b") or parameter["in"] == "query", (path, parameter["name"])
            if checked:
                assert "VALIDATION_FAILED" in codes_of(operation["responses"]["400"]), (method, path)


def test_every_query_argument_may_be_empty_as_the_gateway_reads_an_empty_one_as_none(spec):
    for path, item in spec["paths"].items():
        for operation in (o for m, o in item.items() if m in METHODS):
            for parameter in (p for p in parameters_of(item, operation) if p["in"] == "query"):
                assert parameter["allowEmptyValue"] is True and parameter["required"] is False, (path, parameter)


def test_every_json_body_may_be_too_large_or_too_slow(spec):
    for path, method, operation in operations(spec):
        if "application/json" in operation.get("requestBody", {}).get("content", {}):
            assert codes_of(operation["responses"]["413"]) == {"PAYLOAD_TOO_LARGE"}, (method, path)
            assert codes_of(operation["responses"]["408"]) == {"REQUEST_TIMEOUT"}, (method, path)


def test_every_unauthenticated_post_documents_the_per_address_limit(spec):
    for path, method, operation in operations(spec):
        if method == "post" and "security" not in operation and path != ASSERTIONS:
            assert "TOO_MANY_REQUESTS" in codes_of(operation["responses"]["429"]), path


def links_in(spec):
    for path, method, operation in operations(spec):
        for status, response in operation["responses"].items():
            for name, link in response.get("links", {}).items():
                yield (method, path, status, name), response, link


def test_every_link_names_an_operation_and_its_parameters_from_the_answer(spec):
    found = list(links_in(spec))
    assert {where[1] for where, _, _ in found} >= {
        "/api/v1/auth/qr-sessions",
        "/api/v1/clerks",
        "/api/v1/cases",
        "/api/v1/attachments",
    }
    for where, response, link in found:
        target_path, target_method = re.fullmatch(r"#/paths/(.+)/(\w+)", link["operationRef"]).groups()
        target_path = target_path.replace("%7B", "{").replace("%7D", "}").replace("~1", "/").replace("~0", "~")
        target = spec["paths"][target_path]
        names = {
            (p["name"] if p["in"] == "path" else f"{p['in']}.{p['name']}")
            for p in parameters_of(target, target[target_method])
        }
        answer = properties_of(spec, response["content"]["application/json"]["schema"])
        for parameter, expression in link["parameters"].items():
            assert parameter in names, (where, parameter)
            assert expression.removeprefix("$response.body#/") in answer, (where, expression)


def schemas_with_all_of(node):
    if isinstance(node, dict):
        if "allOf" in node:
            yield node
        for value in node.values():
            yield from schemas_with_all_of(value)
    elif isinstance(node, list):
        for item in node:
            yield from schemas_with_all_of(item)


def test_no_part_of_an_all_of_forbids_what_another_part_adds(spec):
    """``additionalProperties: false`` in one part of an ``allOf`` refuses every property the
    other parts name (the agency window's marked relations were refused so)."""
    for schema in schemas_with_all_of(spec):
        parts = [resolve(spec, p["$ref"]) if "$ref" in p else p for p in schema["allOf"]]
        named = set().union(*(properties_of(spec, part) for part in parts))
        for part in parts:
            if part.get("additionalProperties") is False:
                assert named <= set(part.get("properties", {})), schema


def test_the_agency_windows_relations_are_marked(spec):
    marked = spec["components"]["schemas"]["MarkedRelation"]
    relation = spec["components"]["schemas"]["Relation"]

    assert set(marked["properties"]) == set(relation["properties"]) | {"granted"}
    assert "granted" in marked["required"]
