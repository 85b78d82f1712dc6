"""What marshmallow itself says reaches users in their language."""

import pytest
from marshmallow import ValidationError

from hrss_contracts.registration import RegistrationRequestSchema
from hrss_contracts.sources import SourceRecordSchema

pytestmark = pytest.mark.unit


def messages_of(schema, data):
    with pytest.raises(ValidationError) as raised:
        schema.load(data)
    return raised.value.messages


def test_missing_null_wrong_type_and_unknown_fields_are_explained_in_chinese():
    messages = messages_of(RegistrationRequestSchema(), {"uscc": 5, "name": None, "extra": 1})
    assert messages["uscc"] == ["必须是文本"]
    assert messages["name"] == ["此项不能为空"]
    assert messages["phone"] == ["此项为必填项"]
    assert messages["extra"] == ["不允许的字段"]


def test_a_nested_record_that_is_not_an_object_is_explained():
    messages = messages_of(SourceRecordSchema(), {"units": [5]})
    assert messages["units"][0] == {"_schema": ["必须是 JSON 对象"]}
