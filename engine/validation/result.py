"""What validation found: per-field violations and missing codes, dataset checks, a summary.

Row numbers in every report are 1-based data rows: row 1 is the first row after the header
(a spreadsheet user adds 1 for the header line).  Internally rows are 0-based numpy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Any

import numpy as np

EVIDENCE_ROWS = 10          # row numbers and values shown per problem
ROW_NUMBERING = "1-based data rows: row 1 is the first row after the header"
KINDS = ("type", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "category",
         "required", "unique", "pattern", "minLength", "maxLength", "logic")

_KIND_WORDS = {
    "type": "of the wrong type", "minimum": "below the minimum", "maximum": "above the maximum",
    "exclusiveMinimum": "not above the exclusive minimum",
    "exclusiveMaximum": "not below the exclusive maximum",
    "category": "outside the code list", "required": "missing but required",
    "unique": "duplicated", "pattern": "not matching the pattern",
    "minLength": "too short", "maxLength": "too long", "logic": "against the branching logic",
}


def pct(count: int, total: int) -> float:
    """A percentage rounded to 2 decimals (0 when total is 0)."""
    return round(100.0 * count / total, 2) if total else 0.0


@dataclass
class Violation:
    """One kind of problem in one field: how many rows, which ones, and the values there."""

    kind: str
    count: int
    rows: np.ndarray                     # 0-based, ascending; all of them up to a cap
    values: list[Any]                    # values at the first EVIDENCE_ROWS rows
    message: str
    column: str | None = None
    bins: np.ndarray | None = None       # counts per row bin, for the heat-map
    detail: dict[str, Any] = dc_field(default_factory=dict)

    def to_dict(self, n_rows: int) -> dict[str, Any]:
        d: dict[str, Any] = {
            "kind": self.kind, "count": int(self.count), "percent": pct(self.count, n_rows),
            "rows": [int(r) + 1 for r in self.rows[:EVIDENCE_ROWS]],
            "values": list(self.values[:EVIDENCE_ROWS]), "message": self.message}
        if self.column is not None:
            d["column"] = self.column
        d.update(self.detail)
        return d


@dataclass
class MissingCount:
    """How many rows hold one missing-value code ('9 = Refused: 112 rows')."""

    value: str
    label: str | None
    count: int

    def text(self) -> str:
        shown = "(empty)" if self.value == "" else self.value
        name = f"{shown} = {self.label}" if self.label else shown
        return f"{name}: {self.count:,} rows"

    def to_dict(self, n_rows: int) -> dict[str, Any]:
        return {"value": self.value, "label": self.label, "count": int(self.count),
                "percent": pct(self.count, n_rows)}


@dataclass
class FieldResult:
    """Everything found about one dictionary field."""

    name: str
    columns: list[str]
    type: str
    match: dict[str, Any] | None = None
    n_rows: int = 0
    n_missing: int = 0
    missing: list[MissingCount] = dc_field(default_factory=list)
    violations: list[Violation] = dc_field(default_factory=list)
    notes: list[str] = dc_field(default_factory=list)

    @property
    def present(self) -> bool:
        return bool(self.columns)

    @property
    def n_violations(self) -> int:
        return sum(v.count for v in self.violations)

    @property
    def status(self) -> str:
        """'absent', 'fail', 'warn' (something could not be checked) or 'pass'."""
        if not self.present:
            return "absent"
        if self.violations:
            return "fail"
        return "warn" if self.notes else "pass"

    def verdict(self) -> str:
        """One line a person reads first."""
        if not self.present:
            return "Not in the data."
        filled = self.n_rows - self.n_missing
        share = pct(self.n_missing, self.n_rows)
        base = f"{filled:,} values, {self.n_missing:,} missing ({share}%)"
        if not self.violations:
            extra = f"; {self.notes[0]}" if self.notes else ""
            return f"OK: {base}{extra}."
        parts = [f"{v.count:,} {_KIND_WORDS.get(v.kind, v.kind)}" for v in self.violations]
        return f"{len(self.violations)} problem{'s' * (len(self.violations) > 1)}: " \
               f"{'; '.join(parts)} ({base})."

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "column": ", ".join(self.columns) if self.columns else None,
            "columns": list(self.columns),
            "type": self.type,
            "match": self.match,
            "status": self.status,
            "verdict": self.verdict(),
            "values": self.n_rows - self.n_missing if self.present else 0,
            "missing": {"count": int(self.n_missing), "percent": pct(self.n_missing, self.n_rows),
                        "codes": [m.to_dict(self.n_rows) for m in self.missing]},
            "violations": [v.to_dict(self.n_rows) for v in self.violations],
            "notes": list(self.notes),
        }


@dataclass
class DatasetCheck:
    """A check of the whole table: row count, duplicates, completeness, absent columns."""

    kind: str
    passed: bool
    message: str
    detail: dict[str, Any] = dc_field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        shown = {k: v for k, v in self.detail.items() if not k.startswith("_")}
        return {"kind": self.kind, "passed": self.passed, "message": self.message, **shown}


@dataclass
class ValidationResult:
    """The whole validation: fields in dictionary order, dataset checks, leftovers."""

    n_rows: int
    n_columns: int
    fields: list[FieldResult]
    checks: list[DatasetCheck] = dc_field(default_factory=list)
    unmatched_columns: list[str] = dc_field(default_factory=list)
    warnings: list[str] = dc_field(default_factory=list)
    n_bins: int = 0

    def field(self, name: str) -> FieldResult | None:
        return next((f for f in self.fields if f.name == name), None)

    def check(self, kind: str) -> DatasetCheck | None:
        return next((c for c in self.checks if c.kind == kind), None)

    def counts_by_kind(self) -> dict[str, int]:
        """Violating rows summed per kind, over all fields."""
        out: dict[str, int] = {}
        for f in self.fields:
            for v in f.violations:
                out[v.kind] = out.get(v.kind, 0) + v.count
        return out

    def summary(self) -> dict[str, Any]:
        present = [f for f in self.fields if f.present]
        failing = [f for f in present if f.violations]
        failed_checks = [c for c in self.checks if not c.passed]
        completeness = self.check("completeness")
        return {
            "rows": self.n_rows, "columns": self.n_columns, "fields": len(self.fields),
            "fields_in_data": len(present), "fields_with_problems": len(failing),
            "fields_absent": len(self.fields) - len(present),
            "columns_unmatched": len(self.unmatched_columns),
            "violations": sum(f.n_violations for f in self.fields),
            "violations_by_kind": self.counts_by_kind(),
            "dataset_checks_failed": [c.kind for c in failed_checks],
            "completeness_percent": completeness.detail.get("percent") if completeness else None,
            "verdict": self.verdict(),
        }

    def verdict(self) -> str:
        """The dataset in one sentence."""
        present = [f for f in self.fields if f.present]
        failing = [f for f in present if f.violations]
        failed = [c for c in self.checks if not c.passed]
        if not present:
            return "No column of the data matches a field of the dictionary."
        if not failing and not failed:
            return (f"All {len(present)} matched fields pass on {self.n_rows:,} rows.")
        total = sum(f.n_violations for f in failing)
        parts = [f"{len(failing)} of {len(present)} matched fields have problems "
                 f"({total:,} violations)"] if failing else []
        parts += [c.message for c in failed]
        return "; ".join(parts) + "."

    def heatmap(self) -> tuple[list[str], np.ndarray]:
        """Field names with problems and their violation counts per row bin (fields x bins)."""
        names, rows = [], []
        for f in self.fields:
            bins = [v.bins for v in f.violations if v.bins is not None]
            if bins:
                names.append(f.name)
                rows.append(np.sum(bins, axis=0))
        if not rows:
            return [], np.zeros((0, self.n_bins))
        return names, np.vstack(rows)
