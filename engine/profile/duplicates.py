"""Duplicate rows: rows equal to an earlier row in every column, found without a row loop.

Each column can give an integer key per row (dictionary codes, or the number itself).
1. A column whose values are all different rules duplicates out at once.
2. Otherwise the most varied column (if it is varied enough) narrows the search to the rows
   whose value repeats in it; a row that differs from every other row there is no duplicate.
3. The remaining rows are grouped by a 64-bit hash of all their keys (keys are built only for
   those rows, on all cores), and rows sharing a hash are compared key by key, so the count
   is exact even if two different rows ever hash alike.
"""

from __future__ import annotations

import numpy as np

from ..parallel import map_columns
from .columns import ColumnResult

EXAMPLES = 10
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_SELECTIVE = 20      # narrow by a column when it has at least n/_SELECTIVE distinct values


def duplicate_rows(results: list[ColumnResult], n: int) -> tuple[int, list[dict[str, int]]]:
    """(number of rows repeating an earlier row, first examples as {"row", "same_as"})."""
    keyed = [r for r in results if r.make_key is not None]
    if n < 2 or not keyed or any(r.cardinality >= n for r in keyed):
        return 0, []
    rows = _candidates(keyed, n)
    if rows is not None and len(rows) < 2:
        return 0, []
    keys = map_columns(lambda r: r.make_key(rows), keyed)
    shared = _shared_hash(keys)
    if len(shared) < 2:
        return 0, []
    sub = [k[shared] for k in keys]
    order, leader = _group(sub)
    if any((k[order] != k[order][leader]).any() for k in sub):  # a hash collision: be exact
        order, leader = _group_exact(sub)
    row_of = shared if rows is None else rows[shared]
    sorted_rows = row_of[order]
    dup = np.flatnonzero(leader != np.arange(len(order)))
    pairs = np.stack([sorted_rows[dup], sorted_rows[leader[dup]]], axis=1)
    pairs = pairs[np.argsort(pairs[:, 0], kind="stable")][:EXAMPLES]
    return len(dup), [{"row": int(a) + 1, "same_as": int(b) + 1} for a, b in pairs]


def _candidates(keyed: list[ColumnResult], n: int) -> np.ndarray | None:
    """Rows whose value repeats in the most varied column; None (all rows) when no column
    is varied enough to narrow the search."""
    best = max(keyed, key=lambda r: r.cardinality)
    if best.cardinality * _SELECTIVE < n:
        return None
    return np.flatnonzero(_repeated(best.make_key(None), best.dense))


def _repeated(key: np.ndarray, dense: bool) -> np.ndarray:
    """Which rows hold a value that occurs more than once in this column."""
    if dense:
        counts = np.bincount(key + 1)
        return counts[key + 1] >= 2
    ordered = np.sort(key)
    twice = ordered[1:][ordered[1:] == ordered[:-1]]
    return _member(key, np.unique(twice))


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """values ∈ sorted_set, by binary search."""
    if len(sorted_set) == 0:
        return np.zeros(len(values), bool)
    at = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[at] == values


def _hash(keys: list[np.ndarray]) -> np.ndarray:
    """A 64-bit hash of each row's keys (splitmix-style mixing, in place)."""
    h = np.zeros(len(keys[0]), np.uint64)
    x = np.empty_like(h)
    for k in keys:
        np.multiply(k.astype(np.int64, copy=False).view(np.uint64), _M1, out=x)
        x ^= x >> np.uint64(31)
        h ^= x
        h *= _M2
        h ^= h >> np.uint64(29)
    return h


def _shared_hash(keys: list[np.ndarray]) -> np.ndarray:
    """Positions (ascending) of the rows whose hash some other row shares."""
    h = _hash(keys)
    ordered = np.sort(h)
    twice = ordered[1:][ordered[1:] == ordered[:-1]]
    return np.flatnonzero(_member(h, np.unique(twice)))


def _group(keys: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Order rows by their hash (ties in row order); for each position, its group's first."""
    h = _hash(keys)
    order = np.argsort(h, kind="stable")
    hs = h[order]
    return order, _leaders(np.r_[True, hs[1:] != hs[:-1]])


def _group_exact(keys: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Lexicographic sort on every key (exact, slower; only after a hash collision)."""
    order = np.lexsort([np.arange(len(keys[0]))] + keys[::-1])
    new = np.zeros(len(order), bool)
    new[0] = True
    for k in keys:
        ks = k[order]
        new[1:] |= ks[1:] != ks[:-1]
    return order, _leaders(new)


def _leaders(new_group: np.ndarray) -> np.ndarray:
    starts = np.where(new_group, np.arange(len(new_group)), 0)
    return np.maximum.accumulate(starts)

