"""The dictionary as a Great Expectations (1.x) expectation suite, JSON.

GX checks a pandas DataFrame.  The suite expects the data as Codebook reads it (`gx_frame`
prepares it): every cell as written, empty cells null, and in numeric columns the values that
are numbers converted to numbers (the others kept as text, so that GX can tell them apart).
Each expectation carries `meta.codebook_check`, the kind of Codebook's Check it states; value
checks run under a `row_condition` (pandas query syntax, `condition_parser: pandas`) that
leaves out the missing-value codes and the values of the wrong type, as Codebook does.  GX
counts every row of a repeated value as unexpected (Codebook: the repeats after the first).
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from ...model import Schema
from .rules import Rule, column_rules, number, typed_columns

NUMBER_TYPES = ["int", "float", "int64", "float64", "Int64", "Float64"]
_KWARGS_OF_BOUND = {"minimum": ("min_value", False), "maximum": ("max_value", False),
                    "exclusiveMinimum": ("min_value", True),
                    "exclusiveMaximum": ("max_value", True)}


def gx_suite(schema: Schema, *, name: str = "codebook") -> str:
    """The expectation suite as JSON text (load: `gx.ExpectationSuite(**json.loads(text))`)."""
    expectations = [e for r in column_rules(schema) for e in _column(r)]
    suite = {"name": name, "expectations": expectations,
             "meta": {"generator": "codebook",
                      "codebook_loading": "Read every cell as text; empty cells (and the "
                      "schema's missing values) null; in numeric columns, convert the values "
                      "that are numbers and keep the others as text "
                      "(engine.report.exports.gx.gx_frame does this)."}}
    return json.dumps(suite, indent=2, ensure_ascii=False) + "\n"


def _expect(kind: str, check: str, column: str, **kwargs: Any) -> dict[str, Any]:
    return {"type": f"expect_{kind}", "kwargs": {"column": column, **kwargs},
            "meta": {"codebook_check": check}}


def _column(r: Rule) -> list[dict[str, Any]]:
    """The expectations of one column."""
    c = r.name
    out = [_expect("column_to_exist", "column", c)]
    present = _condition(_not_missing(r))
    valid = _condition(_not_missing(r) + _of_type(r))
    out += _type(r, present)
    if r.required:
        out.append(_expect("column_values_to_not_be_null", "required", c))
    for key, value in r.bounds.items():
        bound = _bound(value, r)
        if bound is not None:
            arg, strict = _KWARGS_OF_BOUND[key]
            out.append(_expect("column_values_to_be_between", key, c, **{arg: bound},
                               **({"strict_min" if arg == "min_value" else "strict_max": True}
                                  if strict else {}), **valid))
    if r.codes:
        nums = r.numeric_codes()
        values = nums if nums is not None else [x.value for x in r.codes]
        out.append(_expect("column_values_to_be_in_set", "category", c, value_set=values,
                           **valid))
    if r.min_length is not None or r.max_length is not None:
        for check, key, n in (("minLength", "min_value", r.min_length),
                              ("maxLength", "max_value", r.max_length)):
            if n is not None:
                out.append(_expect("column_value_lengths_to_be_between", check, c,
                                   **{key: n}, **valid))
    if r.pattern:
        out.append(_expect("column_values_to_match_regex", "pattern", c,
                           regex=_anchored(f"^(?:{r.pattern})$"), **valid))
    if r.unique:
        out.append(_expect("column_values_to_be_unique", "unique", c, **valid))
    return out


def _type(r: Rule, present: dict[str, Any]) -> list[dict[str, Any]]:
    c = r.name
    if not r.checked:
        return []
    if r.numeric:
        return [_expect("column_values_to_be_in_type_list", "type", c, type_list=NUMBER_TYPES,
                        **present)]
    if r.type == "boolean":
        return [_expect("column_values_to_be_in_set", "type", c,
                        value_set=r.true_values + r.false_values, **present)]
    if r.date_format is not None or (r.type == "date" and r.format in (None, "", "default")):
        return [_expect("column_values_to_match_strftime_format", "type", c,
                        strftime_format=r.date_format or "%Y-%m-%d", **present)]
    pattern = r.type_pattern
    if pattern is None:
        return []
    return [_expect("column_values_to_match_regex", "type", c, regex=_anchored(pattern),
                    **present)]


def _not_missing(r: Rule) -> list[str]:
    """Query terms leaving out the missing-value codes (nulls GX leaves out itself)."""
    if not r.missing:
        return []
    codes: list[Any] = [m.value for m in r.missing]
    return [f"~{_ref(r.name)}.isin({json.dumps(codes, ensure_ascii=False)})"]


def _of_type(r: Rule) -> list[str]:
    """Query terms keeping the values of the field's type."""
    if not r.checked:
        return []
    if r.numeric:
        # the values left as text are those that are no numbers
        return [f'({_ref(r.name)}.astype("str") != {_ref(r.name)})']
    if r.type == "boolean":
        return [f"{_ref(r.name)}.isin({json.dumps(r.true_values + r.false_values)})"]
    pattern = r.type_pattern or (r"^\d{4}-\d{2}-\d{2}$" if r.type == "date" and
                                 r.date_format is None else None)
    if pattern is None:
        return []
    return [f"{_ref(r.name)}.astype(\"str\").str.contains({json.dumps(_anchored(pattern))})"]


def _condition(terms: list[str]) -> dict[str, Any]:
    """A pandas query as GX 1.x's pass-through row condition (string conditions with a
    `condition_parser` are deprecated since GX 1.9)."""
    if not terms:
        return {}
    return {"row_condition": {"type": "pass_through", "pass_through_filter": " & ".join(terms)}}


def _ref(column: str) -> str:
    """A column in pandas query syntax: backticks, a backtick inside doubled (pandas 2+)."""
    return "`" + column.replace("`", "``") + "`"


def _anchored(pattern: str) -> str:
    """`$` as the end of the text (Python's `$` also matches before a last newline)."""
    return pattern.replace("$", r"\Z")


def _bound(value: Any, r: Rule) -> Any:
    """A bound as the frame holds the values: a number, or ISO text for dates."""
    if r.numeric:
        return number(value)
    if r.type in ("date", "datetime") and isinstance(value, str):
        return value.strip()
    return None


# ---- the data as the suite expects it ------------------------------------------------------
def gx_frame(table: Any, schema: Schema) -> pd.DataFrame:
    """A DataFrame for the suite: cells as written, empty cells None, numbers in numeric
    columns where Codebook reads a number (other cells of them kept as text)."""
    return pd.DataFrame(dict(typed_columns(table, schema)), dtype=object)
