"""Datasets read as written: CSV/TSV and other delimited text, fixed width, Excel, Parquet, JSON,
SPSS/Stata/SAS files, into one `Dataset` holding a pyarrow Table.

Text formats keep every cell as the string written in the file (`"NA"`, `"0123"`, `"None"`
stay as they are); only an empty cell is null.  Deciding what is a number, a date or a missing
value is the profile's job (or the dictionary's, when a `Schema` is given: its names label a
header-less file, its positions cut a fixed-width file, its types convert columns).

    read_dataset(path) -> Dataset
    ├── text.read_text        delimited text (pyarrow.csv, multi-threaded), encodings;
    │                         sniff.* finds delimiter, header row and column names
    ├── lines.read_fixed      fixed width (schema positions) / blank-separated columns
    ├── sheets.read_workbook  .xlsx (openpyxl) / .xls (xlrd)
    ├── typed.read_parquet / read_json / read_statfile (pyreadstat; labels kept)
    └── schema_types          a dictionary's integer/number/date types applied to the text
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from pathlib import Path

import pyarrow as pa

from ..errors import InputError, UnsupportedFormat
from ..guard import check_dataset_file
from ..limits import check_columns
from ..model import Schema
from .memory import keep_freed_memory

TEXT_EXTENSIONS = (".csv", ".tsv", ".tab", ".txt", ".data", ".dat", ".psv", ".asc", ".prn")
EXCEL_EXTENSIONS = (".xlsx", ".xlsm", ".xls")
STAT_EXTENSIONS = (".sav", ".zsav", ".por", ".dta", ".xpt", ".sas7bdat")
JSON_EXTENSIONS = (".json", ".jsonl", ".ndjson")
PARQUET_EXTENSIONS = (".parquet", ".pq")


@dataclass
class Dataset:
    """A dataset as read: an Arrow table plus how it was read and what the reader noticed."""

    table: pa.Table
    filename: str
    format: str                                   # csv, fixed-width, xlsx, parquet, spss-sav …
    encoding: str | None = None
    delimiter: str | None = None                  # "," "\t" ";" "|" " "; "whitespace" for runs
    header: bool | None = None                    # text formats: was the first row a header
    sheet: str | None = None
    sheets: list[str] = dc_field(default_factory=list)
    warnings: list[str] = dc_field(default_factory=list)
    labels: Schema | None = None                  # variable/value labels stored in .sav/.dta
    source_types: dict[str, str] = dc_field(default_factory=dict)  # typed formats: logical types
    # per column, the declared missing tokens the schema conversion turned into nulls
    missing_tokens: dict[str, dict[str, int]] = dc_field(default_factory=dict)
    size_bytes: int = 0

    @property
    def columns(self) -> list[str]:
        return list(self.table.column_names)

    @property
    def n_rows(self) -> int:
        return self.table.num_rows

    def column(self, name: str) -> pa.ChunkedArray:
        """One column by name."""
        return self.table.column(name)

    def to_pandas(self):
        """The table as a pandas DataFrame (strings stay strings; nulls become NA)."""
        return self.table.to_pandas()

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


def read_dataset(path: str | Path, filename: str | None = None, *, sheet: str | None = None,
                 schema: Schema | None = None, header: bool | None = None,
                 encoding: str | None = None, delimiter: str | None = None,
                 typed: bool = True) -> Dataset:
    """Read a dataset file of any supported format.

    `schema` names the columns of a header-less file, gives fixed-width positions, and (unless
    `typed=False`) converts the columns it declares integer/number/date to those types.
    Raises `InputError` subclasses with messages fit for users; a file that would expand
    beyond the bounds of `engine.limits` is refused before it is expanded (`LimitExceeded`).
    """
    path = Path(path)
    filename = filename or path.name
    if not path.is_file():
        raise InputError(f"File not found: {path}")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{filename} is empty: upload a file that contains the data.")
    kind = _kind(path, filename)
    check_dataset_file(path, filename, kind)
    keep_freed_memory()
    ds = _read(kind, path, filename, sheet=sheet, schema=schema, header=header,
               encoding=encoding, delimiter=delimiter)
    check_columns(filename, ds.table.num_columns)   # the readers that can check earlier do
    ds.size_bytes = size
    if schema is not None and typed:
        from .schema_types import apply_schema_types

        apply_schema_types(ds, schema)
    return ds


def _read(kind: str, path: Path, filename: str, **opts) -> Dataset:
    """Dispatch to the reader of one kind of file."""
    if kind == "text":
        from .text import read_text

        return read_text(path, filename, **opts)
    if kind in ("xlsx", "xls"):
        from .sheets import read_workbook

        return read_workbook(path, filename, kind, sheet=opts["sheet"], schema=opts["schema"],
                             header=opts["header"])
    from . import typed

    if kind == "parquet":
        return typed.read_parquet(path, filename)
    if kind in ("json", "jsonl"):
        return typed.read_json(path, filename, lines=kind == "jsonl")
    return typed.read_statfile(path, filename)


def _kind(path: Path, filename: str) -> str:
    """The reader for this file, from its extension (or its first bytes when it has none)."""
    ext = Path(filename).suffix.lower()
    if ext in TEXT_EXTENSIONS:
        return "text"
    if ext in (".xlsx", ".xlsm"):
        return "xlsx"
    if ext == ".xls":
        return "xls"
    if ext in PARQUET_EXTENSIONS:
        return "parquet"
    if ext == ".json":
        return "json"
    if ext in (".jsonl", ".ndjson"):
        return "jsonl"
    if ext in STAT_EXTENSIONS:
        return "stat"
    if not ext:
        return _kind_from_magic(path, filename)
    raise UnsupportedFormat(
        f"{filename}: files of type '{ext}' are not supported as a dataset. Use CSV, TSV or "
        "other delimited text, fixed-width .dat, Excel (.xlsx/.xls), Parquet, JSON/JSON Lines, "
        "SPSS .sav, Stata .dta or SAS .xpt/.sas7bdat.")


def _kind_from_magic(path: Path, filename: str) -> str:
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if b"\x00" not in head:
        return "text"
    raise UnsupportedFormat(f"{filename} has no file extension and does not look like text, "
                            "Excel or Parquet: add the right extension (.csv, .xlsx …).")
