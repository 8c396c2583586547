"""The dictionary as a Frictionless Data Package: `datapackage.json` naming the data file, the
Table Schema inline, for `frictionless validate datapackage.json`.

Fields are matched to the data's header by name (`fieldsMatch: partial`: the data may leave
fields out or hold more columns, as Codebook allows).  Missing-value codes are the field's
`missingValues` (with the schema's); code lists are `constraints.enum` (typed as the field:
Frictionless checks `enum`, not v2 `categories`, which are kept for their labels).  What
Frictionless does otherwise: a missing-value code leaves a required field empty (Codebook: a
field's own code is an answer), codes compare exactly (Codebook also trims spaces), and
integers are written without decimals ('3.0' is no integer).
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath
from typing import Any

from ...model import Schema, _typed
from ...validation.labels import labels_only
from .rules import Rule, column_rules, number

_KEPT_EXTRAS = ("bareNumber", "groupChar", "decimalChar", "trueValues", "falseValues", "unit")
_FORMATS = {"string": ("email", "uri", "uuid", "binary"), "date": None, "datetime": None,
            "time": None}


def datapackage(schema: Schema, *, data_path: str = "data.csv", name: str = "codebook") -> str:
    """`datapackage.json` text: one resource, the data file `data_path` (a file name)."""
    path = _safe_path(data_path)
    rules = column_rules(schema)
    table_schema: dict[str, Any] = {"fields": [_field(r) for r in rules],
                                    "fieldsMatch": "partial",
                                    "missingValues": _schema_missing(rules)}
    resource = {"name": _slug(PurePath(path).stem or "data"), "path": path,
                "profile": "tabular-data-resource", "schema": table_schema}
    suffix = PurePath(path).suffix.lower().lstrip(".")
    if suffix in ("csv", "tsv", "xlsx", "json", "parquet"):
        resource["format"] = suffix
    package = {"name": _slug(name), "resources": [resource]}
    if schema.extras.get("title"):
        package["title"] = str(schema.extras["title"])
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def _safe_path(data_path: str) -> str:
    """A bare file name Frictionless accepts (no folder, no '..', no absolute path)."""
    name = PurePath(str(data_path).replace("\\", "/")).name
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", name).lstrip(".")
    return name or "data.csv"


def _slug(text: str) -> str:
    """A package/resource name: lower-case letters, digits, '-', '_', '.'."""
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._") or "data"


def _schema_missing(rules: list[Rule]) -> list[str]:
    values: list[str] = []
    for r in rules:
        values += [v for v in r.schema_missing if v not in values]
    return values or [""]


def _field(r: Rule) -> dict[str, Any]:
    f = r.field
    d: dict[str, Any] = {"name": r.name}
    if f.title and r.name == f.name:
        d["title"] = f.title
    if f.description and r.name == f.name:
        d["description"] = f.description
    d["type"] = r.type if r.type in _TYPES else "any"
    fmt = _format(r)
    if fmt:
        d["format"] = fmt
    for key in _KEPT_EXTRAS:
        if f.extras.get(key) not in (None, "") and r.name == f.name:
            d[key] = f.extras[key]
    constraints = _constraints(r)
    if constraints:
        d["constraints"] = constraints
    labelled = r.codes or (f.categories if r.name == f.name and labels_only(f) else [])
    if labelled and any(c.label for c in labelled):
        d["categories"] = [{"value": _typed(c.value, d["type"]), "label": c.label or ""}
                           for c in labelled]
    missing = list(dict.fromkeys([m.value for m in r.missing] + r.schema_missing))
    if missing != [""]:
        d["missingValues"] = missing
    return d


_TYPES = ("string", "number", "integer", "boolean", "object", "array", "list", "datetime",
          "date", "time", "year", "yearmonth", "duration", "geopoint", "geojson", "any")


def _format(r: Rule) -> str | None:
    fmt = r.format
    if not fmt or fmt == "default":
        return None
    if r.type in ("date", "datetime", "time"):
        return fmt[4:] if fmt.startswith("fmt:") else fmt
    if r.type == "string" and fmt in ("email", "uri", "uuid", "binary"):
        return fmt
    return None


def _constraints(r: Rule) -> dict[str, Any]:
    c: dict[str, Any] = {}
    if r.required:
        c["required"] = True
    if r.unique:
        c["unique"] = True
    for key, value in r.bounds.items():
        bound = number(value) if r.numeric else (str(value).strip()
                                                 if r.type in ("date", "datetime") else None)
        if bound is not None:
            c[key] = bound
    if r.codes:
        nums = r.numeric_codes()
        c["enum"] = nums if nums is not None else [x.value for x in r.codes]
    if r.min_length is not None:
        c["minLength"] = r.min_length
    if r.max_length is not None:
        c["maxLength"] = r.max_length
    if r.pattern:
        c["pattern"] = r.pattern
    return c
