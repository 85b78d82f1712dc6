"""Masking of credit codes and ID numbers for display and logs.

As in the manual's 5.3 example (see the public contract, API.md): keep the first 10
characters of a unified social credit code (GB 32100-2015) and the first 11 of a
citizen ID number (GB 11643-1999), then exactly eight asterisks, whatever the length of
the rest.
"""

import re
from typing import Final

from hrss_contracts.id_number import is_valid_id_number

_MASK: Final = "********"
_USCC_VISIBLE: Final = 10
_ID_NUMBER_VISIBLE: Final = 11
# ASCII-only boundaries on purpose: \w would count Chinese characters as word
# characters, and "证件号码360426199101010071" must still be masked.
_ID_NUMBER_CANDIDATE: Final = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def mask_uscc(code: str) -> str:
    """Mask a credit code: ``1123100000XXXXXXXX`` -> ``1123100000********``."""
    return code[:_USCC_VISIBLE] + _MASK


def mask_id_number(number: str) -> str:
    """Mask an ID number: ``231004196412345678`` -> ``23100419641********``."""
    return number[:_ID_NUMBER_VISIBLE] + _MASK


def mask_id_numbers_in_text(text: str) -> str:
    """Mask every valid GB 11643-1999 ID number standing on its own in free text.

    Used by the logging filter so that ID numbers never reach the logs.  A candidate is
    17 digits then a digit or ``X``/``x`` with no ASCII letter or digit on either
    side; it is masked only if it is a valid ID number (check character and birth
    date, with a lower-case ``x`` read as ``X``), so order numbers, all-digit credit
    codes and other 18-digit strings are left alone.

    >>> mask_id_numbers_in_text("证件号码360426199101010071已登记")
    '证件号码36042619910********已登记'
    """
    return _ID_NUMBER_CANDIDATE.sub(_mask_if_id_number, text)


def _mask_if_id_number(match: re.Match[str]) -> str:
    candidate = match.group()
    if is_valid_id_number(candidate.upper()):
        return mask_id_number(candidate)
    return candidate
