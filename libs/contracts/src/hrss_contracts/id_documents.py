"""证件类型: the identity documents a clerk may be known by (manual 3.1.2, "选择证件类型后输入
办事员身份证号"), each number judged by its own rule.

A person is a document type and a number: the same number under two types (an 8-digit 台湾居民
来往大陆通行证 and a foreign passport of 8 digits) is two people. Numbers are read in one form:
full-width characters folded (NFKC), surrounding blanks dropped, letters upper-case.

The rules:

- ``resident_id`` 居民身份证: GB 11643-1999, check character and a real birth date
  (:mod:`hrss_contracts.id_number`).
- ``hk_macao_permit`` 港澳居民来往内地通行证: H (Hong Kong) or M (Macao) and the holder's
  8-digit lifetime number; the older 11-character form adds a 2-digit issue count, and is kept
  as the lifetime number alone (:func:`canonical_document`). No check digit.
- ``taiwan_permit`` 台湾居民来往大陆通行证: the 8-digit lifetime number issued since 2008 (the
  card of 2015 kept it). No check digit.
- ``foreign_permanent_residence`` 外国人永久居留身份证: the card of 2023, 18 digits starting
  with 9 (province, ISO 3166-1 numeric nationality, birth date YYYYMMDD, sequence) with the check
  character of GB 11643 (ISO 7064 MOD 11-2) and a real birth date; or the card of 2017, three
  letters (ISO 3166-1 alpha-3 nationality) and 12 digits (4-digit issuing office, birth date
  YYMMDD with a real month and day, a sequence digit) whose last digit checks the first 14
  characters with weights 7, 3, 1 (letters A–Z count 10–35, as in ICAO 9303's machine-readable
  zone).
- ``passport`` 护照: any country's, so no national rule: 5 to 17 letters and digits (ICAO 9303
  document numbers use only A–Z and 0–9; the check digit of the machine-readable zone is not
  part of the number people type).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Final

from hrss_contracts.id_number import id_check_character, is_valid_id_number

RESIDENT_ID: Final = "resident_id"
ID_TYPES: Final[dict[str, str]] = {
    RESIDENT_ID: "居民身份证",
    "hk_macao_permit": "港澳居民来往内地通行证",
    "taiwan_permit": "台湾居民来往大陆通行证",
    "foreign_permanent_residence": "外国人永久居留身份证",
    "passport": "护照",
}
MAX_DOCUMENT_LENGTH: Final = 18

_SHAPES: Final[dict[str, re.Pattern[str]]] = {
    RESIDENT_ID: re.compile(r"[0-9]{17}[0-9X]"),
    "hk_macao_permit": re.compile(r"[HM][0-9]{8}(?:[0-9]{2})?"),
    "taiwan_permit": re.compile(r"[0-9]{8}"),
    "foreign_permanent_residence": re.compile(r"9[0-9]{16}[0-9X]|[A-Z]{3}[0-9]{12}"),
    "passport": re.compile(r"[A-Z0-9]{5,17}"),
}
DOCUMENT_NUMBER_PATTERN: Final = r"^[0-9A-Z]{5,18}\Z"
"""What a pattern can say of a number whatever its type (the OpenAPI document); each type's own
rule is in the module's docstring."""
_DOCUMENT_SHAPE: Final = re.compile(DOCUMENT_NUMBER_PATTERN.removeprefix("^").removesuffix("\\Z"))

_ICAO_WEIGHTS: Final = (7, 3, 1)
_FOREIGN_2023_BIRTH_DATE: Final = slice(6, 14)


def id_type_label(id_type: str) -> str:
    """The type's name as the manual's pages show it (居民身份证, 护照, …)."""
    return ID_TYPES[id_type]


def is_document_shaped(number: str) -> bool:
    """Whether ``number`` (in its one form) could be a document number of some type."""
    return _DOCUMENT_SHAPE.fullmatch(number) is not None


def normalise_document_number(number: str) -> str:
    """The one form a number is kept in: NFKC, no surrounding blanks, upper-case."""
    return unicodedata.normalize("NFKC", number).strip().upper()


FOREIGN_PERMANENT_RESIDENCE: Final = "foreign_permanent_residence"
LEGAL_REP_TYPES: Final = frozenset({RESIDENT_ID, FOREIGN_PERMANENT_RESIDENCE})
"""The types a legal representative may be known by: they register with an 18-character GB 11643
number (法人身份证号), a citizen's or a foreigner's card of 2023."""


def canonical_document(id_type: str, number: str) -> tuple[str, str]:
    """The document that names the person, of a good ``number`` of ``id_type``:

    - a 港澳居民来往内地通行证's older 11-character form is its 9-character lifetime number and an
      issue count, and the person is the lifetime number (the count changes at each renewal);
    - an 18-digit number starting with 9 is a foreigner's permanent residence card of 2023
      whatever type it came with: it passes GB 11643's rules (no citizen's division code starts
      with 9), so a 居民身份证 field takes it too, and it is one person either way.
    """
    if id_type == "hk_macao_permit":
        return id_type, number[:9]
    if id_type == RESIDENT_ID and number.startswith("9"):
        return FOREIGN_PERMANENT_RESIDENCE, number
    return id_type, number


def document_number_error(id_type: str, number: str, today: date | None = None) -> str | None:
    """The field message for ``number`` as a document of ``id_type`` (in its one form), or None
    when it is good.

    >>> document_number_error("foreign_permanent_residence", "911398199012310021")
    >>> document_number_error("foreign_permanent_residence", "911398199012310022")
    '外国人永久居留身份证号码格式不正确'
    """
    if id_type == RESIDENT_ID:
        return None if is_valid_id_number(number, today) else "身份证号码格式不正确"
    shape = _SHAPES.get(id_type)
    if shape is None:
        return "证件类型不正确"
    good = shape.fullmatch(number) is not None
    if good and id_type == "foreign_permanent_residence":
        good = _foreign_permanent_residence_checks(number, date.today() if today is None else today)
    return None if good else f"{ID_TYPES[id_type]}号码格式不正确"


def icao_check_digit(characters: str) -> str:
    """ICAO 9303's check digit: digits count as themselves, A–Z as 10–35, weighted 7, 3, 1 in
    turn; the sum modulo 10.

    >>> icao_check_digit("L898902C3")  # ICAO 9303 part 3, 4.9's example
    '6'
    """
    values = (int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in characters)
    return str(sum(v * _ICAO_WEIGHTS[i % 3] for i, v in enumerate(values)) % 10)


def _foreign_permanent_residence_checks(number: str, today: date) -> bool:
    if number[0] == "9":  # the card of 2023: GB 11643's check character and a real birth date
        if id_check_character(number[:17]) != number[17]:
            return False
        born = number[_FOREIGN_2023_BIRTH_DATE]
        try:
            birth = date(int(born[:4]), int(born[4:6]), int(born[6:]))
        except ValueError:
            return False
        return birth.year >= 1900 and birth <= today
    # The card of 2017: a real month and day of birth (the year has two digits), and the 7-3-1 check.
    try:
        date(2000, int(number[9:11]), int(number[11:13]))  # 2000: a leap year admits 29 February
    except ValueError:
        return False
    return icao_check_digit(number[:14]) == number[14]
