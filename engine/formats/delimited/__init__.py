"""Delimited text: CSV, TSV, semicolon- or pipe-separated files, and the line-based datasets
(fixed width at a dictionary's positions, columns separated by runs of blanks).

    table.py    a dictionary's table: delimiter sniffed, records read, cells cleaned (ragged.py
                mends rows a stray delimiter split)
    sniff.py    a dataset's encoding, delimiter, header row and column names from its head
    read.py     a dataset read by pyarrow.csv (multi-threaded), every cell the string written
    lines.py    fixed-width and blank-separated datasets
"""

from __future__ import annotations

from ..format import Format, Source
from ..textfile import reading_text, text_document


def _document(src: Source):
    from .table import load_csv

    return text_document(src, lambda text, filename: load_csv(text, src.ext, filename))


def read_dataset_text(src: Source):
    """A delimited or fixed-width dataset (read.py)."""
    from .read import read_text

    return read_text(src.path, src.filename, **src.options)


CSV = Format("csv", (".csv", ".tsv", ".tab"), "a delimited text file",
             document=_document, text=reading_text, dataset=read_dataset_text)
FORMATS = [CSV]
