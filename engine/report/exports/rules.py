"""What Codebook's Check asks of each data column, in the form every export writes it down.

`column_rules(schema)` gives one `Rule` per data column: a field, or one choice column of a
REDCap checkbox field (`race___1`: 0 or 1).  A rule states Codebook's semantics
(engine.validation) once, so that every export says the same thing:

- the missing-value codes of the field, then the schema's (`""` by default), are missing: no
  other check sees them; a code that is also in the code list stays a code;
- `required` is broken only by an empty cell (null or a schema-level missing value): a field's
  own code such as `9 = Refused` is an answer.  A field asked under a condition (branching
  logic, enableWhen) is required only where the condition holds, which no export can state:
  there it is not required;
- the type is checked on the rest; ranges, code lists, lengths, patterns and uniqueness only
  on the values of the right type.  Codes of a numeric field compare as numbers; other codes as
  text, a value with spaces around it matching too;
- a range no value can satisfy (minimum above maximum) is not checked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field as dc_field
from typing import Any, Iterator

import pyarrow as pa

from ...model import Category, Field, Schema
from ...validation.codes import code_list
from ...validation.labels import checked_bounds
from ...validation.column import as_text, empty_range
from ...validation.logic_check import field_condition
from ...validation.run import to_arrow
from ...values.conform import (_DATE, _DATETIME, _DURATION, _GEOPOINT, _INT, _NUM,
                               _STRING_FORMATS, parse_values)
from ...values.grammar import FALSE_VALUES, TIME as _TIME, TRUE_VALUES, YEAR as _YEAR
from ...values.grammar import YEARMONTH as _YEARMONTH

NUMERIC = ("integer", "number", "year")
# the regular expression each type's values match (engine.values.conform), anchored
TYPE_PATTERNS = {"integer": _INT, "number": _NUM, "year": _YEAR, "date": _DATE,
                 "datetime": _DATETIME, "time": _TIME, "yearmonth": _YEARMONTH,
                 "duration": _DURATION, "geopoint": _GEOPOINT,
                 "object": r"^\s*\{", "array": r"^\s*\[", "geojson": r"^\s*\{"}
_CHECKBOX_CODES = [Category("0", "Unchecked"), Category("1", "Checked")]


@dataclass
class Rule:
    """One data column as Codebook checks it."""

    name: str                        # the column
    field: Field                     # the field it belongs to (labels, descriptions)
    type: str                        # the Table Schema type ("any": not checked)
    format: str | None = None
    codes: list[Category] = dc_field(default_factory=list)
    missing: list[Category] = dc_field(default_factory=list)   # the field's own missing codes
    empty: list[str] = dc_field(default_factory=lambda: [""])   # no answer at all (required)
    schema_missing: list[str] = dc_field(default_factory=lambda: [""])  # the schema's, not codes
    bounds: dict[str, Any] = dc_field(default_factory=dict)    # minimum ... as written
    required: bool = False
    unique: bool = False
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    true_values: list[str] = dc_field(default_factory=lambda: list(TRUE_VALUES))
    false_values: list[str] = dc_field(default_factory=lambda: list(FALSE_VALUES))

    @property
    def missing_values(self) -> list[str]:
        """Every text that counts as missing in this column: its codes, then empty ones."""
        return list(dict.fromkeys([m.value for m in self.missing] + self.schema_missing))

    @property
    def numeric(self) -> bool:
        return self.type in NUMERIC

    @property
    def type_pattern(self) -> str | None:
        """The regular expression valid values match (None: the type is not checked)."""
        if self.type == "string":
            return _STRING_FORMATS.get(self.format or "")
        if self.type in ("date", "datetime") and self.format not in (None, "", "default"):
            return None                      # a strptime format: see `date_format`
        return TYPE_PATTERNS.get(self.type) if self.type != "boolean" else None

    @property
    def checked(self) -> bool:
        """Whether the type is checked at all."""
        return self.type == "boolean" or self.type_pattern is not None or \
            self.date_format is not None or \
            (self.type in ("date", "datetime") and self.format == "any")

    @property
    def date_format(self) -> str | None:
        """The strptime format of a date/datetime field with a stated format."""
        fmt = self.format
        if self.type in ("date", "datetime") and fmt not in (None, "", "default", "any"):
            return fmt[4:] if fmt.startswith("fmt:") else fmt
        return None

    def numeric_codes(self) -> list[int | float] | None:
        """The codes as numbers when the field is numeric and every code is one."""
        if not self.numeric or not self.codes:
            return None
        out = [number(c.value) for c in self.codes]
        return None if any(v is None for v in out) else out  # type: ignore[return-value]

    def number_bounds(self) -> dict[str, float]:
        """The numeric bounds of a numeric field (others: {})."""
        if not self.numeric:
            return {}
        return {k: v for k, v in ((k, number(b)) for k, b in self.bounds.items())
                if v is not None}


def column_rules(schema: Schema) -> list[Rule]:
    """One rule per data column, in the dictionary's order (names unique)."""
    empty = _empty(schema)
    out: list[Rule] = []
    seen: set[str] = set()
    for f in schema.fields:
        for rule in _rules_of(f, empty):
            if rule.name not in seen:
                seen.add(rule.name)
                out.append(rule)
    return out


def _empty(schema: Schema) -> list[str]:
    return list(schema.missing_values) if schema.missing_values is not None else [""]


def _rules_of(f: Field, empty: list[str]) -> list[Rule]:
    columns = f.extras.get("columns")
    if f.extras.get("checkbox") and isinstance(columns, list) and columns:
        return [Rule(str(c), f, "integer", codes=list(_CHECKBOX_CODES),
                     empty=_unless(empty, _CHECKBOX_CODES),
                     schema_missing=_without(empty, _CHECKBOX_CODES)) for c in columns]
    return [field_rule(f, empty)]


def field_rule(f: Field, empty: list[str]) -> Rule:
    """The rule of a one-column field (engine.validation.column.check_column)."""
    codes = code_list(f)
    real = {c.value for c in codes}
    c = f.constraints
    cond = field_condition(f)
    rule = Rule(f.name, f, f.type, f.format, codes=codes,
                missing=[m for m in _unique(f.missing_values) if m.value not in real],
                empty=_unless(empty, codes), schema_missing=_without(empty, codes),
                required=bool(c.get("required")) and not (cond is not None and cond.tree),
                unique=bool(c.get("unique")), pattern=_text(c.get("pattern")),
                min_length=_int(c.get("minLength")), max_length=_int(c.get("maxLength")))
    if empty_range(f) is None:
        rule.bounds = checked_bounds(f)
    if f.type == "boolean":
        rule.true_values = [str(v) for v in f.extras.get("trueValues") or TRUE_VALUES]
        rule.false_values = [str(v) for v in f.extras.get("falseValues") or FALSE_VALUES]
    return rule


def _without(values: list[str], codes: list[Category]) -> list[str]:
    """`values` without the codes of the code list (a code is never missing)."""
    real = {c.value for c in codes}
    return [v for v in values if v not in real]


def _unless(values: list[str], codes: list[Category]) -> list[str]:
    """The cells that leave a required field empty (validation.codes.empty_flags)."""
    return _without(values, codes) or [""]


def _unique(cats: list[Category]) -> list[Category]:
    seen: set[str] = set()
    out = []
    for c in cats:
        if c.value not in seen:
            seen.add(c.value)
            out.append(c)
    return out


def number(value: Any) -> int | float | None:
    """A code or bound as a finite number (whole numbers as int), else None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        x = float(str(value).strip())
    except ValueError:
        return None
    if not math.isfinite(x):
        return None
    return int(x) if x.is_integer() else x


def _int(value: Any) -> int | None:
    x = number(value)
    return int(x) if x is not None else None


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def label_of(f: Field) -> str:
    """The field's label: its title, else its description, else ''."""
    return (f.title or f.description or "").strip()


# ---- the data as the exports that take Python values expect it ------------------------------
def typed_columns(table: Any, schema: Schema) -> Iterator[tuple[str, list[Any]]]:
    """(column, values) of a table: cells as written, empty cells None, and in numeric
    columns the values Codebook reads as numbers as numbers (the others kept as text)."""
    table = to_arrow(table)
    rules = {r.name: r for r in column_rules(schema)}
    for name in table.column_names:
        text = as_text(table.column(name))
        if isinstance(text, pa.ChunkedArray):
            text = text.combine_chunks()
        yield name, _typed_cells(text.to_pylist(), rules.get(name))


def _typed_cells(values: list[str | None], r: Rule | None) -> list[Any]:
    if r is None:
        return values
    empty = set(r.schema_missing)
    missing = {m.value for m in r.missing}
    values = [None if v is None or v in empty else v for v in values]
    if not r.numeric:
        return values
    probe = pa.array([None if v is None or v in missing else v for v in values], pa.string())
    parsed = parse_values(probe, Field(r.name, type=r.type, format=r.format,
                                       extras=dict(r.field.extras)))
    if parsed is None or parsed.num is None:
        return values
    whole = r.type in ("integer", "year")
    return [(int(x) if whole else float(x)) if ok else v
            for v, ok, x in zip(values, parsed.ok, parsed.num)]
