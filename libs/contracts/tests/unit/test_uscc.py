"""Unified social credit code validation, GB 32100-2015."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrss_contracts.examples import random_uscc
from hrss_contracts.uscc import USCC_ALPHABET, is_valid_uscc, uscc_check_character, uscc_problem

pytestmark = pytest.mark.unit

REPO_ROOT = Path(__file__).resolve().parents[4]
REAL_USCC_CORPUS = REPO_ROOT.parent / "shared" / "testdata" / "real-uscc.txt"

VALID_CODES = [
    "91110000600037341L",
    "121200004013590816",
    "91310110666007217T",
    "91350100M000100Y43",
]


DIGITS = "0123456789"
LETTERS = "".join(c for c in USCC_ALPHABET if c not in DIGITS)


@st.composite
def valid_codes(draw: st.DrawFn) -> str:
    first17 = (
        draw(st.text(alphabet=USCC_ALPHABET, min_size=2, max_size=2))
        + draw(st.text(alphabet=DIGITS, min_size=6, max_size=6))  # the division code
        + draw(st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9))
    )
    return first17 + uscc_check_character(first17)


def with_check_character(first17: str) -> str:
    return first17 + uscc_check_character(first17)


def real_codes() -> list[str]:
    if not REAL_USCC_CORPUS.is_file():
        pytest.skip(f"real USCC corpus not found at {REAL_USCC_CORPUS}")
    return [line for line in REAL_USCC_CORPUS.read_text(encoding="utf-8").splitlines() if line]


def test_alphabet_has_31_characters_without_i_o_s_v_z() -> None:
    assert len(USCC_ALPHABET) == len(set(USCC_ALPHABET)) == 31
    assert not set("IOSVZ") & set(USCC_ALPHABET)


@pytest.mark.parametrize("code", VALID_CODES)
def test_published_codes_are_valid(code: str) -> None:
    assert is_valid_uscc(code)


@pytest.mark.parametrize("code", VALID_CODES)
def test_check_character_is_computed_from_first_17_characters(code: str) -> None:
    assert uscc_check_character(code[:17]) == code[17]


def test_check_character_zero_is_used_when_the_remainder_is_zero() -> None:
    assert uscc_check_character("12120000401359081") == "6"
    assert uscc_check_character("00000000000000000") == "0"


def test_check_character_change_is_detected() -> None:
    assert not is_valid_uscc("91110000600037341N")


def test_every_code_of_the_real_corpus_is_valid() -> None:
    codes = real_codes()
    assert codes, "the real USCC corpus is empty"
    assert [code for code in codes if not is_valid_uscc(code)] == []


def test_lower_case_code_is_invalid() -> None:
    assert not is_valid_uscc("91110000600037341l")
    assert not is_valid_uscc("91350100m000100y43")


@pytest.mark.parametrize(
    "code",
    [
        "",
        "91110000600037341",
        "91110000600037341L0",
        " 91110000600037341L",
        "91110000600037341L ",
        "9111000060003734 L",
        "9111000060003734IL",
        "9111000060003734OL",
        "9111000060003734SL",
        "9111000060003734VL",
        "9111000060003734ZL",
        "\uff191110000600037341L",  # full-width digit
    ],
)
def test_malformed_code_is_invalid(code: str) -> None:
    assert not is_valid_uscc(code)


@pytest.mark.parametrize("value", [None, 91110000600037341, b"91110000600037341L"])
def test_value_that_is_not_a_string_is_invalid(value: object) -> None:
    assert not is_valid_uscc(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "first17",
    [
        "",
        "9111000060003734",
        "911100006000373411",
        "9111000060003734l",
        "911100006000373I1",
    ],
)
def test_check_character_of_malformed_input_raises_value_error(first17: str) -> None:
    with pytest.raises(ValueError, match="17 characters"):
        uscc_check_character(first17)


@given(valid_codes())
def test_generated_code_with_computed_check_character_is_valid(code: str) -> None:
    assert is_valid_uscc(code)


def test_every_code_of_the_real_corpus_has_a_numeric_division_code() -> None:
    assert [code for code in real_codes() if not code[2:8].isdigit()] == []


@pytest.mark.parametrize("position", range(3, 9))
def test_a_letter_in_the_division_code_is_invalid_even_with_a_matching_check_character(position: int) -> None:
    first17 = "91110000600037341"
    body = first17[: position - 1] + "A" + first17[position:]
    code = with_check_character(body)
    assert uscc_problem(code) == "division"
    assert not is_valid_uscc(code)


@pytest.mark.parametrize("position", [1, 2, 9, 17])
def test_a_letter_outside_the_division_code_is_allowed(position: int) -> None:
    first17 = "91110000600037341"
    assert is_valid_uscc(with_check_character(first17[: position - 1] + "A" + first17[position:]))


def test_each_problem_is_named_format_first_then_division_then_check() -> None:
    assert uscc_problem("91110000600037341L") is None
    assert uscc_problem("9111000060003734") == "format"
    assert uscc_problem("91AB0000600037341I") == "format"  # I is outside the alphabet
    assert uscc_problem("91AB0000600037341L") == "division"  # and its check is wrong too
    assert uscc_problem("91110000600037341N") == "check"


def test_generated_example_codes_are_valid() -> None:
    codes = [random_uscc() for _ in range(2000)]
    assert [code for code in codes if not is_valid_uscc(code)] == []


@given(valid_codes())
def test_every_single_character_substitution_is_detected(code: str) -> None:
    for position, original in enumerate(code):
        for replacement in USCC_ALPHABET.replace(original, ""):
            altered = code[:position] + replacement + code[position + 1 :]
            assert not is_valid_uscc(altered), (position, replacement)
