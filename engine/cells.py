"""Cells safe to open in a spreadsheet: the one formula-injection rule of every CSV and XLSX
the app and the CLI write (fields tables, labelled data, flagged workbooks).

OWASP's rule: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is
read as a formula by Excel, LibreOffice and Google Sheets (`=HYPERLINK(...)`, `@SUM(...)`,
`-2+3`, DDE payloads), so it gets a leading apostrophe, which they show as plain text.  A
plain number (`-5`, `+1.5e3`) is left as it is: it is no formula, and stays readable as a
number.  Inputs are the other way round: what a dictionary says is kept as it says it; only
writers neutralise.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# the same two rules for Arrow's regex kernels (RE2)
_FORMULA_REGEX = r"^[=+\-@\t\r]"
_NUMBER_REGEX = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


def neutralise(value: Any) -> Any:
    """A cell safe for a spreadsheet: formula-like text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and \
            not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_row(values: Iterable[Any]) -> list[Any]:
    """neutralise() over one row of cells."""
    return [neutralise(v) for v in values]


def neutralise_column(text: Any) -> Any:
    """neutralise() over a whole Arrow string column (vectorised; chunks kept)."""
    import pyarrow.compute as pc

    risky = pc.and_(pc.match_substring_regex(text, _FORMULA_REGEX),
                    pc.invert(pc.match_substring_regex(text, _NUMBER_REGEX)))
    if not pc.any(risky).as_py():
        return text
    return pc.if_else(risky, pc.binary_join_element_wise("'", text, ""), text)
