"""Shared helpers for code lists, missing-value codes, units, ranges and type words.

Every dictionary parser meets the same small languages: a code line (`1 = Yes`, `A11 : ...`,
`Ex<TAB>Excellent`, `-- Value 1: typical angina`, `2- Africa`), codes inline in a description
(`1=Male; 0=Female`, REDCap `1, Yes | 2, No`, R's `a factor with levels a b`), codes in prose
(`"Y" if approved, "N" if denied`, `One of: a, b, c`, `chosen (1) or not (0)`), missing-value
labels (`Refused`, `Don't know`, `No sabe`, `Weiß nicht`, `לא ידוע`), units (`in years`,
`T [K]`), ranges (`(0-3)`, `entre 0 y 1`) and type words (`numeric`, `varchar(20)`).  The
functions here are pure and conservative: when in doubt they say "not a code" (None / []),
because a false code list is worse than a missing one.

The helpers live in small modules by topic; import them from here:

    lines       parse_code_line, clean_label, tidy_label (`(9) Don't know` -> `Don't know`)
    inline      parse_inline_codes (the prose forms are in `prose`, `paren`, `quoted`,
                `enumerated`, reached through `find_codes`)
    scan        find_codes, resolve_conflicts, stated_missing, parse_value_list
    missing     is_missing_label, split_missing, global_missing_codes, document_missing
    measures    find_unit, unit_in_name, says_no_unit, strftime_format (words in `unitwords`)
    bracketed   bracketed_notes (`[A/B/C/D]`, `[open: 0-1-2 pts]` closing several fields)
    ranges      find_range, scale_span, score_range; bounds: find_bounds (one end, or ends in words);
                numwords: words_to_digits (`thirty-one`, `treinta y uno` -> 31)
    types       map_type, infer_type_from_codes
"""

from __future__ import annotations

from .bounds import find_bounds
from .inline import parse_inline_codes
from .lines import clean_label, parse_code_line, tidy_label
from .measures import find_unit, says_no_unit, strftime_format, unit_in_name
from .missing import document_missing, global_missing_codes, is_missing_label, split_missing
from .ranges import find_range, scale_span
from .scan import CodeScan, find_codes, parse_value_list, resolve_conflicts, stated_missing
from .types import infer_type_from_codes, map_type

__all__ = ["CodeScan", "clean_label", "document_missing", "find_bounds", "find_codes",
           "find_range", "find_unit", "global_missing_codes", "infer_type_from_codes",
           "is_missing_label", "map_type",
           "parse_code_line", "parse_inline_codes", "parse_value_list", "resolve_conflicts",
           "says_no_unit", "scale_span", "split_missing", "stated_missing", "strftime_format",
           "tidy_label", "unit_in_name"]
