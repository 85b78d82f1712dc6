"""Unified social credit code (统一社会信用代码), GB 32100-2015.

A code is 18 characters drawn from a 31-character alphabet (the digits and the
upper-case Latin letters except I, O, S, V and Z).  Positions 3 to 8 are the
registration authority's administrative division code (登记管理机关行政区划码,
GB/T 2260), six digits.  The 18th character is a check character computed from the
first 17 (GB 32100-2015, clause 4.2 and annex A).
"""

from typing import Final, Literal

USCC_ALPHABET: Final[str] = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The code alphabet of GB 32100-2015, table 1; a character's value is its index."""

DIVISION_CODE: Final = slice(2, 8)
"""Positions 3–8 (1-based): the administrative division code, digits only."""

USCC_PATTERN: Final[str] = rf"^[{USCC_ALPHABET}]{{2}}[0-9]{{6}}[{USCC_ALPHABET}]{{10}}\Z"
"""What a pattern can say of a code (the alphabet, the division code's digits), for the OpenAPI
document; not the check character, which only :func:`uscc_problem` judges."""

UsccProblem = Literal["format", "division", "check"]

_CODE_LENGTH: Final = 18
_BODY_LENGTH: Final = 17
_MODULUS: Final = len(USCC_ALPHABET)  # 31, a prime: every single substitution is caught
_VALUES: Final = {character: value for value, character in enumerate(USCC_ALPHABET)}
_WEIGHTS: Final = tuple(pow(3, position, _MODULUS) for position in range(_BODY_LENGTH))
_DIGITS: Final = frozenset("0123456789")


def uscc_check_character(first17: str) -> str:
    """Return the check character for the first 17 characters of a code.

    GB 32100-2015, annex A: C18 = 31 - MOD(sum(Ci * Wi), 31), with Wi = 3^(i-1) mod 31
    and 31 mapping to 0.  Only the alphabet is checked here, not the division code, so
    the character can be computed for any body (:func:`uscc_problem` judges the code).

    >>> uscc_check_character("91110000600037341")
    'L'

    Raises:
        ValueError: ``first17`` is not 17 characters of :data:`USCC_ALPHABET`.
    """
    if not _is_over_alphabet(first17, _BODY_LENGTH):
        raise ValueError("expected 17 characters of the GB 32100-2015 alphabet")
    total = sum(_VALUES[character] * weight for character, weight in zip(first17, _WEIGHTS, strict=True))
    return USCC_ALPHABET[(_MODULUS - total % _MODULUS) % _MODULUS]


def uscc_problem(code: str) -> UsccProblem | None:
    """What is wrong with ``code``, or ``None`` for a valid code.

    ``"format"``: not 18 characters of the alphabet; ``"division"``: a letter in
    positions 3–8; ``"check"``: the 18th character is not the one the first 17 give.
    The first problem found is named, in that order.

    >>> uscc_problem("91110000600037341L") is None
    True
    >>> uscc_problem("91AB0000600037341L")
    'division'
    """
    if not _is_over_alphabet(code, _CODE_LENGTH):
        return "format"
    if not _DIGITS.issuperset(code[DIVISION_CODE]):
        return "division"
    if uscc_check_character(code[:_BODY_LENGTH]) != code[_BODY_LENGTH]:
        return "check"
    return None


def is_valid_uscc(code: str) -> bool:
    """Tell whether ``code`` is a GB 32100-2015 code: alphabet, division code, check character.

    Only upper-case letters are accepted and no whitespace is stripped: callers that
    want to be lenient normalise before asking.

    >>> is_valid_uscc("91110000600037341L")
    True
    >>> is_valid_uscc("91110000600037341N")
    False
    """
    return uscc_problem(code) is None


def _is_over_alphabet(text: object, length: int) -> bool:
    return isinstance(text, str) and len(text) == length and all(character in _VALUES for character in text)
