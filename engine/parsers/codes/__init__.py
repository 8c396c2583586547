"""Shared helpers for code lists, missing-value codes, units, ranges and type words.

Every dictionary parser meets the same small languages: a code line (`1 = Yes`, `A11 : ...`,
`Ex<TAB>Excellent`, `-- Value 1: typical angina`), codes inline in a description
(`1=Male; 0=Female`, REDCap `1, Yes | 2, No`, R's `a factor with levels a b`), missing-value
labels (`Refused`, `Don't know`), units (`in years`), ranges (`(0-3)`) and type words
(`numeric`, `varchar(20)`).  The functions here are pure and conservative: when in doubt they
say "not a code" (None / []), because a false code list is worse than a missing one.

The helpers live in small modules by topic; import them from here:

    lines     parse_code_line, clean_label
    inline    parse_inline_codes
    missing   is_missing_label, split_missing
    measures  find_unit, find_range
    types     map_type, infer_type_from_codes
"""

from __future__ import annotations

from .inline import parse_inline_codes
from .lines import clean_label, parse_code_line
from .measures import find_range, find_unit
from .missing import is_missing_label, split_missing
from .types import infer_type_from_codes, map_type

__all__ = ["clean_label", "find_range", "find_unit", "infer_type_from_codes", "is_missing_label",
           "map_type", "parse_code_line", "parse_inline_codes", "split_missing"]
