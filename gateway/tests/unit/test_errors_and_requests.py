"""The gateway's edges: exception → catalogue error, request bodies, and the JSON error body."""

import io
import json
import random
import uuid

import pytest
import redis
from eventlet.wsgi import ChunkReadError
from marshmallow import ValidationError
from werkzeug.wrappers import Request

from hrss_contracts.errors import CATALOGUE, CatalogueError
from hrss_contracts.examples import random_id_number, random_uscc
from hrss_contracts.registration import RegistrationRequestSchema
from hrss_gateway.errors import (
    BodyNotReceived,
    BodyTooLarge,
    MalformedJson,
    MethodNotAllowed,
    RateLimited,
    RouteNotFound,
    as_catalogue_error,
)
from hrss_gateway.requests import json_body, load
from hrss_gateway.wsgi_app import error_response
from hrss_kit.rpc import RemoteError, RpcTimeout

pytestmark = pytest.mark.unit

REQUIRED = {"uscc", "name", "legal_rep_name", "legal_rep_id", "phone"}


def a_registration(**overrides):
    return {
        "uscc": random_uscc(),
        "name": f"企业{random.randrange(10**8):08d}",
        "legal_rep_name": "张三",
        "legal_rep_id": random_id_number(),
        "phone": f"139{random.randrange(10**8):08d}",
        **overrides,
    }


def json_request(data):
    return Request.from_values(data=data, content_type="application/json")


def body_of(response):
    return json.loads(response.get_data(as_text=True))


# as_catalogue_error


def test_catalogue_error_passes_through_unchanged():
    error = CatalogueError("LEGAL_ACCOUNT_EXISTS")

    assert as_catalogue_error(error) is error


def test_rpc_timeout_is_service_unavailable():
    error = as_catalogue_error(RpcTimeout("identity", "register"))

    assert (error.code, error.status) == ("SERVICE_UNAVAILABLE", 503)


def test_validation_error_is_validation_failed_naming_each_field():
    messages = {"uscc": ["统一社会信用代码格式不正确"], "phone": ["联系电话格式不正确", "太长"]}

    error = as_catalogue_error(ValidationError(messages))

    assert (error.code, error.status, error.fields) == ("VALIDATION_FAILED", 400, messages)


@pytest.mark.parametrize(
    ("exc", "code", "status"),
    [
        (MalformedJson(), "MALFORMED_REQUEST", 400),
        (BodyTooLarge(), "PAYLOAD_TOO_LARGE", 413),
        (BodyNotReceived(), "REQUEST_TIMEOUT", 408),
        (RouteNotFound(), "NOT_FOUND", 404),
        (MethodNotAllowed(), "METHOD_NOT_ALLOWED", 405),
    ],
)
def test_gateway_exception_maps_to_its_catalogue_code_and_status(exc, code, status):
    error = as_catalogue_error(exc)

    assert (error.code, error.status, error.fields) == (code, status, {})


@pytest.mark.parametrize("kind", [RemoteError, RuntimeError, KeyError])
def test_unexpected_error_is_internal_error_revealing_nothing_of_its_text(kind):
    secret = f"secret-{uuid.uuid4().hex}"

    error = as_catalogue_error(kind(f"KeyError: {secret}"))
    response = error_response(kind(secret))

    assert (error.code, error.status, error.fields) == ("INTERNAL_ERROR", 500, {})
    assert secret not in error.message
    assert response.status_code == 500
    assert body_of(response) == {"error": {"code": "INTERNAL_ERROR", "message": CATALOGUE["INTERNAL_ERROR"].message}}


@pytest.mark.parametrize(
    "exc",
    [redis.exceptions.ConnectionError("refused"), redis.exceptions.TimeoutError("timed out")],
    ids=["refused", "timeout"],
)
def test_a_redis_failure_in_the_gateway_is_service_unavailable_not_internal_error(exc):
    error = as_catalogue_error(exc)

    assert (error.code, error.status) == ("SERVICE_UNAVAILABLE", 503)


def test_a_body_not_received_in_time_is_a_timeout_though_a_socket_timeout_caused_it():
    try:
        try:
            raise TimeoutError("timed out")
        except TimeoutError as timeout:
            raise BodyNotReceived() from timeout
    except BodyNotReceived as exc:
        error = as_catalogue_error(exc)

    assert (error.code, error.status) == ("REQUEST_TIMEOUT", 408)


# json_body and load


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        b'{"name": "\xff\xfe"}',
        b"[1, 2]",
        b'"text"',
        b"42",
        b"null",
        b'{"name": ',
        b'{"password": "\\ud800abcdefgh"}',
        b'{"name": ' + b"[" * 30000 + b"]" * 30000 + b"}",
        b'{"form": {"total_wage": NaN}}',
        b'{"form": {"total_wage": -Infinity}}',
        b'{"form": {"total_wage": 1e999}}',
        b'{"form": {"total_wage": 1' + b"0" * 400 + b"}}",
    ],
    ids=[
        "empty",
        "not-json",
        "invalid-utf8",
        "array",
        "string",
        "number",
        "null",
        "truncated",
        "surrogate",
        "deep",
        "nan",
        "infinity",
        "overflow",
        "huge-integer",
    ],
)
def test_body_that_is_not_a_json_object_is_malformed(data):
    with pytest.raises(MalformedJson):
        json_body(json_request(data))


def test_json_object_body_is_read_as_a_dict():
    body = a_registration(name=f"哈尔滨{uuid.uuid4().hex}有限公司")

    assert json_body(json_request(json.dumps(body, ensure_ascii=False).encode())) == body


def test_chunked_body_larger_than_the_limit_is_too_large():
    data = json.dumps(a_registration(name="企" * 1000)).encode()
    request = Request.from_values(data=data, content_type="application/json")
    del request.environ["CONTENT_LENGTH"]
    request.environ.update({"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input_terminated": True})
    request.environ["wsgi.input"] = io.BytesIO(data)
    request.max_content_length = 100

    with pytest.raises(BodyTooLarge):
        json_body(request)


class FailingInput:
    def __init__(self, exc):
        self.exc = exc

    def read(self, _size=-1):
        raise self.exc


@pytest.mark.parametrize("exc", [TimeoutError("timed out"), ConnectionResetError()], ids=["deadline", "reset"])
def test_a_body_cut_off_by_its_deadline_or_its_client_is_not_received(exc):
    request = json_request(b"{}")
    request.environ["wsgi.input"] = FailingInput(exc)

    with pytest.raises(BodyNotReceived):
        json_body(request)


def test_a_broken_chunked_body_is_malformed():
    request = json_request(b"{}")
    request.environ["wsgi.input"] = FailingInput(ChunkReadError("invalid chunk length"))

    with pytest.raises(MalformedJson):
        json_body(request)


def test_valid_registration_loads_with_no_password_when_none_was_given():
    body = a_registration()

    loaded = load(json_request(json.dumps(body).encode()), RegistrationRequestSchema())

    assert loaded == {**body, "password": None}


def test_registration_with_an_unknown_field_is_refused_naming_that_field():
    body = a_registration(nickname="小张")

    with pytest.raises(ValidationError) as raised:
        load(json_request(json.dumps(body).encode()), RegistrationRequestSchema())

    assert set(raised.value.messages) == {"nickname"}


def test_empty_registration_is_refused_naming_every_required_field_and_not_the_password():
    with pytest.raises(ValidationError) as raised:
        load(json_request(b"{}"), RegistrationRequestSchema())

    assert set(raised.value.messages) == REQUIRED


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_registration_missing_one_field_is_refused_naming_that_field(missing):
    body = a_registration()
    del body[missing]

    with pytest.raises(ValidationError) as raised:
        load(json_request(json.dumps(body).encode()), RegistrationRequestSchema())

    assert set(raised.value.messages) == {missing}


# the error body


def test_error_body_carries_the_code_and_the_catalogue_message_exactly():
    response = error_response(CatalogueError("ENTERPRISE_NOT_VERIFIED"))

    assert response.status_code == 422
    assert response.mimetype == "application/json"
    assert body_of(response) == {
        "error": {"code": "ENTERPRISE_NOT_VERIFIED", "message": "企业信息在组织机构相关信息库验证失败,无法注册!"}
    }


def test_error_body_keeps_chinese_messages_readable():
    response = error_response(CatalogueError("LEGAL_ACCOUNT_EXISTS"))

    assert CATALOGUE["LEGAL_ACCOUNT_EXISTS"].message in response.get_data(as_text=True)


def test_validation_error_body_lists_the_fields():
    response = error_response(ValidationError({"phone": ["联系电话格式不正确"]}))

    assert response.status_code == 400
    assert body_of(response) == {
        "error": {
            "code": "VALIDATION_FAILED",
            "message": CATALOGUE["VALIDATION_FAILED"].message,
            "fields": {"phone": ["联系电话格式不正确"]},
        }
    }


def test_rpc_timeout_body_is_service_unavailable_without_naming_the_service():
    service = f"svc{uuid.uuid4().hex}"

    response = error_response(RpcTimeout(service, "register"))

    assert response.status_code == 503
    assert body_of(response)["error"] == {
        "code": "SERVICE_UNAVAILABLE",
        "message": CATALOGUE["SERVICE_UNAVAILABLE"].message,
    }
    assert service not in response.get_data(as_text=True)


# Retry-After


@pytest.mark.parametrize(
    "exc",
    [RpcTimeout("identity", "register"), CatalogueError("SERVICE_UNAVAILABLE"), redis.exceptions.ConnectionError()],
    ids=["rpc-timeout", "from-a-service", "redis-in-the-gateway"],
)
def test_every_service_unavailable_answer_says_when_to_retry(exc):
    response = error_response(exc, unavailable_retry_after=9)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "9"


def test_a_rate_limited_answer_says_its_own_wait():
    response = error_response(
        RateLimited("REGISTRATION_ATTEMPTS_EXCEEDED", retry_after=1234), unavailable_retry_after=9
    )

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1234"
    assert body_of(response)["error"] == {
        "code": "REGISTRATION_ATTEMPTS_EXCEEDED",
        "message": "该统一社会信用代码注册尝试次数过多,请稍后再试!",
    }


@pytest.mark.parametrize("wait", [0, -3, 0.2])
def test_a_rate_limited_wait_is_at_least_one_second(wait):
    assert RateLimited("TOO_MANY_REQUESTS", retry_after=wait).retry_after == 1


@pytest.mark.parametrize(
    "code", ["VALIDATION_FAILED", "REGISTRATION_MISMATCH", "LEGAL_ACCOUNT_EXISTS", "INTERNAL_ERROR"]
)
def test_other_errors_carry_no_retry_after(code):
    assert "Retry-After" not in error_response(CatalogueError(code)).headers
