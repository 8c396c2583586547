"""A dataset as read: an Arrow table plus how it was read and what the reader noticed.

Text formats keep every cell as the string written in the file (`"NA"`, `"0123"`, `"None"`
stay as they are); only an empty cell is null.  Deciding what is a number, a date or a missing
value is the profile's job (or the dictionary's, when a `Schema` is given: its names label a
header-less file, its positions cut a fixed-width file, its types convert columns:
engine.formats.schema_types).  Formats that store types (Excel, Parquet, JSON, SPSS/Stata/SAS)
keep them, and say which logical type each column has (`source_types`).
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field

import pyarrow as pa

from ..model import Schema


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


def logical_type(t: pa.DataType) -> str:
    """The Table Schema type of an Arrow type."""
    if pa.types.is_integer(t):
        return "integer"
    if pa.types.is_floating(t):
        return "number"
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_timestamp(t):
        return "datetime"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_time(t):
        return "time"
    return "string"


def source_types(table: pa.Table) -> dict[str, str]:
    """Each column's logical type."""
    return {name: logical_type(t) for name, t in zip(table.column_names, table.schema.types)}


def plain_table(table: pa.Table) -> pa.Table:
    """large_string/dictionary columns as plain strings so every reader hands out one kind."""
    fields = []
    for f in table.schema:
        t = f.type
        if pa.types.is_large_string(t) or pa.types.is_string_view(t) or (
                pa.types.is_dictionary(t) and pa.types.is_string(t.value_type)):
            t = pa.string()
        fields.append(pa.field(f.name, t))
    target = pa.schema(fields)
    return table if target == table.schema else table.cast(target)


def one_line(exc: BaseException) -> str:
    """An exception's message on one line."""
    return " ".join(str(exc).split()) or type(exc).__name__
