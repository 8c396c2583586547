"""The dictionary as a JSON Schema (draft 2020-12) for one row of the data.

A row is a JSON object: empty cells left out, values of numeric fields that are numbers as
JSON numbers, booleans as JSON booleans, everything else as the text written (`json_rows`
makes such rows from a table).  A field's missing-value codes pass (`if`/`then`), the other
values meet the field's type (`type`; dates and other text types by `pattern`, and `format`
where the standard has one), range, code list (`enum`, numeric codes only for numbers),
lengths and pattern; `required` lists the required fields.  Uniqueness spans rows and date
ranges have no keyword: neither is stated.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

from ...model import Schema
from .rules import Rule, column_rules, number, typed_columns

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_FORMATS = {"date": "date", "datetime": "date-time", "time": "time", "duration": "duration"}
_STRING_FORMATS = {"email": "email", "uri": "uri", "uuid": "uuid"}


def json_schema(schema: Schema, *, title: str | None = None) -> str:
    """The row schema as JSON text."""
    rules = column_rules(schema)
    doc: dict[str, Any] = {"$schema": DRAFT, "title": title or "One row of the data",
                           "description": "Written by Codebook from a data dictionary. Empty "
                                          "cells are left out of the row.",
                           "type": "object",
                           "properties": {r.name: _property(r) for r in rules}}
    required = [r.name for r in rules if r.required]
    if required:
        doc["required"] = required
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _property(r: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if r.field.title:
        out["title"] = r.field.title
    if r.field.description:
        out["description"] = r.field.description
    value = _value(r)
    if r.missing:
        out["if"] = {"enum": [_as_row_value(m.value, r) for m in r.missing]}
        out["then"] = True
        out["else"] = value
    else:
        out.update(value)
    return out


def _value(r: Rule) -> dict[str, Any]:
    """What a value that is no missing code must be."""
    out: dict[str, Any] = {}
    json_type = _json_type(r)
    if json_type is not None:
        out["type"] = json_type
    parts: list[dict[str, Any]] = []
    type_pattern = r.type_pattern if r.checked and not r.numeric else None
    if type_pattern is not None:
        parts.append({"pattern": type_pattern})
    fmt = _FORMATS.get(r.type) if r.date_format is None and r.format != "any" else None
    fmt = fmt or (_STRING_FORMATS.get(r.format or "") if r.type == "string" else None)
    if fmt:
        out["format"] = fmt
    for key, value in r.number_bounds().items():
        out[key] = value
    if r.codes:
        nums = r.numeric_codes()
        if nums is not None:
            out["if"] = {"type": "number"}
            out["then"] = {"enum": nums}
        else:
            out["enum"] = [c.value for c in r.codes]
    if r.min_length is not None:
        out["minLength"] = r.min_length
    if r.max_length is not None:
        out["maxLength"] = r.max_length
    if r.pattern:
        parts.append({"pattern": f"^(?:{r.pattern})$"})
    if len(parts) == 1:
        out.update(parts[0])
    elif parts:
        out["allOf"] = parts
    return out


def _json_type(r: Rule) -> str | None:
    if not r.checked:
        return "string" if r.type == "string" else None
    if r.type in ("integer", "year"):
        return "integer"
    if r.type == "number":
        return "number"
    if r.type == "boolean":
        return "boolean"
    return "string"


def _as_row_value(code: str, r: Rule) -> Any:
    """A missing-value code as a row holds it: a number in a numeric field when it is one."""
    if r.numeric:
        x = number(code)
        if x is not None:
            return x
    return code


def json_rows(table: Any, schema: Schema) -> Iterator[dict[str, Any]]:
    """The rows of a table as the schema expects them (empty cells left out)."""
    rules = {r.name: r for r in column_rules(schema)}
    columns = []
    for name, values in typed_columns(table, schema):
        r = rules.get(name)
        if r is not None and r.type == "boolean":
            values = [True if v in r.true_values else False if v in r.false_values else v
                      for v in values]
        elif r is not None and r.numeric:
            codes = {m.value for m in r.missing}
            values = [_as_row_value(v, r) if isinstance(v, str) and v in codes else v
                      for v in values]
        columns.append((name, values))
    for i in range(len(columns[0][1]) if columns else 0):
        yield {name: values[i] for name, values in columns if values[i] is not None}
