"""The dictionary as SPSS syntax: `VARIABLE LABELS`, `VALUE LABELS`, `MISSING VALUES` and
`FORMATS` for the numeric fields, to run on the data once it is read.

Names SPSS refuses are rewritten (engine.report.exports.names; a comment lists them).  Texts
are quoted with `'`, a `'` inside doubled, line breaks as spaces.  Codes of numeric fields
are numbers, others quoted strings.  SPSS takes at most three missing values per variable (or
a range and one value): with more, numeric codes become the range from the lowest to the
highest (which also makes the values between them missing, said in a comment), other codes
their first three.
"""

from __future__ import annotations

import json
import re

from ...model import Field, Schema
from .names import target_names
from .rules import number

_NUMERIC = ("integer", "number", "year")


def spss_syntax(schema: Schema) -> str:
    """The syntax text."""
    names = target_names(schema.names, "spss")
    out = ["* Written by Codebook from a data dictionary."]
    out += [f"* Renamed: {json.dumps(f.name)} is {n}." for f, n in zip(schema.fields, names)
            if n != f.name]
    # every variable, '' when it has no label: the syntax names them all, in order
    labels = [f"{n} {_quote(f.title or f.description or '')}"
              for f, n in zip(schema.fields, names)]
    if labels:
        out.append("VARIABLE LABELS " + "\n  /".join(labels) + ".")
    values = [_value_labels(f, n) for f, n in zip(schema.fields, names)]
    values = [v for v in values if v]
    if values:
        out.append("VALUE LABELS " + "\n  /".join(values) + ".")
    missing, notes = [], []
    for f, n in zip(schema.fields, names):
        spec, note = _missing(f, n)
        if spec:
            missing.append(spec)
        if note:
            notes.append(note)
    out += notes
    if missing:
        out.append("MISSING VALUES " + "\n  /".join(missing) + ".")
    formats = [f"{n} ({_format(f)})" for f, n in zip(schema.fields, names) if _format(f)]
    if formats:
        out.append("FORMATS " + "\n  /".join(formats) + ".")
    return "\n".join(out) + "\n"


def _quote(text: str) -> str:
    """An SPSS string literal on one line."""
    return "'" + re.sub(r"\s+", " ", text).strip().replace("'", "''") + "'"


def _numeric(f: Field) -> bool:
    """Whether SPSS holds the field as numbers (and its codes are all numbers)."""
    return f.type in _NUMERIC and all(number(c.value) is not None
                                     for c in f.categories + f.missing_values)


def _code(value: str, numeric: bool) -> str:
    if numeric:
        return str(number(value))
    return _quote(value)


def _value_labels(f: Field, name: str) -> str:
    numeric = _numeric(f)
    # SPSS labels every code it lists: an unlabelled code is labelled by itself
    pairs = [f"{_code(c.value, numeric)} {_quote(c.label or c.value)}"
             for c in f.categories + f.missing_values]
    return f"{name} " + " ".join(pairs) if pairs else ""


def _missing(f: Field, name: str) -> tuple[str, str]:
    """(`name (codes)` or '', a comment when not all codes fit)."""
    codes = [c.value for c in f.missing_values]
    if not codes:
        return "", ""
    numeric = _numeric(f)
    if len(codes) <= 3:
        return f"{name} ({', '.join(_code(c, numeric) for c in codes)})", ""
    if numeric:
        nums = sorted(number(c) for c in codes)
        lo, hi = nums[0], nums[-1]
        inside = [c.value for c in f.categories if lo < number(c.value) < hi]
        if not inside:
            return (f"{name} ({lo} THRU {hi})",
                    f"* {name}: missing values {lo} to {hi} (a range: SPSS holds three values).")
    return (f"{name} ({', '.join(_code(c, numeric) for c in codes[:3])})",
            f"* {name}: SPSS holds three missing values; also missing: "
            f"{json.dumps(codes[3:], ensure_ascii=True)}.")


def _format(f: Field) -> str | None:
    """F formats for numbers: no decimals for integers, as many as the codes show else."""
    if f.type in ("integer", "year"):
        return "F8.0"
    if f.type == "number":
        return "F8.2"
    return None

