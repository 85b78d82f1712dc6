"""Citizen identification number validation, GB 11643-1999."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrss_contracts.id_number import birth_date, id_check_character, is_valid_id_number

pytestmark = pytest.mark.unit

VALID_NUMBERS = ["360426199101010071", "44011320141005001X", "11010519491231002X"]
DIGITS = "0123456789"
CHECK_CHARACTERS = DIGITS + "X"


def digits(size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=DIGITS, min_size=size, max_size=size)


@st.composite
def valid_id_numbers(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date.today()))
    first17 = draw(st.sampled_from("12345678")) + draw(digits(5)) + born.strftime("%Y%m%d") + draw(digits(3))
    return first17 + id_check_character(first17)


def with_check_character(first17: str) -> str:
    return first17 + id_check_character(first17)


@pytest.mark.parametrize("number", VALID_NUMBERS)
def test_published_numbers_are_valid(number: str) -> None:
    assert is_valid_id_number(number)


@pytest.mark.parametrize("number", VALID_NUMBERS)
def test_check_character_is_computed_from_first_17_digits(number: str) -> None:
    assert id_check_character(number[:17]) == number[17]


def test_check_character_change_is_detected() -> None:
    assert not is_valid_id_number("36042619910102009X")


def test_month_13_is_rejected_even_with_a_matching_check_character() -> None:
    assert id_check_character("36042619911301007") == "9"
    assert not is_valid_id_number("360426199113010079")


def test_lower_case_x_is_invalid() -> None:
    assert not is_valid_id_number("44011320141005001x")


def test_birth_date_is_read_from_digits_7_to_14() -> None:
    assert birth_date("11010519491231002X") == date(1949, 12, 31)
    assert birth_date("44011320141005001X") == date(2014, 10, 5)


def test_birth_date_of_invalid_number_raises_value_error_without_echoing_it() -> None:
    with pytest.raises(ValueError, match="check character") as raised:
        birth_date("36042619910102009X")
    assert "36042619910102009X" not in str(raised.value)


def test_february_29_is_accepted_only_in_a_leap_year() -> None:
    assert is_valid_id_number(with_check_character("11010520000229001"))
    assert not is_valid_id_number(with_check_character("11010519000229001"))
    assert not is_valid_id_number(with_check_character("11010520230229001"))


@pytest.mark.parametrize("yyyymmdd", ["18991231", "00000101", "19910100", "19910431", "19910132"])
def test_impossible_birth_date_is_rejected(yyyymmdd: str) -> None:
    assert not is_valid_id_number(with_check_character("110105" + yyyymmdd + "001"))


def test_first_of_january_1900_is_the_earliest_birth_date() -> None:
    assert birth_date(with_check_character("11010519000101001")) == date(1900, 1, 1)


def test_birth_date_after_today_is_rejected() -> None:
    number = with_check_character("11010520240302001")
    assert is_valid_id_number(number, today=date(2024, 3, 2))
    assert not is_valid_id_number(number, today=date(2024, 3, 1))
    with pytest.raises(ValueError, match="birth date"):
        birth_date(number, today=date(2024, 3, 1))


def test_today_defaults_to_the_current_date() -> None:
    tomorrow = date.fromordinal(date.today().toordinal() + 1)
    assert not is_valid_id_number(with_check_character("110105" + tomorrow.strftime("%Y%m%d") + "001"))


@pytest.mark.parametrize(
    "number",
    [
        "",
        "36042619910101007",
        "3604261991010100711",
        " 360426199101010071",
        "360426199101010071 ",
        "36042619910101007 ",
        "\uff1360426199101010071",  # full-width digit
        "\u066360426199101010071",  # Arabic-Indic digit
        "X60426199101010071",
    ],
)
def test_malformed_number_is_invalid(number: str) -> None:
    assert not is_valid_id_number(number)


@pytest.mark.parametrize("value", [None, 360426199101010071, b"360426199101010071"])
def test_value_that_is_not_a_string_is_invalid(value: object) -> None:
    assert not is_valid_id_number(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "first17",
    [
        "",
        "3604261991010100",
        "360426199101010071",
        "3604261991010100X",
        "٣6042619910101007",
    ],
)
def test_check_character_of_malformed_input_raises_value_error(first17: str) -> None:
    with pytest.raises(ValueError, match="17 ASCII digits"):
        id_check_character(first17)


@given(valid_id_numbers())
def test_generated_number_with_real_birth_date_and_computed_check_is_valid(
    number: str,
) -> None:
    assert is_valid_id_number(number)
    assert birth_date(number).strftime("%Y%m%d") == number[6:14]


@given(valid_id_numbers())
def test_every_single_character_substitution_is_detected(number: str) -> None:
    for position, original in enumerate(number):
        for replacement in CHECK_CHARACTERS.replace(original, ""):
            altered = number[:position] + replacement + number[position + 1 :]
            assert not is_valid_id_number(altered), (position, replacement)
