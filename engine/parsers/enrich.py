"""The pass every parser's fields go through before the result is returned.

What a field's own text states fills what the parser left empty: a code list written in the
description (when the field has no codes), a valid range (when it has none), a unit (when it has
none).  Codes whose label says missing (`Refused`, `NIU (Not in universe)`, `לא ידוע`) move to
the field's missing values with their labels, for every field.  Contradictions are reported, not
guessed: a code given two labels keeps the first, a minimum above the maximum is dropped.
"""

from __future__ import annotations

import re
from typing import Callable

from ..model import Category, Field
from .codes import (find_bounds, find_codes, find_range, find_unit, infer_type_from_codes,
                    parse_inline_codes, resolve_conflicts, split_missing, stated_missing,
                    unit_in_name)
from .codes.bracketed import bracketed_notes
from .codes.lines import label_holds_list, same_code, tidy_label
from .codes.measures import is_no_unit, says_no_unit, strftime_format
from .codes.ranges import scale_span

_NO_CODES = {"date", "datetime", "time", "boolean", "year", "yearmonth", "duration"}
_QUANTITY = {"number", "integer", "any"}
_DATED = {"date", "datetime", "time"}
_NUMERIC = re.compile(r"[-+]?\d+(?:\.\d+)?")
_SCALE = re.compile(r"scale|escala|échelle|skala|rating|score|likert|points?\b", re.I)
_FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])|\n")


def enrich(fields: list[Field], warn: Callable[[str], None]) -> list[Field]:
    """Fill each field's codes, missing values, range and unit from its text (in place)."""
    bracketed_notes(fields)  # a note's shape is trusted when it closes several fields' texts
    for f in fields:
        _codes(f, warn)
        _missing(f)
        _range(f, warn)
        _unit(f)
    return fields


# ---- codes -----------------------------------------------------------------------------------
def _codes(f: Field, warn: Callable[[str], None]) -> None:
    """Codes from the text when the parser found none; one label per code."""
    if f.categories:
        codes = [Category(c.value, tidy_label(c.value, c.label))
                 for c in _split_run_on(f.categories)]
    elif f.type in _NO_CODES or f.extras.get("checkbox"):
        return
    else:
        codes = _text_codes(f)
        if not codes:
            return
    kept, conflicts = resolve_conflicts(codes)
    for value, first, other in conflicts:
        warn(f"{f.name}: code {value} is given two labels, '{first}' and '{other}'; "
             f"the first was kept.")
    f.categories = kept


def _text_codes(f: Field) -> list[Category]:
    """The code list of the description (else the title), if it suits the field's type."""
    for text in (f.description, f.title):
        scan = find_codes(text)
        codes = scan.codes + [Category(v, other) for v, _, other in scan.conflicts]
        if not codes:
            continue
        valid, _ = split_missing(codes)
        numeric = all(_NUMERIC.fullmatch(c.value) for c in valid)
        if f.type in ("number", "integer") and not numeric:
            return []  # a quantity's text naming words is no code list of its values
        if _anchors(valid, text or ""):  # `on a scale where 0 means left and 10 means right`
            if not _has_range(f):
                _set_range(f, *sorted(float(c.value) for c in valid))
            return []
        if f.type == "any":
            f.type = infer_type_from_codes(valid or codes)
        return codes
    return []


def _anchors(valid: list[Category], text: str) -> bool:
    """Two numbers far apart are the ends of a scale (`0=not tired at all, 10=extremely
    tired`), not its only codes; a gap under 5 needs the word scale (`1 = Yes, 5 = No`)."""
    if len(valid) != 2 or not all(_NUMERIC.fullmatch(c.value) for c in valid):
        return False
    lo, hi = sorted(float(c.value) for c in valid)
    if scale_span(text) == (lo, hi):
        return True  # `1 = low to 3 = high`
    return hi - lo >= 5 or hi - lo >= 2 and _SCALE.search(text) is not None


def _split_run_on(codes: list[Category]) -> list[Category]:
    """A label that runs on into the next codes (`Male; 1=Female; 2=Other`) split back."""
    if not any(label_holds_list(c.label) for c in codes):
        return codes
    out: list[Category] = []
    for c in codes:
        parts = parse_inline_codes(f"{c.value}={c.label}") if label_holds_list(c.label) else []
        out.extend(parts if len(parts) >= 2 and parts[0].value == c.value else [c])
    return out


# ---- missing values --------------------------------------------------------------------------
def _missing(f: Field) -> None:
    """Codes labelled as missing leave the code list for the missing values; a missing code
    stated in a sentence of the description, title, notes, type or source cell (`-1 means
    rather not say`) joins them."""
    if f.extras.get("checkbox"):
        return  # each choice of a checkbox is a 0/1 column: none of them is a missing code
    for c in f.missing_values:
        c.label = tidy_label(c.value, c.label)
    valid, missing = split_missing(f.categories)
    if missing:
        f.categories = valid
    notes = f.extras.get("notes")
    # a type or source cell may state one too (`TEXTO, 99= SE IGNORA`, `Integer; -9 = missing`)
    said = [x if isinstance(x, str) else None for x in (
        notes, f.extras.get("sourceType"), f.extras.get("source"))]
    for text in (f.description, f.title, *said):
        found = stated_missing(text)
        if text is notes:  # a note shared by many fields: its words are no code's label
            found = [Category(c.value) for c in found]
        missing += [c for c in found
                    if not any(same_code(c.value, v.value) for v in f.categories)]
    for c in missing:
        known = next((k for k in f.missing_values if same_code(k.value, c.value)), None)
        if known is None:
            f.missing_values.append(Category(c.value, c.label))
        elif not known.label:
            known.label = c.label


# ---- range -----------------------------------------------------------------------------------
def _range(f: Field, warn: Callable[[str], None]) -> None:
    """A range stated in the text when the field has none; an impossible one dropped."""
    lo, hi = f.constraints.get("minimum"), f.constraints.get("maximum")
    if _number(lo) is not None and _number(hi) is not None and _number(lo) > _number(hi):
        warn(f"{f.name}: the minimum {lo} is above the maximum {hi}; the range was dropped.")
        del f.constraints["minimum"], f.constraints["maximum"]
        return
    if _has_range(f) or f.categories or f.type not in _QUANTITY | {"year"}:
        return
    texts = (f.description, f.title, f.extras.get("sourceType"))
    for find in (find_range, find_bounds):
        for text in texts:
            found = find(text) if isinstance(text, str) else None
            if found:
                _set_range(f, *found)
                return


def _number(v: object) -> float | None:
    """A bound as a number (`120`, `"120"`); None for dates and other text."""
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        return None
    try:
        return float(v)
    except ValueError:
        return None


def _has_range(f: Field) -> bool:
    return f.constraints.get("minimum") is not None or f.constraints.get("maximum") is not None


def _set_range(f: Field, lo: float | None, hi: float | None) -> None:
    for key, v in (("minimum", lo), ("maximum", hi)):
        if v is not None:
            f.constraints[key] = int(v) if float(v).is_integer() else v
    if f.type == "any":
        f.type = "number"


# ---- unit ------------------------------------------------------------------------------------
def _unit(f: Field) -> None:
    """A unit in the name's bracket (`T [K]`), in the title, in the description's first
    sentence, or stated later (`Measured in inches.`); a later sentence only mentioning one is a
    note (`about 5% were imputed`).  A unit that says there is none is dropped, a date pattern
    is the format."""
    if f.unit and (is_no_unit(f.unit) or strftime_format(f.unit)):
        f.format = f.format or strftime_format(f.unit)
        f.unit = None
    if not f.format and f.type in _DATED | {"string", "any"}:
        _date_format(f)
    if f.unit or f.categories or f.type not in _QUANTITY:
        return
    if says_no_unit(f.title) or says_no_unit(f.description):
        return
    text = f.description.strip() if f.description else ""
    first = _FIRST_SENTENCE.split(text, 1)
    unit = (unit_in_name(f.name) or find_unit(f.title) or find_unit(first[0])
            or (find_unit(first[1], stated_only=True) if len(first) > 1 else None))
    if unit:
        f.unit = unit
        if f.type == "any":
            f.type = "number"


def _date_format(f: Field) -> None:
    """A strftime pattern in the text (`%Y-%m-%d`) is the field's date format."""
    fmt = strftime_format(f.description) or strftime_format(f.title)
    if not fmt:
        return
    f.format = fmt
    if f.type in ("string", "any"):
        has_time = any(d in fmt for d in ("%H", "%I", "%M", "%S"))
        has_date = any(d in fmt for d in ("%Y", "%y", "%m", "%d", "%b", "%B", "%j"))
        f.type = "datetime" if has_time and has_date else "time" if has_time else "date"
