"""Rows: per-value flags to row counts and numbers, value codes, row hashes, repeats.

Shared by the column checks and the dataset checks; numpy over whole columns, no Python loop
per row.
"""

from __future__ import annotations

import threading
import zlib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ROW_CAP = 200_000          # row numbers kept per violation (counts are always exact)
SAMPLE_PIECES = 8


def spread_sample(col: pa.Array | pa.ChunkedArray, size: int) -> pa.ChunkedArray:
    """About `size` rows in SAMPLE_PIECES runs spread over the column (zero-copy slices)."""
    n = len(col)
    step = max(size // SAMPLE_PIECES, 1)
    starts = np.linspace(0, max(n - step, 0), SAMPLE_PIECES).astype(np.int64)
    pieces = [col.slice(int(s), step) for s in dict.fromkeys(starts.tolist())]
    chunks = [c for p in pieces for c in (p.chunks if isinstance(p, pa.ChunkedArray) else [p])]
    return pa.chunked_array(chunks, col.type)


def to_numpy(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An Arrow array (chunked or not) as numpy."""
    return arr.to_numpy(zero_copy_only=False)


class Rows:
    """How per-value flags become row counts and row numbers (identity, or via a dictionary)."""

    def __init__(self, n_rows: int, n_bins: int, index: np.ndarray | None = None,
                 counts: np.ndarray | None = None):
        self.n_rows, self.n_bins = n_rows, n_bins
        self.index, self.counts = index, counts

    def count(self, flags: np.ndarray) -> int:
        if self.counts is None:
            return int(np.count_nonzero(flags))
        return int(self.counts[flags].sum())

    def mask(self, flags: np.ndarray) -> np.ndarray:
        return flags if self.index is None else flags[self.index]

    def rows(self, flags: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row numbers (0-based, capped) and counts per row bin."""
        return hits(np.flatnonzero(self.mask(flags)), self.n_rows, self.n_bins)


def hits(hit: np.ndarray, n_rows: int, n_bins: int) -> tuple[np.ndarray, np.ndarray]:
    """The capped row numbers and their counts per row bin (for the heat-map)."""
    if n_bins == 0:
        return hit[:ROW_CAP], np.zeros(0, dtype=np.int64)
    bins = np.bincount(hit * n_bins // max(n_rows, 1), minlength=n_bins)[:n_bins]
    return hit[:ROW_CAP], bins


def encode(text: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """Distinct values (null included) and each row's index into them."""
    enc = pc.dictionary_encode(text, null_encoding="encode")
    if isinstance(enc, pa.Array):
        return enc.dictionary, to_numpy(enc.indices)
    if enc.num_chunks == 0:
        return pa.array([], pa.string()), np.zeros(0, dtype=np.int64)
    # the kernel gives every chunk the same, final dictionary
    index = np.concatenate([to_numpy(ch.indices) for ch in enc.chunks])
    return enc.chunk(enc.num_chunks - 1).dictionary, index


def repeated_rows(keys: np.ndarray) -> np.ndarray:
    """True for rows whose key occurred in an earlier row.

    One plain sort finds the repeated keys; only the rows holding them are ordered stably,
    which is all it takes when (as usual) few keys repeat.
    """
    out = np.zeros(len(keys), dtype=bool)
    if len(keys) < 2:
        return out
    s = np.sort(keys)
    repeated = np.unique(s[1:][s[1:] == s[:-1]])
    if not len(repeated):
        return out
    rows = np.flatnonzero(np.isin(keys, repeated))
    sub = keys[rows]
    order = np.argsort(sub, kind="stable")
    same = np.zeros(len(sub), dtype=bool)
    same[1:] = sub[order][1:] == sub[order][:-1]
    out[rows[order]] = same
    return out


class RowHash:
    """A 64-bit hash per row, summed from the value codes the column checks computed anyway.

    Each column adds (code + 1) x its own odd 64-bit multiplier; a wrapping sum does not
    depend on the order threads add columns in.  Rows with equal hashes are only candidates
    for duplicates: they are compared exactly afterwards.
    """

    def __init__(self, n_rows: int):
        self.value = np.zeros(n_rows, dtype=np.uint64)
        self.columns: set[str] = set()
        self._lock = threading.Lock()

    def wants_more(self, enough: int = 24) -> bool:
        """Whether another column is worth mixing in (past ~two dozen, rarely)."""
        return len(self.columns) < enough

    def add(self, column: str, codes: np.ndarray) -> None:
        """Mix one column's codes (dense ints, or float64 values by their bits) in."""
        mixed = codes.view(np.uint64).copy() if codes.dtype.itemsize == 8 \
            else codes.astype(np.uint64)
        mixed += np.uint64(1)                   # in place: no further temporaries
        mixed *= np.uint64(_multiplier(column))
        with self._lock:
            self.value += mixed
            self.columns.add(column)


def _multiplier(column: str) -> int:
    """An odd 64-bit constant derived from the column name (SplitMix64 of its CRC)."""
    x = (zlib.crc32(column.encode("utf-8")) + 0x9E3779B97F4A7C15) % (1 << 64)
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) % (1 << 64)
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) % (1 << 64)
    return (x ^ (x >> 31)) | 1
