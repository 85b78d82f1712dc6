"""Names as people type them: one spelling per name, so that a name typed at registration
compares equal to the same name imported from a source.

The same enterprise is written 有限公司（黑龙江） in one system and 有限公司(黑龙江) in
another, with an ideographic space here and two ASCII spaces there. Both the registration
request and the source records pass their names through :func:`normalise_name`, so the
comparison (manual 5.1) is between normalised forms; the stored form is the normalised one.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# NFKC folds compatibility forms: full-width brackets, letters and digits to ASCII, the
# ideographic space U+3000 and the no-break space to an ASCII space.
_FORM: Final = "NFKC"
# Invisible format characters (zero-width space, BOM, word joiner, soft hyphen, …) that
# copying from a web page or a spreadsheet leaves behind: they would make two names that
# look the same compare different.
_INVISIBLE_CATEGORY: Final = "Cf"
# The middle dot of minority and foreign names (阿依古丽·买买提) is typed with whatever
# dot the keyboard offers; GB 18030 names U+00B7.
_MIDDLE_DOTS: Final = str.maketrans(dict.fromkeys("\u2022\u2027\u2219\u22c5\u30fb", "\u00b7"))
_SPACES: Final = re.compile(r"\s+")


def normalise_name(text: str) -> str:
    """The one spelling of a name: NFKC, invisible characters dropped, middle dots unified,
    every run of white space one ASCII space, no space at either end.

    >>> normalise_name("哈尔滨示范有限公司（黑龙江）")
    '哈尔滨示范有限公司(黑龙江)'
    >>> normalise_name("\\u3000王\\u3000 建国  ")
    '王 建国'
    """
    # Invisible characters go first: left in, one would keep NFKC from composing its
    # neighbours, and a second pass would then change the name again.
    visible = "".join(c for c in text if unicodedata.category(c) != _INVISIBLE_CATEGORY)
    folded = unicodedata.normalize(_FORM, visible).translate(_MIDDLE_DOTS)
    return _SPACES.sub(" ", folded).strip()


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a control character (NUL, ESC, …) that no name contains.

    White space is not counted: :func:`normalise_name` turns tabs and line breaks into spaces.
    """
    return any(unicodedata.category(c) == "Cc" and not c.isspace() for c in text)
