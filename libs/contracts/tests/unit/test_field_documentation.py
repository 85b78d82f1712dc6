"""What the contract fields tell the OpenAPI document: a pattern every value they load matches,
and that a value refused for its form does not; what no pattern says, in the description."""

import re
import string
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import ValidationError

from hrss_contracts.authorization import ClerkRequestSchema
from hrss_contracts.fields import COMMENT_PATTERN, NAME_PATTERN, NO_CONTROL_PATTERN, Comment, Identifier, Name, Uscc
from hrss_contracts.id_number import ID_NUMBER_PATTERN, id_check_character, is_valid_id_number
from hrss_contracts.registration import RegistrationRequestSchema
from hrss_contracts.uscc import USCC_ALPHABET, USCC_PATTERN, uscc_check_character, uscc_problem

pytestmark = pytest.mark.unit

USCC = re.compile(USCC_PATTERN)
ID_NUMBER = re.compile(ID_NUMBER_PATTERN)
# Characters a person or a fuzzer types into a code: the alphabet, letters it leaves out, lower
# case, blanks and a control character.
CODE_CHARACTERS = USCC_ALPHABET + "IOSVZaz x\x00"


def loads(field, value):
    try:
        field.deserialize(value)
    except ValidationError:
        return False
    return True


@st.composite
def valid_id_numbers(draw):
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date.today()))
    first17 = (
        draw(st.sampled_from("12345678")) + draw(st.text(string.digits, min_size=5, max_size=5)) + f"{born:%Y%m%d}"
    )
    first17 += draw(st.text(string.digits, min_size=3, max_size=3))
    return first17 + id_check_character(first17)


@given(st.text(CODE_CHARACTERS, min_size=16, max_size=19))
def test_the_uscc_pattern_is_every_rule_but_the_check_character(code):
    assert bool(USCC.match(code)) == (uscc_problem(code) in (None, "check"))


@given(
    st.text(USCC_ALPHABET, min_size=2, max_size=2),
    st.text(string.digits, min_size=6, max_size=6),
    st.text(USCC_ALPHABET, min_size=9, max_size=9),
)
def test_every_valid_uscc_matches_the_pattern(head, division, tail):
    code = head + division + tail + uscc_check_character(head + division + tail)

    assert uscc_problem(code) is None and USCC.match(code)


@given(valid_id_numbers())
def test_every_valid_id_number_matches_the_pattern(number):
    assert is_valid_id_number(number) and ID_NUMBER.match(number)


@given(st.text(string.digits + "Xx ", min_size=17, max_size=19))
def test_an_id_number_the_pattern_refuses_is_invalid(number):
    if not ID_NUMBER.match(number):
        assert not is_valid_id_number(number)


@given(st.text(max_size=60))
def test_a_name_that_loads_matches_the_name_pattern(text):
    name = RegistrationRequestSchema().fields["legal_rep_name"]

    if loads(name, text):
        assert re.match(NAME_PATTERN, text)


@pytest.mark.parametrize("text", ["", " ", "\u3000\t", "张\x00三", "\x1b[31m"])
def test_a_blank_name_or_one_with_a_control_character_matches_no_name_pattern(text):
    assert not loads(RegistrationRequestSchema().fields["legal_rep_name"], text)
    assert not re.match(NAME_PATTERN, text)


@given(st.text(min_size=1, max_size=80))
def test_an_identifier_loads_exactly_when_it_matches_its_pattern(text):
    assert loads(Identifier(), text) == bool(re.match(NO_CONTROL_PATTERN, text))


@given(st.text(max_size=80))
def test_a_comment_loads_exactly_when_it_matches_its_pattern(text):
    assert loads(Comment(), text) == bool(re.match(COMMENT_PATTERN, text))


def test_a_fields_own_description_comes_first_then_what_no_pattern_says():
    fields = ClerkRequestSchema().fields

    assert fields["id_number"].metadata["description"].startswith("办事员证件号码; judged by the rule of its id_type")
    assert "check character" in fields["id_number"].metadata["description"]
    assert fields["id_number"].metadata["example"] == "11010519491231002X"
    uscc = RegistrationRequestSchema().fields["uscc"].metadata
    assert uscc["pattern"] == USCC_PATTERN and "check character" in uscc["description"]


def test_a_field_without_a_description_gets_the_fields_note_alone():
    assert Uscc().metadata["description"] == Uscc.note
    assert Name().metadata == {"pattern": NAME_PATTERN, "description": Name.note}
    assert Identifier().metadata == {"pattern": NO_CONTROL_PATTERN}
