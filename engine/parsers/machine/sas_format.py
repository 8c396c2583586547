"""PROC FORMAT: `VALUE` (codes and labels) and `INVALUE` (how raw codes are read).

A VALUE entry is `keys = 'label'`; keys are single values (`1`, `'M'`, `.A`), lists (`1, 2`)
and ranges (`1-5`, `low-<0`, `other`).  Single values are codes; the special missing values
`.`, `.A`-`.Z` and `._` are missing values with their labels; ranges and `other` group values
rather than name codes, so they are not codes (a range's label may name the values' unit:
`59-76 = 'Number of inches'`).  An INVALUE entry that reads raw codes as a
missing value (`'-9' = .`, `'-8' = .A`) makes those raw codes missing values of every variable
read with it; its `other = (|3.|)` says how the remaining values are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field

from ._common import code_text
from .sas_syntax import format_ref, signed_value
from .stata_syntax import Tok

_SPECIAL = re.compile(r"\.[A-Za-z_]?")
_BOUNDS = {"LOW", "HIGH", "LO", "HI", "OTHER"}


@dataclass
class SasFormat:
    """A user format or informat."""

    name: str                       # upper case, `$` first for character ones
    codes: dict[str, str | None] = dc_field(default_factory=dict)
    missing: dict[str, str | None] = dc_field(default_factory=dict)
    raw_missing: list[str] = dc_field(default_factory=list)     # INVALUE: codes read as missing
    range_labels: list[str] = dc_field(default_factory=list)    # labels of value ranges
    other: str | None = None        # INVALUE: informat for the other values (`3.`)
    commented: bool = False         # defined in commented-out code

    @property
    def character(self) -> bool:
        return self.name.startswith("$")


def format_statement(tokens: list[Tok], invalue: bool, strict: bool) -> SasFormat | None:
    """A `VALUE`/`INVALUE` statement (tokens after the keyword) as a SasFormat.  Strict: every
    entry must parse and a VALUE label be quoted (for commented-out code), else None."""
    i = 0
    name = ""
    if i < len(tokens) and tokens[i].text == "$":
        name, i = "$", i + 1
    if i >= len(tokens) or tokens[i].kind not in ("word", "fmt"):
        return None
    name += tokens[i].text.rstrip(".")
    i += 1
    if i < len(tokens) and tokens[i].text == "(":   # options: (default=20 notsorted)
        i = next((j for j in range(i, len(tokens)) if tokens[j].text == ")"), len(tokens)) + 1
    fmt = SasFormat(name.upper())
    entries = 0
    while i < len(tokens):
        keys, i = _keys(tokens, i)
        if keys is None or i >= len(tokens) or tokens[i].text != "=":
            return None if strict or not entries else fmt
        target, i = _target(tokens, i + 1)
        fits = target is not None and (
            _is_invalue_target(target) if invalue else target.kind in ("str", "nested"))
        if target is None or strict and not fits:
            return None if strict or not entries else fmt
        _record(fmt, keys, target, invalue)
        entries += 1
    return fmt if entries else None


def _keys(tokens: list[Tok], i: int) -> tuple[list[tuple[Tok, Tok | None]] | None, int]:
    """The keys before an `=`: values and (low, high) ranges, comma-separated."""
    keys: list[tuple[Tok, Tok | None]] = []
    while True:
        first, i = signed_value(tokens, i)
        if first is None or not _is_key(first):
            return None, i
        high = None
        j = i
        while j < len(tokens) and tokens[j].text == "<":
            j += 1
        if j < len(tokens) and tokens[j].text == "-":
            j += 1
            while j < len(tokens) and tokens[j].text == "<":
                j += 1
            high, j = signed_value(tokens, j)
            if high is None or not _is_key(high):
                return None, j
            i = j
        keys.append((first, high))
        if i < len(tokens) and tokens[i].text == ",":
            i += 1
            continue
        return keys, i


def _is_key(t: Tok) -> bool:
    """A value a range or key can hold."""
    return t.kind in ("num", "str", "miss") or t.kind == "word" and t.text.upper() in _BOUNDS


def _target(tokens: list[Tok], i: int) -> tuple[Tok | None, int]:
    """The label (or INVALUE result) after `=`: a string, a value, `[fmt.]` or `(|fmt.|)`."""
    if i >= len(tokens):
        return None, i
    t = tokens[i]
    if t.text in ("[", "("):
        close = next((j for j in range(i, len(tokens)) if tokens[j].text in ("]", ")")), None)
        if close is None:
            return None, len(tokens)
        inner = "".join(x.text for x in tokens[i + 1:close] if x.text != "|")
        return Tok("nested", inner, t.start, tokens[close].end), close + 1
    value, j = signed_value(tokens, i)
    if value is not None and value.kind in ("str", "num", "miss", "word", "fmt"):
        return value, j
    return None, j


def _is_invalue_target(t: Tok) -> bool:
    """An INVALUE result that is no label: a number, a missing value, `_same_`, `(|fmt|)`."""
    return t.kind in ("num", "miss", "nested") or t.text.upper() in ("_SAME_", "_ERROR_")


def _record(fmt: SasFormat, keys: list[tuple[Tok, Tok | None]], target: Tok,
            invalue: bool) -> None:
    """Add one entry's single-value keys (codes, special missing values) to the format; an
    INVALUE keeps only the raw codes it reads as missing."""
    if target.kind == "nested":
        if any(k.text.upper() == "OTHER" for k, _ in keys):
            fmt.other = target.text
        return
    for low, high in keys:
        if high is not None and _value(high) != _value(low):
            label = _label(target)        # a range groups values, it does not name a code
            if not invalue and label and low.kind == high.kind == "num":
                fmt.range_labels.append(label)
            continue
        value = _value(low)
        if value is None:
            continue
        if invalue:
            if target.kind == "miss" and low.kind != "miss":
                fmt.raw_missing.append(value)
        elif low.kind == "miss":
            if _label(target) != value:      # `. = '.'` names nothing
                fmt.missing.setdefault(value, _label(target))
        else:
            fmt.codes.setdefault(value, _label(target))


def _value(t: Tok) -> str | None:
    """A key as code text: numbers as written (`1.0` -> `1`), strings without trailing blanks;
    None for `low`/`high`/`other`."""
    if t.kind == "word":
        return None
    if t.kind == "num":
        return code_text(t.text)
    if t.kind == "miss":
        return t.text.upper()
    return t.text.rstrip() or t.text


def _label(t: Tok) -> str | None:
    """A label as text (`''` -> None)."""
    return (t.text.strip() or None) if t.kind == "str" else t.text


def informat_type(ref: str, informats: dict[str, SasFormat]) -> tuple[str, int | None]:
    """(Table Schema type, width) of an informat such as `$CHAR5.`, `8.2`, `N3PF.`."""
    parsed = format_ref(ref)
    if parsed is None:
        return "any", None
    name, width, decimals = parsed
    if name in informats and informats[name].other and informats[name].other != ref:
        return informat_type(informats[name].other, informats)
    if name.startswith("$"):
        return "string", width
    kind = _DATE_INFORMATS.get(re.sub(r"\d+$", "", name))
    if kind:
        return kind, width
    if name in ("", "F", "BEST", "COMMA", "COMMAX", "DOLLAR", "Z", "ZD", "PD", "IB", "PIB",
                "NUMX", "BZ"):
        return ("number" if decimals else "integer"), width
    return ("number" if decimals else "any"), width


_DATE_INFORMATS = {
    "MMDDYY": "date", "DDMMYY": "date", "YYMMDD": "date", "DATE": "date", "JULIAN": "date",
    "ANYDTDTE": "date", "YYMMN": "date", "MONYY": "date", "E8601DA": "date",
    "DATETIME": "datetime", "ANYDTDTM": "datetime", "E8601DT": "datetime",
    "TIME": "time", "HHMMSS": "time", "E8601TM": "time",
}
