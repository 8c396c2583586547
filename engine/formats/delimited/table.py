"""Delimited dictionaries (CSV, TSV, semicolon or pipe separated): the delimiter sniffed from the
first records, every record read into one table of cleaned cells (rows a stray delimiter split
mended: ragged.py)."""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter

from ...errors import InputError
from ...limits import CellBudget, check_columns
from ..document import Document, Table, clean_cell, rectangular
from .ragged import mend_overflow

_DELIMITERS = (",", "\t", ";", "|")
_SAMPLE_CHARS = 65536


def sniff_delimiter(text: str, prefer: str = ",") -> tuple[str, float]:
    """The delimiter whose field count is the most consistent in the first lines, and that share.

    The share is of sampled records having the commonest field count of two or more (0.0 when
    no delimiter splits any line).
    """
    sample = text[:_SAMPLE_CHARS]
    best, best_score = prefer, 0.0
    for delim in sorted(_DELIMITERS, key=lambda d: d != prefer):
        score = _consistency(sample, delim, cut=len(text) > len(sample))
        if score > best_score:
            best, best_score = delim, score
    return best, best_score


def _consistency(sample: str, delim: str, cut: bool) -> float:
    """Share of records with the commonest field count of two or more (title rows aside)."""
    # the first 100 records decide, so reading stops after 101 (the last may be cut off), unless
    # a later line could still raise csv.Error (a carriage return inside a line, a long field)
    safe = "\r" not in sample and csv.field_size_limit() >= len(sample)
    reader = csv.reader(io.StringIO(sample), delimiter=delim)
    try:
        records = list(itertools.islice((r for r in reader if any(r)), 101 if safe else None))
    except csv.Error:
        return 0.0
    if cut and len(records) > 1:
        records = records[:-1]          # the sample may end inside a record
    records = records[:100]
    # a record with one filled cell (a title, a `| comment` line) says nothing about delimiters
    counts = Counter(len(r) for r in records
                     if len(r) >= 2 and sum(1 for c in r if c.strip()) >= 2)
    if len(records) < 2 or not counts:
        return 0.0
    return counts.most_common(1)[0][1] / len(records)


def read_delimited(text: str, delimiter: str, filename: str = "The file") -> list[list[str]]:
    """All records of delimited text, cells cleaned (cells and columns counted first)."""
    budget = CellBudget(filename)
    rows: list[list[str]] = []
    lines: list[str | None] = []          # each record's line as written (None: several)
    width = 0
    physical = io.StringIO(text).readlines()
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        last = 0
        for row in reader:
            budget.take(len(row), "the table")
            width = max(width, len(row))
            at, last = last, reader.line_num
            lines.append(physical[at] if last == at + 1 else None)
            rows.append(row)
    except csv.Error as exc:   # a field past the line bound (a quote left open), a NUL
        raise InputError(f"{filename} could not be read as delimited text ({exc}): check for "
                         "an unclosed quote, or save it again as CSV.") from None
    check_columns(filename, width)
    budget.take(width * len(rows) - budget.used, "the table")
    mend_overflow(rows, lines, delimiter)
    return rectangular([[clean_cell(c) for c in row] for row in rows])


def load_csv(text: str, ext: str, filename: str = "The file") -> Document:
    """A delimited file: one table."""
    delim, _ = sniff_delimiter(text, prefer="\t" if ext in (".tsv", ".tab") else ",")
    return Document(kind="csv", text=text, pages=[text],
                    tables=[Table(rows=read_delimited(text, delim, filename), name="table 1")])
