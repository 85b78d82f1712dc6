"""Masking of credit codes and ID numbers (manual 5.3 example, API.md)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrss_contracts.id_number import id_check_character
from hrss_contracts.masking import mask_id_number, mask_id_numbers_in_text, mask_uscc

pytestmark = pytest.mark.unit

ID_NUMBER = "360426199101010071"
MASKED_ID_NUMBER = "36042619910********"
DIGITS = "0123456789"


@st.composite
def valid_id_numbers(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date.today()))
    region = draw(st.text(alphabet=DIGITS, min_size=6, max_size=6))
    sequence = draw(st.text(alphabet=DIGITS, min_size=3, max_size=3))
    first17 = region + born.strftime("%Y%m%d") + sequence
    return first17 + id_check_character(first17)


def test_uscc_keeps_its_first_10_characters() -> None:
    assert mask_uscc("1123100000XXXXXXXX") == "1123100000********"
    assert mask_uscc("91110000600037341L") == "9111000060********"


def test_id_number_keeps_its_first_11_characters() -> None:
    assert mask_id_number("231004196412345678") == "23100419641********"
    assert mask_id_number("44011320141005001X") == "44011320141********"


@pytest.mark.parametrize("length", [12, 18, 25])
def test_mask_is_always_eight_asterisks_whatever_the_remaining_length(
    length: int,
) -> None:
    value = "1" * length
    assert mask_uscc(value) == "1" * 10 + "********"
    assert mask_id_number(value) == "1" * 11 + "********"


def test_id_number_in_chinese_text_is_masked() -> None:
    text = f"法人证件号码{ID_NUMBER}已登记"
    assert mask_id_numbers_in_text(text) == f"法人证件号码{MASKED_ID_NUMBER}已登记"


def test_every_id_number_in_a_line_is_masked() -> None:
    text = f"legal_rep_id={ID_NUMBER}, clerk=44011320141005001X;"
    assert mask_id_numbers_in_text(text) == (f"legal_rep_id={MASKED_ID_NUMBER}, clerk=44011320141********;")


def test_id_number_with_lower_case_x_is_masked() -> None:
    assert mask_id_numbers_in_text("id 44011320141005001x") == "id 44011320141********"


def test_id_number_in_json_is_masked() -> None:
    text = f'{{"legal_rep_id": "{ID_NUMBER}"}}'
    assert mask_id_numbers_in_text(text) == f'{{"legal_rep_id": "{MASKED_ID_NUMBER}"}}'


@pytest.mark.parametrize(
    "text",
    [
        "order 36042619910102009X shipped",  # wrong check character
        "360426199113010079",  # month 13
        "all-digit credit code 121200004013590816",  # not a birth date
        "A360426199101010071",  # adjacent letter
        "360426199101010071B",
        "1360426199101010071",  # 19-digit run
        "3604261991010100710",
        "36042619910101007",  # 17 digits
        "no numbers here",
        "",
    ],
)
def test_text_without_a_standalone_valid_id_number_is_left_alone(text: str) -> None:
    assert mask_id_numbers_in_text(text) == text


def test_uscc_with_letters_is_left_alone() -> None:
    text = "uscc=91110000600037341L"
    assert mask_id_numbers_in_text(text) == text


@given(valid_id_numbers(), st.text(), st.text())
def test_generated_id_number_never_survives_in_text(number: str, before: str, after: str) -> None:
    text = f"{before} {number} {after}"
    masked = mask_id_numbers_in_text(text)
    assert number not in masked
    assert f" {mask_id_number(number)} " in masked


@given(st.text(alphabet=DIGITS + "Xx 号码:=", max_size=60))
def test_masking_text_twice_changes_nothing_more(text: str) -> None:
    once = mask_id_numbers_in_text(text)
    assert mask_id_numbers_in_text(once) == once
