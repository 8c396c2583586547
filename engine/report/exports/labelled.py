"""The data itself as SPSS `.sav` and Stata `.dta`, with variable labels, value labels and
missing-value codes (written by pyreadstat).

Each column keeps its cells: a column of a numeric field whose every cell is a number (or a
missing-value code that is one) is numeric, any other column text as written, so that no
value is lost.  Names the package refuses are rewritten (engine.report.exports.names).

- SPSS: value labels on numeric and text codes, the field's missing-value codes as user
  missing values (at most three, or a range holding no valid code, as SPSS allows);
- Stata: value labels on integer codes of numeric columns only (Stata has no others, and
  only from -2,147,483,647 to 2,147,483,620); the missing-value codes become extended missing
  values `.a`, `.b` ... labelled as the codes were.  Numbers a Stata double cannot hold
  (infinities, NaN written as a value, beyond ±8.99e307) become extended missing values from
  `.z` down, labelled with the value, so the column stays numeric and nothing is lost.
  Variable labels are cut to 80 characters, as Stata holds them.  What was adapted is said
  in `notes`.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass, field as dc_field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from ...match import Matching, match_columns
from ...model import Category, Field, Schema
from ...validation.column import as_text
from ...validation.run import to_arrow
from ...values.conform import parse_values
from .names import target_names
from .rules import number

_NUMERIC = ("integer", "number", "year")
_CHECKBOX = [Category("0", "Unchecked"), Category("1", "Checked")]
_SPSS_LABEL_BYTES = 256
_SPSS_VALUE_LABEL_BYTES = 120
_STATA_LABEL_CHARS = 80
_STATA_LABEL_VALUES = (-2_147_483_647, 2_147_483_620)   # what a Stata value label can name
_STATA_MAX_DOUBLE = 8.98846567431158e307                 # 2**1023: larger is Stata's missing


@dataclass
class Column:
    """One column of the labelled file."""

    source: str                          # the data's column name
    label: str | None
    numeric: bool
    values: list[Any]
    codes: list[Category] = dc_field(default_factory=list)
    missing: list[Category] = dc_field(default_factory=list)


def labelled_columns(table: Any, schema: Schema, matching: Matching | None = None
                     ) -> list[Column]:
    """The data's columns with what the dictionary says about them."""
    table = to_arrow(table)
    if matching is None:
        matching = match_columns(table.column_names, schema)
    by_name = {f.name: f for f in schema.fields}
    out = []
    for name in table.column_names:
        text = as_text(table.column(name))
        if isinstance(text, pa.ChunkedArray):
            text = text.combine_chunks()
        pair = next((p for p in matching.pairs if p.column == name), None)
        f = by_name.get(pair.field) if pair is not None else None
        out.append(_column(name, text, f, pair.code if pair is not None else None,
                           schema.missing_values))
    return out


def _column(name: str, text: pa.Array, f: Field | None, code: str | None,
            schema_missing: list[str] | None) -> Column:
    cells = text.to_pylist()
    empty = set(schema_missing if schema_missing is not None else [""])
    if f is None:
        return Column(name, None, False, ["" if v is None else v for v in cells])
    if code is not None:                       # one choice column of a checkbox field
        choice = next((c.label for c in f.categories if c.value == code), code)
        label = f"{f.title or f.description or f.name}: {choice}"
        f = Field(name, title=label, type="integer", categories=list(_CHECKBOX))
    codes = list(f.categories)
    missing = [m for m in f.missing_values if m.value not in {c.value for c in codes}]
    label = f.title or f.description
    values = [None if v is None or v in empty else v for v in cells]
    numbers = _numbers(values, f, missing) if f.type in _NUMERIC else None
    if numbers is not None:
        return Column(name, label, True, numbers, codes, missing)
    return Column(name, label, False, ["" if v is None else v for v in values], codes, missing)


def _numbers(values: list[str | None], f: Field, missing: list[Category]) -> list | None:
    """The cells as floats when every one is a number (None: keep the column as text)."""
    codes = {m.value: number(m.value) for m in missing}
    probe = pa.array([v if v not in codes else None for v in values], pa.string())
    parsed = parse_values(probe, Field(f.name, type=f.type, extras=dict(f.extras)))
    if parsed is None or parsed.num is None:
        return None
    out: list[float | None] = []
    for v, ok, x in zip(values, parsed.ok, parsed.num):
        if v is None:
            out.append(None)
        elif v in codes:
            if codes[v] is None:
                return None                   # a text code in a numeric column
            out.append(float(codes[v]))
        elif ok:
            out.append(float(x))
        else:
            return None
    return out


# ---- SPSS ---------------------------------------------------------------------------------------
def write_sav(table: Any, schema: Schema, path: str | Path,
              matching: Matching | None = None) -> Path:
    """The data as an SPSS .sav file; returns its path."""
    import pyreadstat

    columns = labelled_columns(table, schema, matching)
    names = target_names([c.source for c in columns], "spss")
    df = _frame(columns, names)
    labels, value_labels, missing, measure = {}, {}, {}, {}
    for c, n in zip(columns, names):
        labels[n] = _cut_bytes(c.label, _SPSS_LABEL_BYTES) if c.label else None
        pairs = {_key(x.value, c.numeric): _cut_bytes(x.label, _SPSS_VALUE_LABEL_BYTES)
                 for x in c.codes + c.missing if x.label and _key(x.value, c.numeric) is not None}
        if pairs:
            value_labels[n] = pairs
        spec = _spss_missing(c)
        if spec:
            missing[n] = spec
        measure[n] = "nominal" if c.codes or not c.numeric else "scale"
    pyreadstat.write_sav(df, str(path), column_labels=labels, variable_value_labels=value_labels,
                         missing_ranges=missing, variable_measure=measure)
    return Path(path)


def _spss_missing(c: Column) -> list:
    """At most three codes, or a numeric range holding no valid code."""
    if not c.missing:
        return []
    if c.numeric:
        nums = sorted(float(number(m.value)) for m in c.missing)
        if len(nums) <= 3:
            return nums
        inside = [x for x in (number(k.value) for k in c.codes)
                  if x is not None and nums[0] < x < nums[-1]]
        return [{"lo": nums[0], "hi": nums[-1]}] if not inside else nums[:3]
    return [m.value for m in c.missing if len(m.value.encode("utf-8")) <= 8][:3]


# ---- Stata --------------------------------------------------------------------------------------
def write_dta(table: Any, schema: Schema, path: str | Path,
              matching: Matching | None = None, notes: list[str] | None = None) -> Path:
    """The data as a Stata .dta file; returns its path.  What Stata could not hold as it was
    (see the module's docstring) is said in `notes`, one line per column."""
    import pyreadstat

    notes = [] if notes is None else notes
    columns = labelled_columns(table, schema, matching)
    names = target_names([c.source for c in columns], "stata")
    data: dict[str, list] = {}
    labels, value_labels, user_missing = {}, {}, {}
    for c, n in zip(columns, names):
        labels[n] = c.label[:_STATA_LABEL_CHARS] if c.label else None
        values = list(c.values)
        if c.numeric:
            letters = _extended(c)
            by_value = {float(number(m.value)): letter for m, letter in letters}
            beyond = [v for v in values if v is not None and not _held(v)]
            unheld = _unheld(beyond, len(letters))
            if unheld:
                cells = f"{len(beyond):,} cell{'s' if len(beyond) != 1 else ''}"
                notes.append(f"{c.source}: {cells} Stata cannot hold as numbers "
                             "became extended missing values labelled with their value ("
                             + ", ".join(f".{x} = {t}" for t, x in unheld.items()) + ").")
            if letters or unheld:
                values = [None if v is None else by_value.get(v, v) if _held(v)
                          else unheld[_text(v)] for v in values]
                user_missing[n] = [letter for _, letter in letters] + list(unheld.values())
            pairs, dropped = _stata_value_labels(c.codes)
            if dropped:
                notes.append(f"{c.source}: no value labels for {', '.join(dropped)} (a Stata "
                             "value label names integers from -2,147,483,647 to "
                             "2,147,483,620 only).")
            pairs.update({letter: m.label for m, letter in letters if m.label})
            pairs.update({x: t for t, x in unheld.items()})
            if pairs:
                value_labels[n] = pairs
        data[n] = values
    df = pd.DataFrame({n: pd.Series(v, dtype=object if not c.numeric else None)
                       for (n, v), c in zip(data.items(), columns)})
    for c, n in zip(columns, names):
        if c.numeric and n not in user_missing:
            df[n] = pd.to_numeric(df[n])
    pyreadstat.write_dta(df, str(path), column_labels=labels,
                         variable_value_labels=value_labels, missing_user_values=user_missing)
    return Path(path)


def _extended(c: Column) -> list[tuple[Category, str]]:
    """The integer missing codes with the letters of their extended missing values."""
    codes = [m for m in c.missing if isinstance(number(m.value), int)]
    return list(zip(codes, string.ascii_lowercase))


def _unheld(beyond: list[float], taken: int) -> dict[str, str]:
    """{value as text: extended missing letter, from `z` down} for the numbers a Stata double
    cannot hold; a ValueError (pyreadstat's refusal, then) when there are more such distinct
    values than letters left after the `taken` first."""
    texts = list(dict.fromkeys(map(_text, beyond)))
    if len(texts) > 26 - taken:
        raise ValueError(f"{len(texts)} distinct values beyond what a Stata double holds "
                         "(infinities, NaN, beyond ±8.99e307), more than its extended missing "
                         "values can name")
    return dict(zip(texts, string.ascii_lowercase[::-1]))


def _held(v: float) -> bool:
    return math.isfinite(v) and -_STATA_MAX_DOUBLE <= v <= _STATA_MAX_DOUBLE


def _text(v: float) -> str:
    """A number as its label shows it: `inf`, `-inf`, `NaN`, `1e+308`."""
    return "NaN" if math.isnan(v) else repr(v)


def _stata_value_labels(codes: list[Category]) -> tuple[dict, list[str]]:
    """({integer code: label} a Stata value label can hold, [codes it cannot])."""
    lo, hi = _STATA_LABEL_VALUES
    pairs, dropped = {}, []
    for k in codes:
        x = number(k.value)
        if not isinstance(x, int) or not k.label:
            continue
        if lo <= x <= hi:
            pairs[x] = k.label
        else:
            dropped.append(k.value)
    return pairs, dropped


# ---- shared -------------------------------------------------------------------------------------
def _frame(columns: list[Column], names: list[str]) -> pd.DataFrame:
    data = {}
    for c, n in zip(columns, names):
        data[n] = pd.Series(c.values, dtype="float64" if c.numeric else object)
    return pd.DataFrame(data)


def _key(value: str, numeric: bool) -> Any:
    return float(number(value)) if numeric and number(value) is not None else \
        (None if numeric else value)


def _cut_bytes(text: str, size: int) -> str:
    """`text` cut to `size` UTF-8 bytes at a character boundary."""
    return text.encode("utf-8")[:size].decode("utf-8", errors="ignore")


def write_labelled_data(table: Any, schema: Schema, outdir: str | Path, *, stem: str = "data",
                        matching: Matching | None = None,
                        formats: tuple[str, ...] = ("sav", "dta")) -> dict[str, Path]:
    """Write the labelled data files asked for: {"sav": path, "dta": path}."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    writers = {"sav": write_sav, "dta": write_dta}
    return {fmt: writers[fmt](table, schema, out / f"{stem}.labelled.{fmt}", matching)
            for fmt in formats}
