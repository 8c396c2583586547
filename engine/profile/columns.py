"""One column's profile, computed with Arrow/numpy kernels only (no Python loop over rows).

The path is chosen from the first 10,000 values:
- "fast": integers, ISO dates, and varied numbers/datetimes: the whole column is cast once,
  then counted with a bincount (small ranges) or one sort; integers written "12.0" (a float
  column of whole numbers) are read through floats and given the profile "dict" gives them;
- "short": many distinct short strings (IDs, codes): packed into integers and sorted;
- "dict": everything else, and integer codes of one width: one pass that counts the distinct
  strings (values of one width up to 8 bytes straight from the buffers, others by hash), then
  type, NA-like tokens and stats are worked out on the distinct values and their counts;
- "typed": columns a typed file (Parquet, Excel, .sav …) already stores as numbers or dates.
A path that meets a value it cannot handle falls back to "dict", which handles everything.
Each result also carries a lazily built per-row key for duplicate-row detection.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..values.infer import (NA_TOKENS, Parsed, blank_mask, canonical_integers, detect, na_mask,
                            parse_column, parse_rows, point_zero_integers,
                            point_zero_plain)
from .examples import (as_int64, by_count, first, first_distinct, first_seen,
                       head_examples)
from .model import ColumnProfile
from .short_text import fixed_width_counts, profile_short_text
from .stats import (base, days, distinct_ints, distinct_sorted, fill_stats, flag, set_missing,
                    top_text)

SAMPLE_ROWS = 10_000
PLAN_UNIQUES = 2_000
NULL_KEY = np.iinfo(np.int64).min
_BIG_DICTIONARY = 50_000
_MANY = 20_000         # distinct values above which the sort-based paths beat hashing


@dataclass
class Plan:
    """How to profile a column, decided from a sample."""

    path: str                    # "fast", "short", "dict" or "typed"
    kind: str | None = None
    fmt: str | None = None
    mask_na: bool = False        # the sample had NA-like tokens among the numbers


@dataclass
class ColumnResult:
    """A column's profile plus (lazily) its duplicate-detection key."""

    profile: ColumnProfile
    # make_key(rows): an int64 key per row (all rows when rows is None), equal values <=>
    # equal keys; built only when duplicate rows are possible, and then only for the rows
    # that may be duplicates
    make_key: Callable[[np.ndarray | None], np.ndarray] | None = None
    cardinality: int = 0            # distinct keys (null counted once)
    dense: bool = False             # keys are codes in [-1, cardinality)


def plan(col: pa.ChunkedArray) -> Plan:
    """Pick the path for a column from its first rows."""
    n = len(col)
    if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
        return Plan("typed")
    sample = col.slice(0, SAMPLE_ROWS).combine_chunks().drop_null()
    if len(sample) == 0:
        return Plan("dict")
    uniques = pc.unique(sample)
    distinct = min(estimated_distinct(len(uniques), len(sample)), n)
    probe = uniques.slice(0, PLAN_UNIQUES)
    na, blank = na_mask(probe), blank_mask(probe)
    usable = ~na & ~blank
    parsed = detect(probe, np.ones(len(probe)), usable)
    clean = not blank.any() and not (usable & ~parsed.ok).any()
    kind, fmt = parsed.kind, parsed.fmt
    if kind == "integer" and clean and distinct <= PLAN_UNIQUES and _one_width(sample) <= 8:
        return Plan("dict", kind)   # few codes of one width: counted unparsed, then parsed
    # Hashing strings gets dear as distinct values grow; a cast and a sort (or a bincount, for
    # integers and ISO dates) costs the same at any cardinality.
    if clean and (kind == "integer" or kind in ("date", "datetime") and fmt == "iso"
                  or kind in ("number", "date", "datetime") and distinct > _MANY):
        return Plan("fast", kind, fmt, bool(na.any()))
    if kind == "string" and distinct > _MANY and pc.max(
            pc.binary_length(sample)).as_py() <= 8:
        return Plan("short", kind)
    return Plan("dict", kind)


def _one_width(sample: pa.Array) -> int:
    """The values' byte length when all share one, else a number above any packing width."""
    lengths = pc.min_max(pc.binary_length(sample))
    low, high = lengths["min"].as_py(), lengths["max"].as_py()
    return high if low == high else 1 << 30


def estimated_distinct(seen: int, sampled: int) -> float:
    """How many distinct values a column has, from the `seen` distinct in `sampled` rows:
    solves seen = D·(1 - e^(-sampled/D)) for D (inf when every sampled value was new)."""
    if seen >= sampled:
        return math.inf
    lo, hi = float(seen), float(seen) * 1e6
    for _ in range(60):  # bisection on a log scale
        mid = math.sqrt(lo * hi)
        if mid * -math.expm1(-sampled / mid) < seen:
            lo = mid
        else:
            hi = mid
    return hi


def profile_column(name: str, col: pa.ChunkedArray, how: Plan,
                   source_type: str | None = None) -> ColumnResult:
    """Profile one column following its plan."""
    result = None
    if how.path == "typed":
        result = _typed_source(name, col)
        if result is None:
            col = _as_text(col)
    elif how.path == "fast":
        result = _fast(name, col, how)
    elif how.path == "short":
        result = _short(name, col)
    if result is None:
        result = _codes(name, col, how.kind)
    result.profile.source_type = source_type
    return result


# ---- dict path: count the distinct strings once ---------------------------------------------
def _codes(name: str, col: pa.ChunkedArray, kind: str | None = None) -> ColumnResult:
    n, nulls = len(col), col.null_count
    fixed = fixed_width_counts(col)  # codes of one width, counted without a hash
    dictionary, counts = fixed or _value_counts(col)
    na, blank = na_mask(dictionary), blank_mask(dictionary)
    usable = ~na & ~blank
    if len(dictionary) > _BIG_DICTIONARY and kind == "string":
        parsed = Parsed("string", np.zeros(len(dictionary), bool), None)  # the sample said so
    else:
        parsed = detect(dictionary, counts, usable)
    prof = base(name, n, nulls)
    prof.na_like = by_count(dictionary, counts, na)
    prof.blank = int(counts[blank].sum())
    if len(dictionary):
        mm = pc.min_max(pc.utf8_length(dictionary))
        prof.min_length, prof.max_length = int(mm["min"].as_py()), int(mm["max"].as_py())
    typed = parsed.kind != "string"
    keep = usable & parsed.ok if typed else usable
    prof.examples = first_seen(col, dictionary, keep) if fixed else first(dictionary, keep)
    if not typed:
        prof.distinct = len(dictionary)
        prof.top = top_text(dictionary, counts)
        flag(prof)
        return ColumnResult(prof, lambda rows: _indices(take(col, rows), dictionary),
                            len(dictionary) + (nulls > 0), dense=True)
    return _typed_codes(prof, col, dictionary, counts, parsed, usable)


def _typed_codes(prof: ColumnProfile, col: pa.ChunkedArray, dictionary: pa.Array,
                 counts: np.ndarray, parsed: Parsed, usable: np.ndarray) -> ColumnResult:
    """Codes that read as numbers/dates/booleans: stats on the distinct values, weighted."""
    ok = parsed.ok & usable
    ok_idx = np.flatnonzero(ok)
    parsed_values = days(parsed.values) if parsed.kind == "date" else parsed.values
    order = np.argsort(parsed_values[ok_idx], kind="stable")
    values, weights = parsed_values[ok_idx][order], counts[ok_idx][order]
    change = np.r_[False, values[1:] != values[:-1]]
    starts = np.flatnonzero(np.r_[True, change[1:]])
    uniq, uniq_counts = values[starts], np.add.reduceat(weights, starts)
    prof.type = parsed.kind
    fill_stats(prof, uniq, uniq_counts)
    stray = usable & ~parsed.ok
    prof.nonconforming = by_count(dictionary, counts, stray, limit=5)
    prof.nonconforming_count = int(counts[stray].sum())
    others = np.flatnonzero(~ok)
    prof.distinct = len(uniq) + len(others)
    # numbers compared as numbers: "1" and "1.0" share one key
    group = np.empty(len(dictionary) + 1, np.int64)
    group[0] = -1
    group[ok_idx[order] + 1] = np.cumsum(change)
    group[others + 1] = len(uniq) + np.arange(len(others))
    flag(prof)
    return ColumnResult(prof, lambda rows: group[_indices(take(col, rows), dictionary) + 1],
                        prof.distinct + (prof.missing > 0), dense=True)


def _value_counts(col: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """The distinct non-null strings (first-seen order) and how often each occurs."""
    if len(col) == col.null_count:
        return pa.array([], pa.string()), np.zeros(0, np.int64)
    vc = pc.value_counts(col)
    values, counts = vc.field("values"), vc.field("counts")
    if values.null_count:
        keep = values.is_valid()
        values, counts = values.filter(keep), counts.filter(keep)
    return values, counts.to_numpy().astype(np.int64)


def take(col: pa.ChunkedArray, rows: np.ndarray | None) -> pa.ChunkedArray:
    """The given rows of a column (all of it when rows is None)."""
    return col if rows is None else col.take(pa.array(rows, pa.int64()))


def _indices(col: pa.ChunkedArray, dictionary: pa.Array) -> np.ndarray:
    """Each row's position in `dictionary` (-1 for null); built only for duplicate checks."""
    index = pc.index_in(col, value_set=dictionary)
    return np.asarray(index.fill_null(-1).to_numpy(), np.int64)


# ---- short path: many distinct short strings --------------------------------------------------
def _short(name: str, col: pa.ChunkedArray) -> ColumnResult | None:
    done = profile_short_text(name, col)
    if done is None:
        return None
    prof, make_key = done
    prof.examples = head_examples(col)
    return ColumnResult(prof, make_key, prof.distinct + (prof.missing > 0))


# ---- fast path: one cast of the whole column --------------------------------------------------
def _fast(name: str, col: pa.ChunkedArray, how: Plan) -> ColumnResult | None:
    work, index, na_counts = _without_na_tokens(col, how.mask_na)
    values = parse_column(work, how.kind, how.fmt)
    if values is None:
        return _point_zero(name, col, work, index, na_counts) if how.kind == "integer" else None
    if how.kind == "integer" and na_counts:
        return None  # integers among NA-like tokens: the exact path counts the tokens' lengths
    kind, fmt = how.kind, how.fmt
    result, uniq, counts = _from_values(name, values, kind, len(col),
                                        lambda rows: _arrow_key(parse_rows(take(work, rows),
                                                                           kind, fmt)))
    if kind == "integer" and not canonical_integers(work, uniq, counts):
        return None  # "007", "0x1F": codes, not numbers; the exact path will say so
    prof = result.profile
    prof.na_like = dict(sorted(na_counts.items(), key=lambda kv: -kv[1]))
    set_missing(prof, len(col), col.null_count)  # NA-like tokens are values, not missing
    prof.distinct += len(na_counts)
    prof.examples = head_examples(work)
    flag(prof)
    return _token_keys(result, index, na_counts)


def _without_na_tokens(col: pa.ChunkedArray, mask_na: bool):
    """(the column with its NA-like tokens as nulls, each row's token index, token counts)."""
    if mask_na:
        index = pc.index_in(col, value_set=NA_TOKENS)
        token_rows = index.is_valid()
        if pc.any(token_rows).as_py():
            na_counts = {d["values"]: d["counts"]
                         for d in pc.value_counts(col.filter(token_rows)).to_pylist()}
            return pc.if_else(token_rows, pa.scalar(None, col.type), col), index, na_counts
    return col, None, {}


def _token_keys(result: ColumnResult, index: pa.ChunkedArray | None,
                na_counts: dict[str, int]) -> ColumnResult:
    """Each NA-like token its own duplicate key, distinct from null and from every number."""
    if not na_counts:
        return result
    number_key = result.make_key

    def make_key(rows: np.ndarray | None) -> np.ndarray:
        codes = np.asarray(take(index, rows).fill_null(-1).to_numpy(), np.int64)
        return np.where(codes >= 0, NULL_KEY + 1 + codes, number_key(rows))

    result.make_key = make_key
    result.cardinality += len(na_counts)
    return result


def _point_zero(name: str, col: pa.ChunkedArray, work: pa.ChunkedArray,
                index: pa.ChunkedArray | None, na_counts: dict[str, int]) -> ColumnResult | None:
    """Integers written '12.0' (a float column of whole numbers): the profile the exact path
    gives them (statistics from the distinct values, lengths, first-seen examples), without
    hashing a million strings."""
    values = point_zero_integers(work)
    if values is None:
        return None
    uniq, counts = distinct_ints(values)
    if not point_zero_plain(work, uniq, counts):
        return None
    prof = base(name, len(col), col.null_count)
    prof.type = "integer"
    fill_stats(prof, uniq, np.array(counts))
    prof.na_like = dict(sorted(na_counts.items(), key=lambda kv: -kv[1]))
    prof.distinct = len(uniq) + len(na_counts)
    lengths = pc.min_max(pc.binary_length(col))  # ASCII: bytes are characters
    prof.min_length, prof.max_length = lengths["min"].as_py(), lengths["max"].as_py()
    prof.examples = first_distinct(work)
    flag(prof)
    result = ColumnResult(prof, lambda rows: _arrow_key(pc.cast(take(work, rows), pa.float64())),
                          len(uniq) + (prof.missing > 0))
    return _token_keys(result, index, na_counts)


def _from_values(name: str, values: np.ndarray, kind: str, n: int,
                 make_key: Callable[[np.ndarray | None], np.ndarray]):
    """Profile the non-null values of a column of `n` rows (`values` is ours to reorder).

    Returns the result and the sorted distinct values with their counts.
    """
    if values.dtype.kind == "f":
        nan = np.isnan(values)
        if nan.any():  # NaN stored by a typed file is a missing value
            values = values[~nan]
        values.sort()
        uniq, counts = distinct_sorted(values)
    else:
        uniq, counts = distinct_ints(values)
    prof = base(name, n, n - len(values))
    prof.type = kind
    fill_stats(prof, uniq, counts, values, ordered=values.dtype.kind == "f")
    prof.distinct = len(uniq)
    return ColumnResult(prof, make_key, len(uniq) + (prof.missing > 0)), uniq, counts


def _present(values: pa.ChunkedArray) -> np.ndarray:
    """The non-null values as one writable numpy array (a single copy)."""
    if values.null_count:
        values = values.drop_null()
    if not values.num_chunks:
        return np.zeros(0, np.float64 if pa.types.is_floating(values.type) else np.int64)
    return np.concatenate([c.to_numpy() for c in values.chunks])


def _arrow_key(values: pa.ChunkedArray) -> np.ndarray:
    """Per-row keys of a parsed column: int64 as is, float bits (-0.0 folded into 0.0);
    null and NaN share the null key."""
    if not pa.types.is_floating(values.type):
        return np.asarray(values.fill_null(NULL_KEY).to_numpy(), np.int64)
    filled = np.asarray(values.fill_null(np.nan).to_numpy(), np.float64) + 0.0
    return np.where(np.isnan(filled), NULL_KEY, filled.view(np.int64))


# ---- typed files (parquet, xlsx, sav …) -------------------------------------------------------
def _typed_source(name: str, col: pa.ChunkedArray) -> ColumnResult | None:
    t = col.type
    if pa.types.is_boolean(t):
        result = _codes(name, pc.cast(col, pa.string()))
        result.profile.type = "boolean"
        return result
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        floats = pc.cast(col, pa.float64())
        result = _from_values(name, _present(floats), "number", len(col),
                              lambda rows: _arrow_key(take(floats, rows)))[0]
        if result.profile.count and _whole(floats):  # 1.0, 2.0 … stored as doubles (SPSS)
            result.profile.type = "integer"
            present = _present(floats)
            fill_stats(result.profile, *distinct_ints(
                present[np.isfinite(present)].astype(np.int64)))
        return _finish_typed(result, floats)
    ints = as_int64(col)
    if ints is None:
        return None
    kind = ("integer" if pa.types.is_integer(t) else "date" if pa.types.is_date(t)
            else "datetime")
    return _finish_typed(_from_values(name, _present(ints), kind, len(col),
                                      lambda rows: _arrow_key(take(ints, rows)))[0], col)


def _finish_typed(result: ColumnResult, col: pa.ChunkedArray) -> ColumnResult:
    result.profile.examples = head_examples(col)
    flag(result.profile)
    return result


def _whole(floats: pa.ChunkedArray) -> bool:
    finite = floats.filter(pc.fill_null(pc.is_finite(floats), False))
    return len(finite) > 0 and pc.all(pc.equal(pc.floor(finite), finite)).as_py() is True


def _as_text(col: pa.ChunkedArray) -> pa.ChunkedArray:
    try:
        return pc.cast(col, pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.chunked_array([pa.array([None if v is None else str(v)
                                           for v in col.to_pylist()], pa.string())])
