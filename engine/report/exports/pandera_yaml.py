"""The dictionary as pandera's YAML schema (`pandera.io.from_yaml`), with built-in checks only.

YAML holds no code, so this form is pandera's own semantics on typed data: each column has a
pandas dtype it is coerced to, `isin` for code lists, `in_range`/`ge`/`le`/`gt`/`lt` for
ranges, `str_matches`/`str_length` for patterns and lengths, `nullable: false` when required,
`unique` (repeats after the first reported).  Missing-value codes are in the schema's
`metadata.missing_values` ({column: [codes]}): read the data with them as NA,

    pd.read_csv(path, dtype=str, keep_default_na=False, na_values=schema.metadata["missing_values"])

What differs from Codebook's Check: a column that does not convert to its dtype fails as a
whole (its other checks are not run on the values that did), a field's own missing code is NA
for `nullable` too, and pandas converts less than Codebook reads ('3.0' is no Int64).  The
Python form (`pandera_code`) has none of these differences.
"""

from __future__ import annotations

from typing import Any

import yaml

from ...model import Schema
from .rules import Rule, column_rules, number

_DTYPES = {"integer": "Int64", "year": "Int64", "number": "Float64", "boolean": "boolean",
           "date": "datetime64[ns]", "datetime": "datetime64[ns]", "string": "string"}
_BOUND_CHECKS = {"minimum": "greater_than_or_equal_to", "maximum": "less_than_or_equal_to",
                 "exclusiveMinimum": "greater_than", "exclusiveMaximum": "less_than"}


def pandera_yaml(schema: Schema, *, name: str = "codebook") -> str:
    """pandera's YAML serialization of a DataFrameSchema for the dictionary."""
    rules = column_rules(schema)
    doc: dict[str, Any] = {
        "schema_type": "dataframe",
        "name": name,
        "title": str(schema.extras.get("title") or "Codebook"),
        "description": "Written by Codebook from a data dictionary. Read the data with "
                       "metadata.missing_values as NA before validating.",
        "columns": {r.name: _column(r) for r in rules},
        "coerce": True,
        "strict": False,
        "metadata": {"missing_values": {r.name: r.missing_values for r in rules}},
    }
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def _column(r: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if r.field.title and r.name == r.field.name:
        out["title"] = r.field.title
    if r.field.description and r.name == r.field.name:
        out["description"] = r.field.description
    out["dtype"] = _dtype(r)
    out["nullable"] = not r.required
    out["unique"] = r.unique
    if r.unique:
        out["report_duplicates"] = "exclude_first"
    out["coerce"] = out["dtype"] is not None
    out["required"] = r.required
    out.update(_checks(r))
    return out


def _dtype(r: Rule) -> str | None:
    if r.type in ("date", "datetime") and (r.date_format is not None or r.format == "any"):
        return None
    if r.type == "string" or r.checked:
        return _DTYPES.get(r.type)
    return None


def _checks(r: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in r.bounds.items():
        bound = number(value) if r.numeric else (str(value).strip()
                                                 if r.type in ("date", "datetime") else None)
        if bound is not None:
            out[_BOUND_CHECKS[key]] = bound
    if r.codes:
        nums = r.numeric_codes()
        out["isin"] = nums if nums is not None else [c.value for c in r.codes]
    if r.min_length is not None or r.max_length is not None:
        out["str_length"] = {"min_value": r.min_length, "max_value": r.max_length}
    if r.pattern:
        out["str_matches"] = f"(?:{r.pattern})\\Z"
    return out
