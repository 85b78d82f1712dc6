"""Names compare as people type them (issue 5, deliverable 5)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import ValidationError

from hrss_contracts.names import has_control_characters, normalise_name
from hrss_contracts.registration import RegistrationRequestSchema
from hrss_contracts.sources import SourceRecordSchema

pytestmark = pytest.mark.unit

REQUEST = {
    "uscc": "91110000600037341L",
    "name": "哈尔滨示范有限公司(黑龙江)",
    "legal_rep_name": "王建国",
    "legal_rep_id": "360426199101010071",
    "phone": "13800138000",
}
RECORD = {**{k: v for k, v in REQUEST.items() if k != "phone"}, "units": []}


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("有限公司（黑龙江）", "有限公司(黑龙江)"),  # full-width brackets
        ("有限公司(黑龙江)", "有限公司(黑龙江)"),
        ("哈尔滨\u3000示范公司", "哈尔滨 示范公司"),  # ideographic space
        ("哈尔滨\u00a0示范公司", "哈尔滨 示范公司"),  # no-break space
        ("哈尔滨  \t 示范\n公司", "哈尔滨 示范 公司"),  # runs of spaces, tabs and line breaks
        ("  \u3000王建国\u3000 ", "王建国"),  # trimmed, ideographic spaces too
        ("ＡＢＣ科技１号有限公司", "ABC科技1号有限公司"),  # full-width letters and digits
        ("王\u200b建国\ufeff", "王建国"),  # zero-width space, byte-order mark
        ("阿依古丽•买买提", "阿依古丽·买买提"),  # bullet typed for the middle dot
        ("阿依古丽・买买提", "阿依古丽·买买提"),  # katakana middle dot
        ("阿依古丽･买买提", "阿依古丽·买买提"),  # half-width katakana middle dot
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("【示范】有限公司", "【示范】有限公司"),  # other brackets are the name's own
        ("Harbin Co., Ltd.", "Harbin Co., Ltd."),
    ],
)
def test_a_name_is_normalised_to_its_one_spelling(typed: str, normalised: str) -> None:
    assert normalise_name(typed) == normalised


def test_full_width_and_half_width_brackets_are_the_same_name() -> None:
    assert normalise_name("有限公司（黑龙江）") == normalise_name("有限公司(黑龙江)")


@given(st.text())
def test_normalising_twice_changes_nothing_more(text: str) -> None:
    once = normalise_name(text)
    assert normalise_name(once) == once


@given(st.text())
def test_a_normalised_name_has_no_surrounding_or_doubled_white_space(text: str) -> None:
    name = normalise_name(text)
    assert name == name.strip()
    assert "  " not in name
    assert all(c == " " or not c.isspace() for c in name)


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_full_width_and_ideographic_forms_fold_like_their_ascii_forms(text: str) -> None:
    wide = text.replace("(", "（").replace(")", "）").replace(" ", "\u3000")
    assert normalise_name(wide) == normalise_name(text)


@pytest.mark.parametrize("schema", [RegistrationRequestSchema(), SourceRecordSchema()])
def test_registration_and_source_records_load_names_normalised(schema) -> None:
    base = REQUEST if isinstance(schema, RegistrationRequestSchema) else RECORD
    data = schema.load({**base, "name": " 哈尔滨示范有限公司（黑龙江） ", "legal_rep_name": "王\u3000建国 "})
    assert data["name"] == "哈尔滨示范有限公司(黑龙江)"
    assert data["legal_rep_name"] == "王 建国"


@pytest.mark.parametrize("schema", [RegistrationRequestSchema(), SourceRecordSchema()])
def test_a_name_of_nothing_but_spaces_is_refused_as_empty(schema) -> None:
    base = REQUEST if isinstance(schema, RegistrationRequestSchema) else RECORD
    with pytest.raises(ValidationError) as raised:
        schema.load({**base, "name": "\u3000 \u200b", "legal_rep_name": "\u3000"})
    assert set(raised.value.messages) == {"name", "legal_rep_name"}


def test_the_length_limit_counts_the_normalised_name() -> None:
    data = RegistrationRequestSchema().load({**REQUEST, "legal_rep_name": "王" * 50 + "\u3000" * 20})
    assert data["legal_rep_name"] == "王" * 50


@pytest.mark.parametrize("name", ["王\x00建国", "王\x1b[31m建国"])
def test_a_name_with_a_control_character_is_refused_with_a_field_message(name: str) -> None:
    assert has_control_characters(name)
    with pytest.raises(ValidationError) as raised:
        RegistrationRequestSchema().load({**REQUEST, "legal_rep_name": name})
    assert raised.value.messages == {"legal_rep_name": ["不能包含控制字符"]}
