"""Citizen identification number (公民身份号码), GB 11643-1999.

An 18-character number: a 6-digit address code, an 8-digit birth date (YYYYMMDD), a
3-digit sequence code and a check character computed with ISO 7064 MOD 11-2
(GB 11643-1999, clauses 4 to 8).
"""

from datetime import date
from typing import Final

_NUMBER_LENGTH: Final = 18
_BODY_LENGTH: Final = 17
_MODULUS: Final = 11
_CHECK_CHARACTERS: Final = "10X98765432"
# GB 11643-1999, 7.2: Wi = 2^(18-i) mod 11 for i = 1..17.
_WEIGHTS: Final = tuple(pow(2, _NUMBER_LENGTH - i, _MODULUS) for i in range(1, _NUMBER_LENGTH))
_DIGITS: Final = frozenset("0123456789")  # str.isdigit() would also let in non-ASCII digits
_BIRTH_DATE: Final = slice(6, 14)
_EARLIEST_BIRTH_YEAR: Final = 1900

ID_NUMBER_PATTERN: Final = r"^[0-9]{6}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9X]\Z"
"""What a pattern can say of a number (17 digits with a birth date's shape, then a digit or X),
for the OpenAPI document; not the check character, nor whether the date is a real day up to
today, which only :func:`is_valid_id_number` judges."""


def id_check_character(first17: str) -> str:
    """Return the check character for the first 17 digits of an ID number.

    GB 11643-1999, 7.2 (ISO 7064 MOD 11-2): a1 = "10X98765432"[sum(ai * Wi) mod 11].

    >>> id_check_character("44011320141005001")
    'X'

    Raises:
        ValueError: ``first17`` is not 17 ASCII digits.
    """
    if not _is_digits(first17, _BODY_LENGTH):
        raise ValueError("expected 17 ASCII digits")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARACTERS[total % _MODULUS]


def birth_date(number: str, today: date | None = None) -> date:
    """Return the birth date (出生日期码, GB 11643-1999 clause 6) of a valid ID number.

    The date must exist in the calendar, be in 1900 or later and not after ``today``
    (default: :meth:`datetime.date.today`).

    >>> birth_date("11010519491231002X")
    datetime.date(1949, 12, 31)

    Raises:
        ValueError: ``number`` is not a valid ID number.  The message never repeats it.
    """
    _require_check_character(number)
    return _parse_birth_date(number[_BIRTH_DATE], date.today() if today is None else today)


def is_valid_id_number(number: str, today: date | None = None) -> bool:
    """Tell whether ``number`` is a valid GB 11643-1999 ID number.

    Valid means 17 ASCII digits, the right check character (an upper-case ``X`` for
    ten) and a real birth date between 1900-01-01 and ``today``.

    >>> is_valid_id_number("360426199101010071")
    True
    >>> is_valid_id_number("360426199113010079")
    False
    """
    try:
        birth_date(number, today)
    except ValueError:
        return False
    return True


def _require_check_character(number: str) -> None:
    if not isinstance(number, str) or len(number) != _NUMBER_LENGTH:
        raise ValueError("expected 18 characters")
    if id_check_character(number[:_BODY_LENGTH]) != number[_BODY_LENGTH]:
        raise ValueError("check character does not match")


def _parse_birth_date(yyyymmdd: str, today: date) -> date:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        raise ValueError("birth date is not a calendar date") from None
    if born.year < _EARLIEST_BIRTH_YEAR or born > today:
        raise ValueError("birth date is out of range")
    return born


def _is_digits(text: object, length: int) -> bool:
    return isinstance(text, str) and len(text) == length and all(c in _DIGITS for c in text)
