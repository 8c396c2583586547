"""Validate one column against one field, vectorised over the whole column.

A column with few distinct values (codes, small integers) is dictionary-encoded first: every
check then runs on the distinct values only, and counts and row numbers come back through the
row -> value index (numpy).  Other columns are checked directly, one Arrow kernel per check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..model import Category, Field
from .codes import code_list, empty_flags, missing_flags, missing_set
from .labels import checked_bounds
from .result import EVIDENCE_ROWS, FieldResult, MissingCount, Violation
from .rows import Rows, RowHash, encode, hits, repeated_rows, spread_sample, to_numpy
from ..values.conform import NULL, Parsed, bound_number, parse_values, type_label

_SAMPLE = 20_000           # rows sampled (spread out) to tell codes from varied values
_NUMERIC = ("integer", "number", "year")


@dataclass
class ColumnInput:
    """A column to check: its name, its cells as text (nulls for absent cells)."""

    name: str
    text: pa.Array | pa.ChunkedArray


def as_text(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """The cells as written, as strings (typed columns are formatted); chunks kept as they are."""
    if pa.types.is_dictionary(arr.type):
        arr = pc.cast(arr, arr.type.value_type)
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        return arr
    if pa.types.is_floating(arr.type):
        # 3.0 -> "3": whole floats are how integer columns with gaps come out of pandas
        whole = pc.fill_null(pc.equal(pc.floor(arr), arr), False)
        as_int = pc.cast(pc.if_else(whole, arr, None), pa.int64(), safe=False).cast(pa.string())
        return pc.coalesce(as_int, arr.cast(pa.string()))
    try:
        return arr.cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.array([None if v is None else str(v) for v in arr.to_pylist()], pa.string())


def check_column(field: Field, col: ColumnInput, schema_missing: list[str],
                 n_bins: int, row_hash: RowHash | None = None) -> FieldResult:
    """All single-column checks of `field` on `col` (feeding `row_hash` on the way)."""
    text = col.text
    n = len(text)
    res = FieldResult(field.name, [col.name], field.type, n_rows=n)
    values, rows = _encode(text, n, n_bins)
    if row_hash is not None and rows.index is not None:
        row_hash.add(col.name, rows.index)
    codes = code_list(field)
    missing = missing_flags(values, missing_set(field, schema_missing, codes))
    res.n_missing = rows.count(missing)
    res.missing = _missing_counts(field, values, rows, missing, schema_missing)
    cand = pc.if_else(pa.array(missing), NULL, values) if missing.any() else values
    ctx = _Ctx(field, col.name, text, values, rows, res)
    parsed = parse_values(cand, field)
    if parsed is None:
        parsed = Parsed(~missing & to_numpy(pc.is_valid(cand)))
    else:
        fmt = f" ({field.format})" if field.format and field.format != "default" else ""
        ctx.add("type", ~missing & ~parsed.ok, f"not {type_label(field.type)}{fmt}")
    _check_range(ctx, parsed)
    if codes:
        _check_categories(ctx, cand, parsed, codes)
    _check_text(ctx, cand, parsed.ok)
    if field.constraints.get("required"):
        ctx.add("required", empty_flags(values, schema_missing, codes),
                "empty although the field is required")
    if field.constraints.get("unique"):
        _check_unique(ctx, cand, parsed)
    if row_hash is not None and rows.index is None and parsed.num is not None \
            and row_hash.wants_more():
        # invalid cells all hash alike; the exact comparison later tells them apart
        row_hash.add(col.name, np.where(parsed.ok, parsed.num, -np.inf))
    return res


@dataclass
class _Ctx:
    field: Field
    column: str
    text: pa.Array
    values: pa.Array           # what the flags index: the distinct values, or the column
    rows: Rows
    res: FieldResult

    def add(self, kind: str, flags: np.ndarray, what: str, detail: dict | None = None,
            row_mask: np.ndarray | None = None) -> None:
        """Record a violation when any row is flagged (`row_mask` bypasses the dictionary)."""
        count = int(np.count_nonzero(row_mask)) if row_mask is not None else \
            self.rows.count(flags)
        if not count:
            return
        if row_mask is not None:
            found, bins = hits(np.flatnonzero(row_mask), self.rows.n_rows, self.rows.n_bins)
        else:
            found, bins = self.rows.rows(flags)
        shown = self.text.take(pa.array(found[:EVIDENCE_ROWS])).to_pylist()
        detail = dict(detail or {})
        msg = f"{count:,} value{'s' * (count > 1)} {what}"
        if row_mask is None and kind != "required":
            top = self.top_values(flags)
            detail["top_values"] = [{"value": v, "count": c} for v, c in top]
            msg += " (e.g. " + ", ".join(repr(v) for v, _ in top[:3]) + ")"
            hint = _missing_hint(kind, top)
            if hint:
                msg += hint
        self.res.violations.append(Violation(kind, count, found, shown, msg, self.column, bins,
                                             detail))

    def top_values(self, flags: np.ndarray, k: int = 5) -> list[tuple[str, int]]:
        """The most frequent flagged values with their row counts."""
        values = self.values
        if self.rows.counts is None:
            vc = pc.value_counts(pc.filter(values, pa.array(flags)))
            vals, counts = vc.field("values").to_pylist(), vc.field("counts").to_numpy()
        else:
            idx = np.flatnonzero(flags)
            vals, counts = values.take(pa.array(idx)).to_pylist(), self.rows.counts[idx]
        order = np.argsort(-np.asarray(counts), kind="stable")[:k]
        return [(vals[i], int(counts[i])) for i in order]


_MISSING_TOKENS = {"NA", "N/A", "n/a", "na", "NULL", "null", "None", ".", "-", "?", "NaN",
                   "#N/A", "missing", "Missing"}


def _missing_hint(kind: str, top: list[tuple[str, int]]) -> str:
    """Say so when the commonest bad value looks like an undeclared missing-value marker."""
    if kind in ("type", "category") and top and top[0][0] in _MISSING_TOKENS:
        return (f"; {top[0][0]!r} looks like a missing-value marker: declare it in the "
                "field's missing values to count it as missing")
    return ""


def _encode(text: pa.Array, n: int, n_bins: int) -> tuple[pa.Array, Rows]:
    """Distinct values and a row index when the column repeats itself, else the column."""
    if n < 64:
        return text, Rows(n, n_bins)
    # spread over the whole column: sorted data can start with one value repeated
    sample = spread_sample(text, _SAMPLE)
    if pc.count_distinct(sample, mode="all").as_py() * 5 > len(sample):
        return text, Rows(n, n_bins)
    dictionary, index = encode(text)
    counts = np.bincount(index, minlength=len(dictionary))
    return dictionary, Rows(n, n_bins, index, counts)


def _missing_counts(field: Field, values: pa.Array, rows: Rows, missing: np.ndarray,
                    schema_missing: list[str]) -> list[MissingCount]:
    """Rows per missing-value code, in the dictionary's order, then empty cells."""
    if not missing.any():
        return []
    labels = {m.value: m.label for m in field.missing_values}
    flagged = pc.fill_null(pc.filter(values, pa.array(missing)), "")
    if rows.counts is not None:
        weights = rows.counts[np.flatnonzero(missing)]
        found: dict[str, int] = {}
        for v, w in zip(flagged.to_pylist(), weights):
            found[v] = found.get(v, 0) + int(w)
    else:
        vc = pc.value_counts(flagged)
        found = dict(zip(vc.field("values").to_pylist(), vc.field("counts").to_pylist()))
    order = list(labels) + [v for v in schema_missing if v not in labels]
    order += [v for v in found if v not in order]
    return [MissingCount(v, labels.get(v), found[v]) for v in order if found.get(v)]


def _check_range(ctx: _Ctx, parsed: Parsed) -> None:
    # an impossible range (minimum above maximum) would flag every value: it is reported
    # once, as a note on the field (run.dictionary_problems), and not checked
    if parsed.num is None or empty_range(ctx.field) is not None:
        return
    c, ftype = checked_bounds(ctx.field), ctx.field.type
    num = parsed.num
    with np.errstate(invalid="ignore"):
        for kind, op, word in (("minimum", np.less, "below the minimum"),
                               ("maximum", np.greater, "above the maximum"),
                               ("exclusiveMinimum", np.less_equal, "not above"),
                               ("exclusiveMaximum", np.greater_equal, "not below")):
            bound = bound_number(c.get(kind), ftype)
            if bound is not None:
                ctx.add(kind, parsed.ok & op(num, bound), f"{word} {_bound_text(c[kind])}",
                        {"limit": c[kind]})


def empty_range(f: Field) -> tuple[str, str] | None:
    """The two bounds that leave no value possible (e.g. minimum 100, maximum 0), else None."""
    c = f.constraints
    lows = [(k, bound_number(c.get(k), f.type)) for k in ("minimum", "exclusiveMinimum")]
    highs = [(k, bound_number(c.get(k), f.type)) for k in ("maximum", "exclusiveMaximum")]
    for lo_kind, lo in lows:
        for hi_kind, hi in highs:
            if lo is None or hi is None:
                continue
            exclusive = lo_kind.startswith("exclusive") or hi_kind.startswith("exclusive")
            if lo > hi or (exclusive and lo == hi):
                return lo_kind, hi_kind
    return None


def _bound_text(v) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def _check_categories(ctx: _Ctx, cand: pa.Array, parsed: Parsed,
                      codes: list[Category]) -> None:
    values = [c.value for c in codes]
    nums = _numeric_codes(values)
    if parsed.num is not None and nums is not None and ctx.field.type in _NUMERIC:
        bad = parsed.ok & ~np.isin(parsed.num, nums)
    else:
        inset = to_numpy(pc.fill_null(pc.is_in(cand, pa.array(values, pa.string())), False))
        bad = parsed.ok & ~inset
        if bad.any():                          # ' Male' is 'Male' written with a space
            trimmed = pc.utf8_trim_whitespace(cand)
            bad &= ~to_numpy(pc.fill_null(pc.is_in(trimmed, pa.array(values, pa.string())), False))
    ctx.add("category", bad, f"not in the code list of {len(values)} codes")


def _numeric_codes(values: list[str]) -> np.ndarray | None:
    try:
        return np.array([float(v) for v in values], dtype=np.float64)
    except ValueError:
        return None


def _check_text(ctx: _Ctx, cand: pa.Array, ok: np.ndarray) -> None:
    c = ctx.field.constraints
    if c.get("minLength") is not None or c.get("maxLength") is not None:
        length = to_numpy(pc.fill_null(pc.utf8_length(cand), 0))
        if c.get("minLength") is not None:
            ctx.add("minLength", ok & (length < int(c["minLength"])),
                    f"shorter than {c['minLength']} characters", {"limit": c["minLength"]})
        if c.get("maxLength") is not None:
            ctx.add("maxLength", ok & (length > int(c["maxLength"])),
                    f"longer than {c['maxLength']} characters", {"limit": c["maxLength"]})
    if c.get("pattern"):
        matched = _pattern_match(ctx, cand, str(c["pattern"]))
        if matched is not None:
            ctx.add("pattern", ok & ~matched, f"not matching the pattern {c['pattern']}",
                    {"pattern": c["pattern"]})


def _pattern_match(ctx: _Ctx, cand: pa.Array, pattern: str) -> np.ndarray | None:
    """Anchored regex match (Table Schema patterns match the whole value)."""
    try:
        hit = pc.match_substring_regex(cand, f"^(?:{pattern})$")
        return to_numpy(pc.fill_null(hit, False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    try:                                       # RE2 lacks look-arounds: Python on distinct values
        rx = re.compile(pattern)
    except re.error as exc:
        ctx.res.notes.append(f"the pattern {pattern!r} is not a valid regular expression "
                             f"({exc}); it was not checked")
        return None
    distinct = pc.unique(cand).drop_null()
    good = [v for v in distinct.to_pylist() if rx.fullmatch(v)]
    return to_numpy(pc.fill_null(pc.is_in(cand, pa.array(good, pa.string())), False))


def _check_unique(ctx: _Ctx, cand: pa.Array, parsed: Parsed) -> None:
    """Rows whose value already appeared in an earlier row (numbers compared as numbers)."""
    rows, ok = ctx.rows, parsed.ok
    if rows.index is not None:
        usable, keys = ok[rows.index], rows.index
    elif parsed.num is not None and ctx.field.type in _NUMERIC:
        usable, keys = ok, parsed.num
    else:
        usable, keys = ok, encode(cand)[1]
    at = np.flatnonzero(usable)                 # missing and mistyped cells are not compared
    repeat = np.zeros(len(usable), dtype=bool)
    repeat[at] = repeated_rows(keys[at])
    ctx.add("unique", np.zeros(0, bool), "repeating a value of an earlier row",
            row_mask=repeat)
