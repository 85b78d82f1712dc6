"""Masking of credit codes and ID numbers (manual 5.3 example, API.md)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrss_contracts.id_number import id_check_character
from hrss_contracts.masking import mask_id_number, mask_id_numbers_in_text, mask_uscc
from hrss_contracts.uscc import is_valid_uscc

pytestmark = pytest.mark.unit

ID_NUMBER = "360426199101010071"
MASKED_ID_NUMBER = "36042619910********"
DIGITS = "0123456789"


def digits(size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=DIGITS, min_size=size, max_size=size)


def is_date(yyyymmdd: str) -> bool:
    try:
        date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return True


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


@pytest.mark.parametrize("length", [18, 19, 25])
def test_mask_is_always_eight_asterisks_whatever_the_remaining_length(
    length: int,
) -> None:
    value = "1" * length
    assert mask_uscc(value) == "1" * 10 + "********"
    assert mask_id_number(value) == "1" * 11 + "********"


@pytest.mark.parametrize(
    ("value", "uscc", "id_number"),
    [
        ("", "********", "********"),
        ("3", "********", "********"),
        ("3604261", "********", "********"),  # up to 7 characters nothing shows
        ("36042619", "********", "3********"),
        ("360426199", "3********", "36********"),
        ("36042619910101007", "360426199********", "3604261991********"),  # one short
    ],
)
def test_a_short_value_hides_as_many_characters_as_a_full_one(value: str, uscc: str, id_number: str) -> None:
    assert mask_uscc(value) == uscc
    assert mask_id_number(value) == id_number


@given(st.text(alphabet=st.characters(blacklist_characters="*"), max_size=30))
def test_no_value_is_ever_shown_whole_and_at_least_seven_characters_stay_hidden(value: str) -> None:
    for masked, hidden in ((mask_uscc(value), 8), (mask_id_number(value), 7)):
        kept = masked.removesuffix("********")
        assert masked.endswith("********")
        assert value.startswith(kept)
        assert len(value) - len(kept) >= min(len(value), hidden)
        assert not value or value not in masked


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
        "A360426199101010071",  # adjacent letter
        "360426199101010071B",
        "1360426199101010071",  # 19-digit run
        "3604261991010100710",
        "36042619910101007",  # 17 digits
        "no numbers here",
        "",
    ],
)
def test_text_without_a_standalone_id_shaped_string_is_left_alone(text: str) -> None:
    assert mask_id_numbers_in_text(text) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("order 36042619910102009X shipped", "order 36042619910******** shipped"),  # wrong check character
        ("360426199101010072", "36042619910********"),  # wrong check digit
        ("360426199113010079", "36042619911********"),  # month 13
        ("360426209101010071", "36042620910********"),  # born in 2091: a slip in the year
        ("36042619910101007x", "36042619910********"),
    ],
)
def test_a_mistyped_id_number_is_masked_all_the_same(text: str, masked: str) -> None:
    assert mask_id_numbers_in_text(text) == masked


def test_uscc_with_letters_is_left_alone() -> None:
    text = "uscc=91110000600037341L aggregate=91350100M000100Y43"
    assert mask_id_numbers_in_text(text) == text


@pytest.mark.parametrize("code", ["121200004013590816", "911522010783762860", "91620105750935948X"])
def test_an_all_digit_credit_code_whose_positions_7_to_14_are_no_date_is_left_alone(code: str) -> None:
    assert is_valid_uscc(code)
    assert mask_id_numbers_in_text(f"uscc={code}") == f"uscc={code}"


def test_an_all_digit_credit_code_that_could_hold_a_birth_date_is_masked() -> None:
    code = "912301199001010004"
    assert is_valid_uscc(code) and code[6:14] == "19900101"
    assert mask_id_numbers_in_text(code) == code[:11] + "********"


def test_an_id_shaped_string_with_a_wrong_uscc_check_character_is_masked() -> None:
    code = "121200004013590816"
    wrong = code[:17] + ("7" if code[17] != "7" else "8")
    assert not is_valid_uscc(wrong)
    assert mask_id_numbers_in_text(wrong) == wrong[:11] + "********"


@given(valid_id_numbers(), st.text(), st.text())
def test_generated_id_number_never_survives_in_text(number: str, before: str, after: str) -> None:
    text = f"{before} {number} {after}"
    masked = mask_id_numbers_in_text(text)
    assert number not in masked
    assert f" {mask_id_number(number)} " in masked


@given(digits(17), st.sampled_from(DIGITS + "Xx"), st.text(), st.text())
def test_any_id_shaped_string_is_masked_unless_it_is_surely_a_credit_code(
    first17: str, last: str, before: str, after: str
) -> None:
    candidate = first17 + last
    text = f"{before} {candidate} {after}"
    masked = mask_id_numbers_in_text(text)
    if is_valid_uscc(candidate) and not is_date(candidate[6:14]):
        assert candidate in masked
    else:
        assert candidate not in masked
        assert f" {mask_id_number(candidate)} " in masked


@given(st.text(alphabet=DIGITS + "Xx 号码:=", max_size=60))
def test_masking_text_twice_changes_nothing_more(text: str) -> None:
    once = mask_id_numbers_in_text(text)
    assert mask_id_numbers_in_text(once) == once
