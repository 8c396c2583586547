"""Corrections a user makes to a parsed dictionary in the fields table, and the missing-value
markers declared for the whole dictionary: each edited cell read back into the field it shows,
or refused with a message that says why (the schema then keeps the field as it was).

The table's columns are engine.model.FIELD_ROW_COLUMNS (the fields CSV's), in the forms
`Field.row()` writes: codes and missing values `1=Yes; 2=No`, a range `0 – 120`, `≥ 0` or
`≤ 5`, required `yes` or empty.  Plain functions of plain values: they run in a worker.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field as dc_field, replace
from typing import Any

from engine.markers import Markers, parse_markers as parse_markers_text
from engine.model import FIELD_ROW_COLUMNS, FIELD_TYPES, Category, Field, Schema

TYPE_ALIASES = {"int": "integer", "float": "number", "numeric": "number", "double": "number",
                "decimal": "number", "str": "string", "text": "string", "char": "string",
                "bool": "boolean", "timestamp": "datetime"}
YES = {"yes", "y", "true", "1", "x", "required"}
NO = {"", "no", "n", "false", "0"}
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_BETWEEN = re.compile(rf"^\s*({_NUMBER})\s*(?:–|—|-|to|\.\.)\s*({_NUMBER})\s*$")
_AT_LEAST = re.compile(rf"^\s*(?:≥|>=|min(?:imum)?:?)\s*({_NUMBER})\s*$", re.I)
_AT_MOST = re.compile(rf"^\s*(?:≤|<=|max(?:imum)?:?)\s*({_NUMBER})\s*$", re.I)


class EditError(ValueError):
    """A cell that cannot be read back into its field (the message says why)."""


@dataclass
class EditResult:
    """An edit applied: the new schema, what changed, and the cells refused (with why)."""

    schema: Schema
    changed: list[str] = dc_field(default_factory=list)     # "LotFrontage's type (integer)"
    refused: list[str] = dc_field(default_factory=list)     # "Row 3 (LotFrontage), type: …"
    added: list[str] = dc_field(default_factory=list)
    removed: list[str] = dc_field(default_factory=list)

    def message(self) -> str:
        """One Markdown paragraph: what was applied, then what was refused and why."""
        parts = []
        if self.changed or self.added or self.removed:
            done = _listed("edited", self.changed) + _listed("added", self.added) + \
                _listed("removed", self.removed)
            parts.append("✓ " + "; ".join(done) + ". The Table Schema and downloads follow; "
                         "the Check tab uses this dictionary.")
        if self.refused:
            parts.append(f"⚠ **{len(self.refused)} edit{'s' * (len(self.refused) > 1)} not "
                         "applied** (the cell shows the value kept):\n" +
                         "\n".join(f"- {r}" for r in self.refused))
        return "\n\n".join(parts) or "No change."


def _listed(verb: str, items: list[str], shown: int = 6) -> list[str]:
    if not items:
        return []
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return [f"{verb} {', '.join(items[:shown])}{more}"]


# ---- missing-value markers ---------------------------------------------------------------
def parse_markers(text: Any) -> list[str]:
    """The dictionary-wide markers of what a user types (engine.markers' syntax: `NA, NULL,
    -9`; `;` between groups; `Field=-9` for one field, which this list leaves out).  The
    empty string is never one here: empty cells are always missing."""
    return [m for m in markers_of(text).every if m != ""]


def markers_of(text: Any) -> Markers:
    """engine.markers.parse_markers, with a user's loose typing forgiven: line breaks as `;`
    and trailing separators dropped (outside double quotes: a quoted value keeps its `;`)."""
    if isinstance(text, str):
        text = ";".join(g.strip().strip(",").strip() for g in _groups(text)
                        if g.strip(" ,\t"))
    return parse_markers_text(text)


def _groups(text: str) -> list[str]:
    """`text` cut at each `;` or line break that is not inside double quotes."""
    groups, start, quoted = [], 0, False
    for at, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted   # `""` inside quotes toggles twice: still quoted
        elif not quoted and ch in ";\r\n":
            groups.append(text[start:at])
            start = at + 1
    return groups + [text[start:]]


def markers_text(schema: Schema) -> str:
    """The dictionary-wide markers as a user types them (empty cells left out)."""
    return ", ".join(m for m in schema.missing_values or [] if m != "")


def with_missing_values(schema: Schema, markers: Any) -> Schema:
    """`schema` with its dictionary-wide missing values set to `markers` (replacing its own;
    per-field `Field=-9` too, and a marker that is one of a field's codes is no missing value
    there: engine.model.Schema.with_missing_values).  Empty cells stay missing."""
    return replace(schema, missing_values=None).with_missing_values(markers_of(markers))


# ---- cells read back ----------------------------------------------------------------------
def read_type(text: str) -> str:
    """A Table Schema type from what a user types (`Integer`, `int`, `float` …)."""
    t = text.strip().lower() or "any"
    t = TYPE_ALIASES.get(t, t)
    if t not in FIELD_TYPES:
        raise EditError(f"'{text.strip()}' is not a Table Schema type; use one of "
                        f"{', '.join(FIELD_TYPES)}")
    return t


def read_codes(text: str, ftype: str, what: str = "code") -> list[Category]:
    """Codes from `1=Yes; 2=No` (semicolons or lines between codes; a code without `=` has
    no label).  Refused: a code without a value, a value twice, a value that is not of the
    field's numeric type."""
    out: list[Category] = []
    seen: set[str] = set()
    for i, item in enumerate(re.split(r";|\n", text), 1):
        item = item.strip()
        if not item:
            continue
        value, sep, label = item.partition("=")
        value, label = value.strip(), label.strip()
        if not value:
            raise EditError(f"{what} {i} ('{item}') has no value before '='; write codes as "
                            "`1=Yes; 2=No`")
        if value in seen:
            raise EditError(f"{what} '{value}' appears twice")
        if ftype in ("integer", "number", "year") and what == "code" and _number(value) is None:
            raise EditError(f"{what} '{value}' is not a number, but the field's type is "
                            f"{ftype} (change the type to string first)")
        seen.add(value)
        out.append(Category(value, label if sep and label else None))
    return out


def read_range(text: str, ftype: str) -> tuple[Any, Any]:
    """(minimum, maximum) from `0 – 120`, `0-120`, `0 to 120`, `≥ 0`, `>= 0`, `≤ 5`, `<= 5` or
    nothing; refused: anything else, and a minimum greater than the maximum."""
    text = text.strip()
    if not text:
        return None, None
    m = _BETWEEN.match(text)
    if m:
        lo, hi = _number(m.group(1)), _number(m.group(2))
    elif (m := _AT_LEAST.match(text)):
        lo, hi = _number(m.group(1)), None
    elif (m := _AT_MOST.match(text)):
        lo, hi = None, _number(m.group(1))
    else:
        raise EditError(f"'{text}' is not a range; write `0 – 120`, `≥ 0` or `≤ 5`")
    if lo is not None and hi is not None and lo > hi:
        raise EditError(f"the minimum {_shown(lo)} is greater than the maximum {_shown(hi)}")
    if ftype == "integer":
        for bound in (lo, hi):
            if bound is not None and not float(bound).is_integer():
                raise EditError(f"{_shown(bound)} is not an integer, but the field's type is "
                                "integer")
    return lo, hi


def read_required(text: str) -> bool:
    """`yes` (or true, 1, x) or nothing (or no, false, 0)."""
    t = text.strip().lower()
    if t in YES:
        return True
    if t in NO:
        return False
    raise EditError(f"'{text.strip()}' is neither yes nor no")


def read_name(text: str, others: set[str]) -> str:
    """A field name: not empty, not another field's."""
    name = text.strip()
    if not name:
        raise EditError("a field needs a name")
    if name in others:
        raise EditError(f"another field is already called '{name}'")
    return name


def _number(text: str) -> int | float | None:
    try:
        x = float(text)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(x):
        return None
    return int(x) if x.is_integer() and re.fullmatch(r"[-+]?\d+", text.strip()) else x


def _shown(x: Any) -> str:
    return str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)


# ---- a whole table ------------------------------------------------------------------------
def apply_cell(f: Field, column: str, text: str, others: set[str]) -> None:
    """Set one column of a field from its cell's text (EditError: refused, `f` unchanged)."""
    if column == "name":
        f.name = read_name(text, others)
    elif column in ("title", "description", "unit"):
        setattr(f, column, text.strip() or None)
    elif column == "type":
        new = read_type(text)
        if new in ("integer", "number", "year"):     # the codes must read as the new type
            read_codes("; ".join(c.text() for c in f.categories), new)
        f.type = new
    elif column == "codes":
        f.categories = read_codes(text, f.type)
    elif column == "missing":
        f.missing_values = read_codes(text, f.type, "missing value")
    elif column == "range":
        lo, hi = read_range(text, f.type)
        for key, bound in (("minimum", lo), ("maximum", hi)):
            if bound is None:
                f.constraints.pop(key, None)
            else:
                f.constraints[key] = bound
    elif column == "required":
        if read_required(text):
            f.constraints["required"] = True
        else:
            f.constraints.pop("required", None)


def apply_table(schema: Schema, headers: list[str], rows: list[list[Any]]) -> EditResult:
    """Read an edited fields table back into `schema` (changed in place and returned).

    Each row is paired with a field (`_paired`): a field's cells that differ from its row are
    read back, or refused with the reason; a row of a new name is a new field, a field in no
    row is removed.  Columns other than FIELD_ROW_COLUMNS are ignored."""
    result = EditResult(schema)
    cols = [(i, h) for i, h in enumerate(headers) if h in FIELD_ROW_COLUMNS]
    texts = [["" if c is None or (isinstance(c, float) and math.isnan(c)) else str(c)
              for c in row] for row in rows]
    for number, (f, row) in enumerate(_paired(schema, cols, texts, result), 1):
        before = f.row()
        for i, column in cols:
            text = row[i] if i < len(row) else ""
            if text.strip() == before[column].strip():
                continue
            others = {g.name for g in schema.fields if g is not f}
            try:
                apply_cell(f, column, text, others)
            except EditError as exc:
                result.refused.append(f"Row {number} ({before['name'] or 'new'}), {column}: "
                                      f"{exc}.")
            else:
                shown = f.row()[column]
                shown = shown if len(shown) <= 40 else shown[:39] + "…"
                result.changed.append(f"{f.name}'s {column} ({shown or 'empty'})")
    return result


def _paired(schema: Schema, cols: list[tuple[int, str]], texts: list[list[str]],
            result: EditResult) -> list[tuple[Field, list[str]]]:
    """Rows paired with fields: a row with its field's name at the field's place; then by
    name (a table sorted in the browser comes back in its order); then the rows and fields
    left, in order (a renamed field).  Rows still left are new fields (a row without a name
    is left out, said so); fields still left are removed."""
    name_at = next((i for i, h in cols if h == "name"), None)
    names = [row[name_at].strip() if name_at is not None and name_at < len(row) else ""
             for row in texts]
    fields = schema.fields
    paired: list[Field | None] = [None] * len(texts)
    used: set[int] = set()
    for i, f in enumerate(fields[:len(texts)]):
        if names[i] == f.name:
            paired[i] = f
            used.add(id(f))
    by_name: dict[str, Field] = {}
    for f in fields:
        if id(f) not in used:
            by_name.setdefault(f.name, f)
    for i, name in enumerate(names):
        f = by_name.get(name)
        if paired[i] is None and f is not None and id(f) not in used:
            paired[i] = f
            used.add(id(f))
    rows_left = [i for i, f in enumerate(paired) if f is None]
    fields_left = [f for f in fields if id(f) not in used]
    for i, f in zip(rows_left, fields_left):
        paired[i] = f
    new = []
    for i in rows_left[len(fields_left):]:
        if not names[i]:
            if any(c.strip() for c in texts[i]):
                result.refused.append("A row without a name was left out: a field needs one.")
            continue
        paired[i] = Field(names[i])
        new.append(paired[i])
        result.added.append(names[i])
    gone = {id(f) for f in fields_left[len(rows_left):]}
    result.removed = [f.name for f in fields if id(f) in gone]
    schema.fields = [f for f in fields if id(f) not in gone] + new
    return [(f, row) for f, row in zip(paired, texts) if f is not None]
