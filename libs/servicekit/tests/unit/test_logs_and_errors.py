"""JSON log lines without ID numbers, and errors translated into catalogue codes."""

import json
import logging
import sys
import uuid
from datetime import datetime

import pytest
from marshmallow import ValidationError
from nameko.exceptions import serialize

from hrss_contracts.errors import CatalogueError
from hrss_kit.errors import field_errors, translate_errors
from hrss_kit.logs import JsonFormatter, call_id
from hrss_kit.rpc import RemoteError, RpcTimeout, rebuild_error

pytestmark = pytest.mark.unit

ID_NUMBER = "360426199101010071"
MASKED_ID_NUMBER = "36042619910********"


def a_record(message, *args, level=logging.INFO, exc_info=None, name=None):
    return logging.LogRecord(name or f"test.{uuid.uuid4().hex[:8]}", level, __file__, 1, message, args, exc_info)


def formatted(record, service="enterprise"):
    line = JsonFormatter(service).format(record)
    assert "\n" not in line
    return json.loads(line)


def exc_info_of(exc):
    try:
        raise exc
    except type(exc):
        return sys.exc_info()


@pytest.fixture
def current_call_id():
    value = f"enterprise.register.{uuid.uuid4()}"
    token = call_id.set(value)
    yield value
    call_id.reset(token)


# Log lines


def test_a_log_record_becomes_one_json_object_with_its_context():
    record = a_record("registered %s units", 3, level=logging.WARNING)

    entry = formatted(record, service="identity")

    assert entry == {
        "ts": entry["ts"],
        "level": "warning",
        "service": "identity",
        "logger": record.name,
        "message": "registered 3 units",
    }
    assert datetime.fromisoformat(entry["ts"]).timestamp() == pytest.approx(record.created, abs=0.001)
    assert datetime.fromisoformat(entry["ts"]).utcoffset() is not None


def test_an_id_number_in_a_log_message_is_masked():
    entry = formatted(a_record("证件号码%s已登记", ID_NUMBER))

    assert entry["message"] == f"证件号码{MASKED_ID_NUMBER}已登记"


def test_an_id_number_in_an_exception_is_masked():
    entry = formatted(a_record("lookup failed", level=logging.ERROR, exc_info=exc_info_of(KeyError(ID_NUMBER))))

    assert "KeyError" in entry["exception"]
    assert MASKED_ID_NUMBER in entry["exception"]
    assert ID_NUMBER not in json.dumps(entry)


def test_an_expected_exception_is_logged_without_its_traceback():
    entry = formatted(a_record("(expected) refused", exc_info=exc_info_of(ValueError("refused"))))

    assert "exception" not in entry


def test_an_eighteen_digit_number_that_is_not_an_id_number_is_left_alone():
    order_number = "123456789012345678"

    assert formatted(a_record(f"order {order_number}"))["message"] == f"order {order_number}"


def test_a_log_line_written_during_a_call_carries_its_call_id(current_call_id):
    assert formatted(a_record("hello"))["call_id"] == current_call_id


def test_a_log_line_written_outside_a_call_has_no_call_id():
    assert "call_id" not in formatted(a_record("hello"))


# Field errors


def test_nested_field_errors_are_flattened_to_dotted_names():
    assert field_errors({"units": {0: {"unit_no": ["x"]}}}) == {"units.0.unit_no": ["x"]}


def test_top_level_and_schema_errors_keep_their_names():
    messages = {"uscc": ["bad", "short"], "_schema": ["inconsistent"]}

    assert field_errors(messages) == {"uscc": ["bad", "short"], "_schema": ["inconsistent"]}


def test_errors_without_a_field_are_schema_errors():
    assert field_errors(["not an object"]) == {"_schema": ["not an object"]}


# Translation into catalogue codes


class RegistrationError(Exception):
    pass


class NotVerified(RegistrationError):
    pass


def raising(exc):
    @translate_errors({RegistrationError: lambda e: CatalogueError("ENTERPRISE_NOT_VERIFIED")})
    def entrypoint():
        raise exc

    return entrypoint


def test_a_listed_exception_leaves_as_the_catalogue_error_it_names():
    original = RegistrationError()

    with pytest.raises(CatalogueError) as raised:
        raising(original)()

    assert raised.value.code == "ENTERPRISE_NOT_VERIFIED"
    assert raised.value.__cause__ is original


def test_a_subclass_of_a_listed_exception_leaves_as_the_catalogue_error_of_its_base():
    with pytest.raises(CatalogueError) as raised:
        raising(NotVerified())()

    assert raised.value.code == "ENTERPRISE_NOT_VERIFIED"


def test_a_validation_error_leaves_as_validation_failed_with_its_fields():
    with pytest.raises(CatalogueError) as raised:
        raising(ValidationError({"units": {0: {"unit_no": ["x"]}}, "uscc": ["bad"]}))()

    assert raised.value.code == "VALIDATION_FAILED"
    assert raised.value.fields == {"units.0.unit_no": ["x"], "uscc": ["bad"]}


def test_an_unlisted_exception_leaves_unchanged():
    original = KeyError(uuid.uuid4().hex)

    with pytest.raises(KeyError) as raised:
        raising(original)()

    assert raised.value is original


def test_a_translated_entrypoint_returns_what_it_returns_and_keeps_its_name():
    @translate_errors({})
    def lookup(code):
        return {"code": code}

    code = uuid.uuid4().hex
    assert lookup(code) == {"code": code}
    assert lookup.__name__ == "lookup"


# Errors rebuilt from RPC replies


def test_a_serialised_catalogue_error_is_rebuilt_with_its_code():
    error = rebuild_error(
        {
            "exc_path": "hrss_contracts.errors.CatalogueError",
            "exc_args": ["ENTERPRISE_NOT_VERIFIED", {}, {}],
            "exc_type": "CatalogueError",
            "value": "ENTERPRISE_NOT_VERIFIED: 企业信息在组织机构相关信息库验证失败,无法注册!",
        }
    )

    assert isinstance(error, CatalogueError)
    assert (error.code, error.fields, error.params) == ("ENTERPRISE_NOT_VERIFIED", {}, {})


def test_a_catalogue_error_survives_nameko_serialisation_with_its_fields_and_params():
    sent = CatalogueError("REGISTRATION_MISMATCH", fields={"name": ["与参保登记信息不一致"]}, params={"k": "v"})

    error = rebuild_error(json.loads(json.dumps(serialize(sent))))

    assert isinstance(error, CatalogueError)
    assert (error.code, error.fields, error.params) == (sent.code, sent.fields, sent.params)


def test_a_serialised_rpc_timeout_is_rebuilt_as_service_unavailable():
    error = rebuild_error(json.loads(json.dumps(serialize(RpcTimeout("enterprise", "register")))))

    assert isinstance(error, CatalogueError)
    assert error.code == "SERVICE_UNAVAILABLE"


def test_any_other_serialised_exception_is_rebuilt_as_a_remote_error():
    detail = uuid.uuid4().hex

    error = rebuild_error(json.loads(json.dumps(serialize(KeyError(detail)))))

    assert isinstance(error, RemoteError)
    assert "KeyError" in str(error)
    assert detail in str(error)


def test_a_catalogue_code_this_caller_does_not_know_arrives_as_a_remote_error():
    error = {
        "exc_path": "hrss_contracts.errors.CatalogueError",
        "exc_args": ["CODE_FROM_THE_FUTURE", {}, {}],
        "exc_type": "CatalogueError",
        "value": "?",
    }
    assert isinstance(rebuild_error(error), RemoteError)
