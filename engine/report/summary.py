"""What a report leads with: the problems ranked by the rows they touch, the fields that pass,
the dictionary fields the data lacks (and whether the dictionary describes more than this one
table), and markers that look like undeclared missing values.  Added to the JSON report under
their own keys (`problems`, `passing`, `absent`, `scope`, `missing_value_hints`); Markdown and
HTML render them."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from ..model import Schema
from ..validation import ValidationResult
from ..validation.result import FieldResult, pct

# extras that group a dictionary's fields, strongest first: a Data Package's resources are
# tables; forms and sections may be exported together or apart
_GROUP_KEYS = (("resource", "tables"), ("form", "forms"), ("section", "sections"),
               ("group", "groups"))
# values that, as the commonest bad value of a field, are missing-value markers
MARKER_WORDS = {"NA", "N/A", "n/a", "na", "NULL", "null", "None", ".", "-", "?", "NaN", "nan",
                "#N/A", "missing", "Missing", "-9", "-99", "-999", "-8", "-7", "999", "9999"}


def rows_affected(f: FieldResult) -> int:
    """Distinct rows with at least one problem in the field (exact while every violation
    keeps all its row numbers, else the largest count: a lower bound)."""
    if not f.violations:
        return 0
    if all(len(v.rows) == v.count for v in f.violations):
        return int(len(np.unique(np.concatenate([v.rows for v in f.violations]))))
    return max(int(v.count) for v in f.violations)


def problems(result: ValidationResult) -> list[dict[str, Any]]:
    """Failed dataset checks and fields with violations, most rows affected first (checks
    without a row count, such as absent required columns, lead)."""
    n = result.n_rows
    out: list[dict[str, Any]] = []
    for c in result.checks:
        if not c.passed:
            count = c.detail.get("count")
            out.append({"scope": "dataset", "check": c.kind, "field": None, "column": None,
                        "rows_affected": count, "percent": pct(count or 0, n),
                        "message": c.message})
    for i, f in enumerate(result.fields):
        if f.violations:
            rows = rows_affected(f)
            kinds = sorted(f.violations, key=lambda v: -v.count)
            out.append({"scope": "field", "check": None, "field": f.name,
                        "column": ", ".join(f.columns), "rows_affected": rows,
                        "percent": pct(rows, n), "violations": int(f.n_violations),
                        "kinds": [v.kind for v in kinds], "index": i,
                        "message": f.verdict()})
    out.sort(key=lambda p: (p["rows_affected"] is not None, -(p["rows_affected"] or 0)))
    return out


def passing(result: ValidationResult) -> list[str]:
    """Fields in the data without violations (with notes too: what could not be checked)."""
    return [f.name for f in result.fields if f.present and not f.violations]


def absent(result: ValidationResult) -> dict[str, Any]:
    """The dictionary fields no column holds: how many, of how many, in one line."""
    names = [f.name for f in result.fields if not f.present]
    total = len(result.fields)
    line = (f"{len(names):,} of {total:,} dictionary fields are not in this dataset."
            if names else f"Every one of the {total:,} dictionary fields is in this dataset.")
    return {"count": len(names), "fields_total": total, "line": line}


def scope(schema: Schema, result: ValidationResult) -> dict[str, Any] | None:
    """Whether the dictionary describes more than this table: its fields' groups (resources,
    forms, sections) of which none is in the data while others are.  None when it does not
    say so."""
    present = {f.name for f in result.fields if f.present}
    for key, plural in _GROUP_KEYS:
        groups = [str(f.extras.get(key) or "").strip() for f in schema.fields]
        if not all(groups) or len(set(groups)) < 2:
            continue
        total = Counter(groups)
        inside = Counter(g for g, f in zip(groups, schema.fields) if f.name in present)
        empty = [g for g in total if not inside[g]]
        if not inside or not empty:
            return None
        matched = [{"name": g, "fields": total[g], "in_data": inside[g]}
                   for g in total if inside[g]]
        others = [{"name": g, "fields": total[g]} for g in sorted(empty, key=lambda g: -total[g])]
        return {"by": key, "groups": len(total), "matched": matched, "other": others,
                "several_tables": key == "resource",
                "message": _scope_message(plural, len(total), matched, others, key)}
    return None


def _scope_message(plural: str, n: int, matched: list[dict], others: list[dict],
                   key: str) -> str:
    shown = ", ".join(f"{g['name']} ({g['fields']:,} fields)" for g in others[:6])
    more = f" and {len(others) - 6} more" if len(others) > 6 else ""
    head = (f"The dictionary describes {n} tables; this dataset matches "
            if key == "resource" else
            f"The dictionary groups its fields in {n} {plural}; this dataset holds fields of ")
    which = ", ".join(f"{g['name']} ({g['in_data']:,} of {g['fields']:,})" for g in matched[:6])
    tail = ("" if key == "resource" else
            ": it may describe several tables or files, of which this is one")
    return (f"{head}{which}. None of the fields of {len(others)} {plural} is here: "
            f"{shown}{more}{tail}.")


def missing_value_hints(report_fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Values that look like undeclared missing-value markers ('NULL', 'NA', '-9'): the
    commonest bad value of a type or code-list violation, with the fields and rows they
    account for, most rows first."""
    found: dict[str, dict[str, Any]] = {}
    for f in report_fields:
        for v in f["violations"]:
            top = v.get("top_values") or []
            if v["kind"] not in ("type", "category") or not top:
                continue
            value, count = top[0]["value"], top[0]["count"]
            if value not in MARKER_WORDS:
                continue
            hint = found.setdefault(value, {"value": value, "fields": [], "rows": 0})
            if f["name"] not in hint["fields"]:
                hint["fields"].append(f["name"])
            hint["rows"] += int(count)
    return sorted(found.values(), key=lambda h: -h["rows"])
