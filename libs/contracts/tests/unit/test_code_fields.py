"""The code fields of the contracts: what a person types is read, what is wrong is named."""

import pytest
from marshmallow import ValidationError

from hrss_contracts.registration import RegistrationRequestSchema
from hrss_contracts.sources import SourceRecordSchema
from hrss_contracts.uscc import uscc_check_character

pytestmark = pytest.mark.unit

REQUEST = {
    "uscc": "91110000600037341L",
    "name": "某公司",
    "legal_rep_name": "某人",
    "legal_rep_id": "360426199101010071",
    "phone": "13800138000",
}


def field_messages(schema, data):
    with pytest.raises(ValidationError) as raised:
        schema.load(data)
    return raised.value.messages


def test_a_letter_in_the_division_code_is_named_in_the_message():
    body = "91AB0000600037341"
    code = body + uscc_check_character(body)
    for schema, data in ((RegistrationRequestSchema(), REQUEST), (SourceRecordSchema(), {**REQUEST, "units": []})):
        messages = field_messages(schema, {**data, "uscc": code})
        assert messages["uscc"] == ["统一社会信用代码第3至8位(登记管理机关行政区划码)应为数字"]


@pytest.mark.parametrize("code", ["91110000600037341N", "9111000060003734", "91110000600037341I"])
def test_other_bad_codes_keep_the_general_message(code):
    assert field_messages(RegistrationRequestSchema(), {**REQUEST, "uscc": code})["uscc"] == [
        "统一社会信用代码格式不正确"
    ]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("９１１１００００６０００３７３４１Ｌ", "91110000600037341L"),  # full-width, as an input method types it
        ("91110000600037341l", "91110000600037341L"),
        (" 91110000600037341L\u3000", "91110000600037341L"),
    ],
)
def test_a_credit_code_is_read_as_typed(typed, read):
    assert RegistrationRequestSchema().load({**REQUEST, "uscc": typed})["uscc"] == read


@pytest.mark.parametrize(
    ("typed", "read"),
    [("３６０４２６１９９１０１０１００７１", "360426199101010071"), ("44011320141005001x", "44011320141005001X")],
)
def test_an_id_number_is_read_as_typed(typed, read):
    assert RegistrationRequestSchema().load({**REQUEST, "legal_rep_id": typed})["legal_rep_id"] == read
