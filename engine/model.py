"""The parsed dictionary: fields and schema, and their Frictionless Table Schema (v2) form.

A `Schema` is what every parser produces and every later stage (profile, validation, LLM
refinement, reports) consumes.  `Schema.to_descriptor()` writes a Table Schema v2 descriptor;
`Schema.from_descriptor()` reads one back, so a downloaded schema can be re-uploaded.

Standard names are used wherever the standard has them (`title`, `description`, `type`,
`format`, `constraints`, `categories`, `categoriesOrdered`, `missingValues`).  Extensions
(the standard has no slot for them) are kept in `Field.extras` and written as top-level field
properties: `unit`, `position` (fixed-width columns), `branchingLogic`, `enableWhen`,
`sourceType` (the type as the dictionary wrote it), `origin` (which parser produced it),
`missingRanges` (open-ended SPSS missing ranges such as `LO THRU -1`: `[{"maximum": -1}]`),
`group`, `enableBehavior`, `repeats` (FHIR), `resource` (Data Package resource), `form`,
`section`, `checkbox`, `columns`, `calculation`, `identifier`, `page` (REDCap).
"""

from __future__ import annotations

import csv
import io
import math
import pickle
from dataclasses import dataclass, field as dc_field, replace
from typing import Any, Iterable

from .cells import neutralise_row
from .errors import InputError

TABLESCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"

FIELD_TYPES = (
    "string", "number", "integer", "boolean", "object", "array", "list", "datetime", "date",
    "time", "year", "yearmonth", "duration", "geopoint", "geojson", "any",
)
_KNOWN_FIELD_KEYS = {
    "name", "title", "description", "type", "format", "constraints", "categories",
    "categoriesOrdered", "missingValues", "unit",
}


@dataclass(slots=True)
class Category:
    """One code of a code list: the value as written in the data, and its label."""

    value: str
    label: str | None = None

    def text(self) -> str:
        """`1=Yes` style rendering for tables."""
        return self.value if self.label in (None, "") else f"{self.value}={self.label}"


@dataclass(slots=True)
class Field:
    """One variable of a dictionary."""

    name: str
    title: str | None = None
    description: str | None = None
    type: str = "any"
    format: str | None = None
    unit: str | None = None
    categories: list[Category] = dc_field(default_factory=list)
    categories_ordered: bool = False
    constraints: dict[str, Any] = dc_field(default_factory=dict)
    missing_values: list[Category] = dc_field(default_factory=list)
    extras: dict[str, Any] = dc_field(default_factory=dict)

    # ---- Table Schema I/O -------------------------------------------------
    def to_descriptor(self) -> dict[str, Any]:
        """This field as a Table Schema v2 field descriptor."""
        d: dict[str, Any] = {"name": self.name}
        if self.title:
            d["title"] = self.title
        if self.description:
            d["description"] = self.description
        d["type"] = self.type if self.type in FIELD_TYPES else "any"
        if self.format:
            d["format"] = self.format
        if self.unit:
            d["unit"] = self.unit
        if self.categories:
            d["categories"] = [_category_descriptor(c, self.type) for c in self.categories]
            if self.categories_ordered:
                d["categoriesOrdered"] = True
        constraints = {k: _typed(v, self.type) if k in ("minimum", "maximum") else v
                       for k, v in self.constraints.items() if v is not None}
        if constraints:
            d["constraints"] = constraints
        if self.missing_values:
            # v2 allows strings or {value, label} objects, but not a mix of the two
            labelled = any(c.label for c in self.missing_values)
            d["missingValues"] = [
                {"value": c.value, "label": c.label or ""} if labelled else c.value
                for c in self.missing_values
            ]
        for k, v in self.extras.items():
            if v not in (None, "", [], {}):
                d[k] = v
        return d

    @classmethod
    def from_descriptor(cls, d: dict[str, Any]) -> "Field":
        """Read a Table Schema (v1 or v2) field descriptor."""
        cats = []
        for c in d.get("categories") or []:
            if isinstance(c, dict):
                cats.append(Category(_as_str(c.get("value")), _opt_str(c.get("label"))))
            else:
                cats.append(Category(_as_str(c)))
        constraints = dict(d.get("constraints") or {})
        if not cats and isinstance(constraints.get("enum"), list):
            cats = [Category(_as_str(v)) for v in constraints["enum"]]
        missing = []
        for m in d.get("missingValues") or []:
            if isinstance(m, dict):
                missing.append(Category(_as_str(m.get("value")), _opt_str(m.get("label"))))
            else:
                missing.append(Category(_as_str(m)))
        return cls(
            name=str(d["name"]),
            title=_opt_str(d.get("title")),
            description=_opt_str(d.get("description")),
            type=str(d.get("type") or "any"),
            format=_opt_str(d.get("format")) if d.get("format") != "default" else None,
            unit=_opt_str(d.get("unit")),
            categories=cats,
            categories_ordered=bool(d.get("categoriesOrdered", False)),
            constraints=constraints,
            missing_values=missing,
            extras={k: v for k, v in d.items() if k not in _KNOWN_FIELD_KEYS},
        )

    # ---- display ----------------------------------------------------------
    def range_text(self) -> str:
        """`0 – 120`, `≥ 0`, `≤ 5` or empty."""
        lo, hi = self.constraints.get("minimum"), self.constraints.get("maximum")
        if lo is not None and hi is not None:
            return f"{_num_text(lo)} – {_num_text(hi)}"
        if lo is not None:
            return f"≥ {_num_text(lo)}"
        if hi is not None:
            return f"≤ {_num_text(hi)}"
        return ""

    def row(self) -> dict[str, str]:
        """One flat row for the fields table and its CSV."""
        return {
            "name": self.name,
            "title": self.title or "",
            "description": self.description or "",
            "type": self.type,
            "unit": self.unit or "",
            "codes": "; ".join(c.text() for c in self.categories),
            "range": self.range_text(),
            "missing": "; ".join(c.text() for c in self.missing_values),
            "required": "yes" if self.constraints.get("required") else "",
        }


FIELD_ROW_COLUMNS = ["name", "title", "description", "type", "unit", "codes", "range",
                     "missing", "required"]


@dataclass
class Schema:
    """A whole dictionary: ordered fields plus schema-level properties."""

    fields: list[Field] = dc_field(default_factory=list)
    missing_values: list[str] | None = None
    extras: dict[str, Any] = dc_field(default_factory=dict)

    def field(self, name: str) -> Field | None:
        """The field called `name` (exact match), or None."""
        return next((f for f in self.fields if f.name == name), None)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def to_descriptor(self) -> dict[str, Any]:
        """The Table Schema v2 descriptor (JSON-serialisable)."""
        d: dict[str, Any] = {"$schema": TABLESCHEMA_PROFILE}
        for k, v in self.extras.items():
            if v not in (None, "", [], {}):
                d[k] = v
        d["fields"] = [f.to_descriptor() for f in self.fields]
        if self.missing_values is not None:
            d["missingValues"] = list(self.missing_values)
        return d

    @classmethod
    def from_descriptor(cls, d: dict[str, Any]) -> "Schema":
        """Read a Table Schema descriptor (v1 or v2)."""
        fields = [Field.from_descriptor(f) for f in d.get("fields") or []]
        mv = d.get("missingValues")
        extras = {k: v for k, v in d.items() if k not in ("fields", "missingValues", "$schema")}
        if mv is not None:
            mv = [m["value"] if isinstance(m, dict) else str(m) for m in mv]
        return cls(fields=fields, missing_values=mv, extras=extras)

    def rows(self) -> list[dict[str, str]]:
        return [f.row() for f in self.fields]

    def with_missing_values(self, values: Any = (), fields: dict[str, Any] | None = None, *,
                            strict: bool = True) -> "Schema":
        """A new Schema in which `values` ('NA', 'NULL', '-9' …) are missing in every field
        and `fields` ({name: values}) in those fields, written to the Table Schema's
        `missingValues` (see engine.markers; `values` may also be the text form
        'NA,NULL; Age=-9').  `strict`: a field name not in the schema is an InputError."""
        from .markers import combine, unknown_message

        markers = combine(values, fields or {})
        unknown = markers.unknown(self.names)
        if unknown and strict:
            raise InputError(unknown_message(unknown, self.names))
        if not markers:
            return self
        # Table Schema v2: a field's own list replaces the schema's for that field, so a field
        # given one starts from the schema's; a marker that is one of a field's codes
        # (NA = "No alley access") is no missing value there: that field's list leaves it out
        base = list(self.missing_values) if self.missing_values is not None else [""]
        every = [v for v in markers.every if v not in base]
        out = replace(self, fields=list(self.fields),
                      missing_values=base + every if every else self.missing_values)
        for i, f in enumerate(out.fields):
            own = markers.fields.get(f.name, ())
            codes = {c.value for c in f.categories}
            clash = [v for v in markers.every if v in codes]
            if not (own or clash or (every and f.missing_values)):
                continue
            current = f.missing_values or [Category(v) for v in base]
            values_now = {c.value for c in current}
            added = [Category(v) for v in dict.fromkeys([*every, *own])
                     if v not in values_now and v not in codes]
            out.fields[i] = replace(f, missing_values=[c for c in current if c.value not in clash]
                                    + added)
        return out

    def to_csv(self) -> str:
        """The fields table as CSV text (one row per field), safe to open in a spreadsheet
        (formula-like cells neutralised: see engine.cells)."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(neutralise_row(FIELD_ROW_COLUMNS))
        for r in self.rows():
            w.writerow(neutralise_row(r[c] for c in FIELD_ROW_COLUMNS))
        return buf.getvalue()

    def to_markdown(self) -> str:
        """The fields table as a Markdown pipe table."""
        lines = ["| " + " | ".join(FIELD_ROW_COLUMNS) + " |",
                 "|" + "---|" * len(FIELD_ROW_COLUMNS)]
        for r in self.rows():
            cells = [r[c].replace("|", "\\|").replace("\n", " ") for c in FIELD_ROW_COLUMNS]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"


def table_rows(fields: Iterable[Field]) -> list[list[str]]:
    """The fields as rows of cells for a table widget (columns: FIELD_ROW_COLUMNS)."""
    return [list(map(row.__getitem__, FIELD_ROW_COLUMNS)) for row in (f.row() for f in fields)]


def share_cells(rows: Iterable[list[str]]) -> list[list[str]]:
    """`rows` with equal cells one string object.  Codebooks repeat their code lists ("1=Yes;
    2=No", a Likert scale, "9=Refused") over many fields, and each row builds its own text of
    them; Gradio keeps a running job's last table (to send the next one as a diff) for the
    whole job, so every job would hold the copies.  (pickle keeps the sharing: it sends an
    object once.)"""
    one = {}.setdefault
    return [[one(v, v) for v in row] for row in rows]


# ---- packed form ----------------------------------------------------------------
def pack_fields(fields: list[Field]) -> bytes:
    """Fields as one bytes object (see PackedSchema)."""
    return pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL)


def unpack_fields(data: bytes) -> list[Field]:
    """New Field objects from `pack_fields` bytes (made by this process: pickle is trusted)."""
    return pickle.loads(data)


@dataclass(frozen=True)
class PackedSchema:
    """A Schema held as bytes, for one that waits: an LLM job keeps its rules for its whole
    length.  As objects, a field is some 20 of them (the Field, its codes, lists, dicts and
    strings), and Python gives the memory of small objects back to the system only when
    whole arenas of them empty, which a burst's few survivors prevent: many jobs at once
    would leave the process that much bigger.  Packing or unpacking is cheap (well under a
    millisecond for 80 fields)."""

    data: bytes             # the whole Schema, pickled

    @classmethod
    def of(cls, schema: Schema) -> PackedSchema:
        return cls(pickle.dumps(schema, protocol=pickle.HIGHEST_PROTOCOL))

    @property
    def names(self) -> list[str]:
        return self.unpack().names

    def unpack(self) -> Schema:
        """A new Schema, equal to the one packed (made by this process: pickle is trusted)."""
        return pickle.loads(self.data)


# ---- merging ------------------------------------------------------------------
def merge_field(a: Field, b: Field) -> Field:
    """Merge two definitions of one field: code lists united, the fuller text kept."""
    out = replace(a)
    out.title = _fuller(a.title, b.title)
    out.description = _fuller(a.description, b.description)
    if out.type == "any":
        out.type = b.type
    out.format = a.format or b.format
    out.unit = a.unit or b.unit
    out.categories = _union(a.categories, b.categories)
    out.missing_values = _union(a.missing_values, b.missing_values)
    out.constraints = {**b.constraints, **a.constraints}
    out.extras = {**b.extras, **a.extras}
    return out


def merge_duplicates(fields: Iterable[Field]) -> tuple[list[Field], list[str]]:
    """Fold fields that share a name into the first; return fields and the names merged."""
    by_name: dict[str, int] = {}
    out: list[Field] = []
    merged: list[str] = []
    for f in fields:
        i = by_name.get(f.name)
        if i is None:
            by_name[f.name] = len(out)
            out.append(f)
        else:
            out[i] = merge_field(out[i], f)
            if f.name not in merged:
                merged.append(f.name)
    return out, merged


def _union(a: list[Category], b: list[Category]) -> list[Category]:
    """Codes of `a`, then those only in `b`; a code unlabelled in `a` takes `b`'s label.
    The Category objects are shared with `a` and `b`, never changed."""
    seen = {c.value: i for i, c in enumerate(a)}
    out = list(a)
    for c in b:
        i = seen.get(c.value)
        if i is None:
            seen[c.value] = len(out)
            out.append(c)
        elif not out[i].label and c.label:
            out[i] = Category(c.value, c.label)
    return out


def _fuller(a: str | None, b: str | None) -> str | None:
    if not a:
        return b
    if not b:
        return a
    return b if len(b) > len(a) else a


# ---- small helpers ------------------------------------------------------------------
def _category_descriptor(c: Category, ftype: str) -> Any:
    value = _typed(c.value, ftype)
    return {"value": value, "label": c.label} if c.label is not None else value


def _typed(v: Any, ftype: str) -> Any:
    """A code or bound as the field's logical type (Table Schema wants typed values)."""
    if ftype in ("integer", "number", "year") and isinstance(v, str):
        try:
            x = float(v)
        except ValueError:
            return v
        if math.isfinite(x) and (ftype in ("integer", "year") or x.is_integer()) and x.is_integer():
            return int(x)
        return x
    if ftype == "string" and not isinstance(v, str):
        return _as_str(v)
    return v


def _num_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _as_str(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "" if v is None else str(v)


def _opt_str(v: Any) -> str | None:
    return None if v is None else str(v)
