"""The dictionary as a pandera `DataFrameSchema`, written as Python code that runs as it is.

The module written defines `schema`.  It validates data read as text, as Codebook reads it
(`pd.read_csv(path, dtype=str, keep_default_na=False)`), and reports what Codebook's Check
reports: each column's parser marks the field's missing-value codes (`MissingCode`), turns
empty cells into NA and values of the field's type into numbers, dates or booleans, and keeps
other values as written (`NotOfType`); the checks, named after Codebook's kinds (`type`,
`minimum`, `category`, `pattern`, `unique` ...), then look at the values of the right type
only, and `nullable=False` flags the empty cells of a required field.  Every text from the
dictionary enters the code as a Python literal (`repr`), never as code or a comment.
"""

from __future__ import annotations

from typing import Any

from ...model import Schema
from ...validation.types import _ANY_DATE_FORMATS, _DATETIME_ANY
from .rules import Rule, column_rules, number

PREAMBLE = r'''
import datetime as _dt
import re

import pandas as pd
import pandera.pandas as pa


class MissingCode(str):
    """A field's own missing-value code (such as 9 = Refused): an answer meaning missing."""


class NotOfType(str):
    """A value that is not of its field's type, kept as written."""


_EPOCH = pd.Timestamp("1970-01-01")
ANY_DATE_FORMATS = __ANY_DATE_FORMATS__
DATETIME_ANY = __DATETIME_ANY__


def _cell_text(v):
    """A cell as text: whole floats as integers (3.0 -> '3'), as Codebook writes them."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return v if isinstance(v, str) else str(v)


def _strptime(text, formats):
    for fmt in formats:
        try:
            return pd.Timestamp(_dt.datetime.strptime(text.strip(), fmt))
        except ValueError:
            pass
    return None


def _iso_date(text):
    try:
        return pd.Timestamp(_dt.date.fromisoformat(text))
    except ValueError:
        return None


def _iso_datetime(text):
    try:
        return pd.Timestamp(_dt.datetime.fromisoformat(text[:19].replace("T", " ")))
    except ValueError:
        return None


def _convert(kind, text, rx, fmt, options):
    """The value of `text` read as `kind`, or NotOfType."""
    if kind == "boolean":
        if text in options["true"]:
            return True
        return False if text in options["false"] else NotOfType(text)
    if kind == "number":
        text = text.replace(options.get("group") or "\0", "")
        text = text.replace(options.get("decimal") or ".", ".")
    if fmt is not None:
        formats = ANY_DATE_FORMATS if fmt == "any" else [fmt]
        value = _strptime(text, formats)
        return NotOfType(text) if value is None else value
    if rx is None:
        return text
    if not rx.search(text) or (kind == "duration" and text == "P"):
        return NotOfType(text)
    if kind in ("integer", "year"):
        return int(float(text.strip()))
    if kind == "number":
        return float(text.strip())
    if kind == "date":
        return _iso_date(text) or NotOfType(text)
    if kind == "datetime":
        return _iso_datetime(text) or NotOfType(text)
    return text


def read(kind, pattern=None, missing=(), empty=("",), fmt=None, **options):
    """A parser reading a column as Codebook does: empty cells NA, missing-value codes
    MissingCode, values of the type converted, others NotOfType."""
    missing, empty = set(missing), set(empty)
    # `$` ends the text, as in Codebook's regular expressions (RE2), not before a last newline
    rx = re.compile(pattern.replace("$", r"\Z")) if pattern else None

    def value(v):
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            return None
        text = _cell_text(v)
        if text in empty:
            return None
        if text in missing:
            return MissingCode(text)
        return _convert(kind, text, rx, fmt, options)
    return pa.Parser(lambda s: s.astype(object).map(value).astype(object))


def _valid(s):
    """True for the values of the right type (not empty, not a missing code)."""
    return s.map(lambda v: v is not None and v is not pd.NA
                 and not isinstance(v, (MissingCode, NotOfType))).astype(bool)


def _comparable(v):
    """A value as a number for ranges (dates as seconds since 1970), else None."""
    if isinstance(v, (MissingCode, NotOfType)) or v is None or v is pd.NA:
        return None
    if isinstance(v, pd.Timestamp):
        return (v.tz_localize(None) - _EPOCH).total_seconds()
    if isinstance(v, (bool, int, float)):
        return float(v)
    return None


def _bound(value):
    """A bound as Codebook compares it: a number, or a date as seconds since 1970 (UTC)."""
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(value)
    except ValueError:
        when = _dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        if when.tzinfo is None:
            when = when.replace(tzinfo=_dt.timezone.utc)
        return when.timestamp()


def _numbers(s):
    return pd.to_numeric(s.map(_comparable), errors="coerce")


def _texts(s):
    """The values of the right type as text (others None)."""
    return s.where(_valid(s), None).map(lambda v: None if v is None else _cell_text(v))


def _check(name, test):
    """A check passing the cells that are empty, missing or of another type."""
    return pa.Check(lambda s: ~_valid(s) | test(s).fillna(False).astype(bool), name=name)


def of_type(kind):
    return pa.Check(lambda s: ~s.map(lambda v: isinstance(v, NotOfType)).astype(bool),
                    name="type")


def minimum(limit):
    return _check("minimum", lambda s: ~(_numbers(s) < _bound(limit)))


def maximum(limit):
    return _check("maximum", lambda s: ~(_numbers(s) > _bound(limit)))


def exclusive_minimum(limit):
    return _check("exclusiveMinimum", lambda s: ~(_numbers(s) <= _bound(limit)))


def exclusive_maximum(limit):
    return _check("exclusiveMaximum", lambda s: ~(_numbers(s) >= _bound(limit)))


def codes(values, numeric=False):
    """In the code list: numbers compared as numbers, text also with spaces trimmed."""
    if numeric:
        numbers = [float(v) for v in values]
        return _check("category", lambda s: _numbers(s).isin(numbers))
    allowed = set(values)
    return _check("category", lambda s: _texts(s).map(
        lambda t: t is not None and (t in allowed or t.strip() in allowed)))


def pattern(regex):
    rx = re.compile(regex)
    return _check("pattern", lambda s: _texts(s).map(
        lambda t: t is not None and rx.fullmatch(t) is not None))


def min_length(n):
    return _check("minLength", lambda s: _texts(s).map(lambda t: t is not None and len(t) >= n))


def max_length(n):
    return _check("maxLength", lambda s: _texts(s).map(lambda t: t is not None and len(t) <= n))


def unique():
    """No value of the right type repeats one of an earlier row (numbers as numbers)."""
    def repeats(s):
        valid = _valid(s)
        return s[valid].duplicated(keep="first").reindex(s.index, fill_value=False)
    return _check("unique", lambda s: ~repeats(s).astype(bool))
'''


def pandera_code(schema: Schema, *, name: str = "codebook") -> str:
    """Python source defining `schema`, a pandera DataFrameSchema of the dictionary."""
    preamble = PREAMBLE.replace("__ANY_DATE_FORMATS__", repr(list(_ANY_DATE_FORMATS))) \
        .replace("__DATETIME_ANY__", repr(_DATETIME_ANY))
    columns = "".join(_column(r) for r in column_rules(schema))
    head = ('"""A pandera schema written by Codebook from a data dictionary.\n\n'
            "Validate the data as written, every cell a string, as Codebook reads it:\n\n"
            "    df = pd.read_csv(path, dtype=str, keep_default_na=False)\n"
            "    schema.validate(df, lazy=True)   # SchemaErrors lists every failing cell\n\n"
            "Each column's parser marks missing-value codes (MissingCode) and empty cells\n"
            "(NA), converts the values of the field's type and keeps the others as written\n"
            "(NotOfType); the checks are named after Codebook's kinds and look at the values\n"
            'of the right type only.\n"""\n')
    meta = {"generator": "codebook"}
    if schema.extras.get("title"):
        meta["title"] = str(schema.extras["title"])
    return (head + preamble + "\n\nschema = pa.DataFrameSchema(\n    columns={\n" + columns +
            "    },\n    strict=False,\n    name=" + repr(name) + ",\n    metadata=" +
            repr(meta) + ",\n)\n")


def _column(r: Rule) -> str:
    """One `"name": pa.Column(...)` entry."""
    args = []
    f = r.field
    if f.title:
        args.append(f"title={f.title!r}")
    if f.description:
        args.append(f"description={f.description!r}")
    args.append(f"nullable={not r.required!r}")
    args.append(f"required={r.required!r}")
    args.append(f"parsers={_reader(r)}")
    checks = _checks(r)
    if checks:
        args.append("checks=[\n" + "".join(f"                {c},\n" for c in checks) +
                    "            ]")
    body = "".join(f"            {a},\n" for a in args)
    return f"        {r.name!r}: pa.Column(\n{body}        ),\n"


def _reader(r: Rule) -> str:
    kind = r.type if r.checked else "any"
    args = [repr(kind)]
    fmt = r.date_format or ("any" if r.type == "date" and r.format == "any" else None)
    pattern = r.type_pattern
    if r.type == "datetime" and r.format == "any":
        pattern, kind = _DATETIME_ANY, "datetime-any"
        args[0] = repr(kind)
    if pattern is not None:
        args.append(f"pattern={pattern!r}")
    if fmt is not None:
        args.append(f"fmt={fmt!r}")
    if r.missing:
        args.append(f"missing={[m.value for m in r.missing]!r}")
    args.append(f"empty={r.schema_missing!r}")
    if r.type == "boolean":
        args += [f"true={r.true_values!r}", f"false={r.false_values!r}"]
    if r.type == "number":
        for key, opt in (("groupChar", "group"), ("decimalChar", "decimal")):
            if r.field.extras.get(key):
                args.append(f"{opt}={str(r.field.extras[key])!r}")
    return "read(" + ", ".join(args) + ")"


_BOUND_FUNCS = {"minimum": "minimum", "maximum": "maximum",
                "exclusiveMinimum": "exclusive_minimum", "exclusiveMaximum": "exclusive_maximum"}


def _checks(r: Rule) -> list[str]:
    out = []
    if r.checked:
        out.append(f"of_type({r.type!r})")
    if r.type in ("integer", "number", "year", "date", "datetime", "boolean"):
        for key, value in r.bounds.items():
            lit = _bound_literal(value, r.type)
            if lit is not None:
                out.append(f"{_BOUND_FUNCS[key]}({lit})")
    if r.codes:
        nums = r.numeric_codes()
        if nums is not None:
            out.append(f"codes({nums!r}, numeric=True)")
        else:
            out.append(f"codes({[c.value for c in r.codes]!r})")
    if r.min_length is not None:
        out.append(f"min_length({r.min_length!r})")
    if r.max_length is not None:
        out.append(f"max_length({r.max_length!r})")
    if r.pattern:
        out.append(f"pattern({r.pattern!r})")
    if r.unique:
        out.append("unique()")
    return out


def _bound_literal(value: Any, ftype: str) -> str | None:
    """A bound as a Python literal: a number, or an ISO date/time text for dates."""
    x = number(value)
    if x is not None:
        return repr(x)
    if ftype in ("date", "datetime") and isinstance(value, str):
        return repr(value.strip())
    return None
