"""Masking of credit codes and ID numbers for display and logs.

As in the manual's 5.3 example (see the public contract, API.md): keep the first 10
characters of a unified social credit code (GB 32100-2015) and the first 11 of a
citizen ID number (GB 11643-1999), then exactly eight asterisks, whatever the length of
the rest.

A value shorter than a full code (a truncated or mistyped one) never keeps more than a
full one would while hiding as much: at least 8 characters of a code and 7 of an ID
number stay hidden, so ``mask_id_number("3604261")`` is ``********`` and a value of
up to that many characters is never shown, in whole or in part.
"""

import re
from datetime import date
from typing import Final

from hrss_contracts.uscc import is_valid_uscc

_MASK: Final = "********"
_USCC_VISIBLE: Final = 10
_USCC_HIDDEN: Final = 18 - _USCC_VISIBLE
_ID_NUMBER_VISIBLE: Final = 11
_ID_NUMBER_HIDDEN: Final = 18 - _ID_NUMBER_VISIBLE
_BIRTH_DATE: Final = slice(6, 14)
# ASCII-only boundaries on purpose: \w would count Chinese characters as word
# characters, and "证件号码360426199101010071" must still be masked.
_ID_SHAPED: Final = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def mask_uscc(code: str) -> str:
    """Mask a credit code: ``1123100000XXXXXXXX`` -> ``1123100000********``."""
    return _keep(code, _USCC_VISIBLE, _USCC_HIDDEN)


def mask_id_number(number: str) -> str:
    """Mask an ID number: ``231004196412345678`` -> ``23100419641********``."""
    return _keep(number, _ID_NUMBER_VISIBLE, _ID_NUMBER_HIDDEN)


def mask_document_number(number: str) -> str:
    """Mask a document number of any 证件类型 (``hrss_contracts.id_documents``): an 18-character
    one as an ID number; a shorter one (a passport's, a permit's) keeps at most a third of its
    characters and hides at least 7: ``E12345678`` -> ``E1********``."""
    if len(number) >= 18:
        return mask_id_number(number)
    return number[: max(0, min(len(number) - _ID_NUMBER_HIDDEN, len(number) // 3))] + _MASK


def mask_id_numbers_in_text(text: str) -> str:
    """Mask every ID-shaped string standing on its own in free text.

    Used by the logging filter and the operator CLI so that ID numbers never reach the
    logs or a terminal. ID-shaped: 17 digits then a digit or ``X``/``x``, with no ASCII
    letter or digit on either side. The check character and the birth date are NOT
    required: a mistyped ID number is still a person's number.

    One exception keeps credit codes readable: an all-digit string that is a valid
    GB 32100 code (check character included) and whose positions 7–14 are no calendar
    date cannot be an ID number with a birth date, typed right or with a slip in
    another position, so it is left alone (121200004013590816). An all-digit code whose
    positions 7–14 happen to read as a date is masked: privacy wins. What slips
    through: an ID number mistyped in its month or day so that the date breaks AND the
    result carries a valid GB 32100 check character (about 1 in 31 of those).

    >>> mask_id_numbers_in_text("证件号码360426199101010071已登记")
    '证件号码36042619910********已登记'
    >>> mask_id_numbers_in_text("证件号码360426199101010072(校验位错)")
    '证件号码36042619910********(校验位错)'
    """
    return _ID_SHAPED.sub(_mask_unless_credit_code, text)


def _is_credit_code_not_id_number(candidate: str) -> bool:
    """Whether an ID-shaped ``candidate`` is surely a credit code (see above)."""
    return is_valid_uscc(candidate) and not _is_calendar_date(candidate[_BIRTH_DATE])


def _mask_unless_credit_code(match: re.Match[str]) -> str:
    candidate = match.group()
    return candidate if _is_credit_code_not_id_number(candidate) else mask_id_number(candidate)


def _keep(value: str, visible: int, hidden: int) -> str:
    return value[: max(0, min(visible, len(value) - hidden))] + _MASK


def _is_calendar_date(yyyymmdd: str) -> bool:
    # Any year at all: a slip in the year (1991 -> 1091) still leaves a birth date.
    try:
        date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return True
