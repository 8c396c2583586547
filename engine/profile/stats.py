"""Statistics from (sorted distinct value, count) pairs, and how values are shown.

Every path of the profile reduces a column to its distinct values and their counts first, so
one set of functions gives min/max, mean/std, quartiles and the top values for all of them.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from .model import ColumnProfile

TOP = 10
EXAMPLES = 5
_DAY_US = 86_400_000_000


def fill_stats(prof: ColumnProfile, uniq: np.ndarray, counts: np.ndarray,
               values: np.ndarray | None = None, ordered: bool = False) -> None:
    """min/max (numbers, dates), mean/std and quartiles (numbers), top values.

    `values`, when given, are all the values (sorted if `ordered`): the moments (and then the
    quartiles) come from them directly rather than from the weighted distinct values.
    """
    kind = prof.type
    prof.top = top_values(uniq, counts, kind)
    if len(uniq) == 0 or kind == "boolean":
        return
    prof.min, prof.max = render(uniq[0], kind), render(uniq[-1], kind)
    if kind not in ("integer", "number"):
        return
    if values is not None and len(uniq) * 4 < len(values):
        values = None  # few distinct values: the weighted moments below are cheaper
        ordered = False
    if values is not None:
        total = len(values)
        prof.mean = float(values.mean(dtype=np.float64))
        prof.std = float(values.std(ddof=1, dtype=np.float64)) if total > 1 else None
        if ordered:
            prof.p25, prof.p50, prof.p75 = (_sorted_quantile(values, q)
                                            for q in (0.25, 0.5, 0.75))
            return
    total = int(counts.sum())
    x = uniq.astype(np.float64)
    if values is None:
        prof.mean = float(np.dot(x, counts) / total)
        prof.std = (float(np.sqrt(np.dot((x - prof.mean) ** 2, counts) / (total - 1)))
                    if total > 1 else None)
    if len(uniq) == total:  # all distinct: the sorted distinct values are the order
        prof.p25, prof.p50, prof.p75 = (_sorted_quantile(x, q) for q in (0.25, 0.5, 0.75))
        return
    cum = np.cumsum(counts)
    prof.p25, prof.p50, prof.p75 = (quantile(x, cum, total, q) for q in (0.25, 0.5, 0.75))


def _sorted_quantile(ordered: np.ndarray, q: float) -> float:
    pos = q * (len(ordered) - 1)
    lo = int(np.floor(pos))
    hi = min(lo + 1, len(ordered) - 1)
    return float(ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo))


def quantile(x: np.ndarray, cum: np.ndarray, total: int, q: float) -> float:
    """Linear interpolation between order statistics (the numpy/pandas default), from counts."""
    pos = q * (total - 1)
    lo = int(np.floor(pos))
    a = x[np.searchsorted(cum, lo, side="right")]
    b = x[np.searchsorted(cum, min(lo + 1, total - 1), side="right")]
    return float(a + (b - a) * (pos - lo))


def top_index(counts: np.ndarray) -> np.ndarray:
    """Indices of the TOP largest counts, largest first (ties: lower index first); none when
    every count is 1 (all values distinct: the examples show them)."""
    if len(counts) == 0 or counts.max() < 2:
        return np.zeros(0, np.int64)
    if len(counts) > 4096:
        # the smallest count that still makes the top, from a histogram of the counts
        at_least = np.cumsum(np.bincount(counts)[::-1])[::-1]
        threshold = int(np.flatnonzero(at_least >= TOP)[-1])
        cand = np.flatnonzero(counts >= max(threshold, 2))
        if threshold < 2:  # fewer repeated values than TOP: fill up with the first singles
            cand = np.concatenate([cand, np.flatnonzero(counts == 1)[:TOP]])
    else:
        cand = np.arange(len(counts))
    order = np.lexsort((cand, -counts[cand]))
    return cand[order[:TOP]]


def top_values(uniq: np.ndarray, counts: np.ndarray, kind: str) -> list[dict]:
    return [{"value": render_text(uniq[i], kind), "count": int(counts[i])}
            for i in top_index(counts)]


def top_text(values: pa.Array, counts: np.ndarray) -> list[dict]:
    idx = top_index(counts)
    texts = values.take(pa.array(idx, pa.int64())).to_pylist() if len(idx) else []
    return [{"value": v, "count": int(counts[i])} for v, i in zip(texts, idx)]


def distinct_sorted(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of a sorted array and how often each occurs.

    All-distinct input (IDs, measurements) is returned as is, with a zero-copy array of ones:
    no large temporary is made for the common case.
    """
    if len(values) == 0:
        return values, np.zeros(0, np.int64)
    new = values[1:] != values[:-1]
    if new.all():
        return values, np.broadcast_to(np.int64(1), len(values))
    bounds = np.empty(np.count_nonzero(new) + 2, np.int64)  # start of each run, then the end
    bounds[0], bounds[-1] = 0, len(values)
    np.add(np.flatnonzero(new), 1, out=bounds[1:-1])
    return values[bounds[:-1]], np.diff(bounds)


def distinct_ints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct integers and their counts: a bincount when the range is narrow (up to
    half as wide as the values are many: wider, its table's cache misses and page faults cost
    more than a sort).

    `values` is shifted in place and restored, or sorted in place (it is the caller's copy).
    """
    n = len(values)
    if n == 0:
        return values, np.zeros(0, np.int64)
    lo, hi = int(values.min()), int(values.max())
    if n > 1 << 16 and (values[1:] >= values[:-1]).all():  # IDs often arrive sorted
        return distinct_sorted(values)
    if hi - lo >= min(4 * n + 1024, max(1 << 16, n // 2)):
        values.sort()  # in place: no large temporary
        return distinct_sorted(values)
    values -= lo
    counts = np.bincount(values)
    values += lo
    uniq = np.flatnonzero(counts)
    if len(uniq) == len(values):
        return uniq + lo, np.broadcast_to(np.int64(1), len(uniq))
    counts = counts[uniq]
    uniq += lo
    return uniq.astype(values.dtype, copy=False), counts


def render(v, kind: str):
    """A statistic as JSON: int/float for numbers, ISO text for dates and datetimes."""
    if kind == "integer":
        return int(v)
    if kind == "number":
        return float(v)
    return render_text(v, kind)


def render_text(v, kind: str) -> str:
    """A value as text: integers without '.0', shortest float repr, ISO dates.

    Dates are held as days since 1970, datetimes as microseconds, times as microseconds
    since midnight.
    """
    if kind == "date":
        return str(np.datetime64(int(v), "D"))
    if kind == "datetime":
        return str(np.datetime64(int(v), "us")).replace("T", " ").removesuffix(".000000")
    if kind == "boolean":
        return "true" if v else "false"
    if kind == "time":
        return _time_text(int(v))
    if kind == "integer" or float(v).is_integer() and abs(float(v)) < 1e15:
        return str(int(v))
    return repr(float(v))


def _time_text(us: int) -> str:
    """µs since midnight as HH:MM:SS (with the fraction, when there is one)."""
    seconds, micro = divmod(us, 1_000_000)
    text = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return f"{text}.{micro:06d}".rstrip("0") if micro else text


def set_missing(prof: ColumnProfile, n: int, missing: int) -> None:
    prof.count, prof.missing = n - missing, missing
    prof.missing_pct = round(100.0 * missing / n, 2) if n else 0.0


def base(name: str, n: int, missing: int) -> ColumnProfile:
    prof = ColumnProfile(name=name)
    set_missing(prof, n, missing)
    return prof


def flag(prof: ColumnProfile) -> None:
    """unique: no value repeats; categorical: few distinct values for the rows (codes)."""
    prof.unique = prof.count > 0 and prof.distinct == prof.count
    prof.categorical = (prof.type in ("string", "integer", "number") and prof.count > 0
                        and prof.distinct <= min(50, max(2, prof.count // 10)))


def days(us: np.ndarray) -> np.ndarray:
    """Microseconds since 1970 as whole days."""
    return np.floor_divide(us, _DAY_US)
