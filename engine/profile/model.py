"""The profile's data classes and their JSON, Markdown and table forms."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field as dc_field
from typing import Any

COLUMN_TABLE = ["name", "type", "missing", "missing %", "distinct", "min", "max", "mean",
                "top values", "notes"]


@dataclass
class ColumnProfile:
    """What one column holds.  Every key is always present in `to_dict()` (None when n/a).

    `missing` counts empty cells (nulls; NaN in typed files).  NA-like tokens ("NA", "NULL",
    "?", "-" …) are *not* missing here: they are counted in `na_like`, because only a
    dictionary can say whether "NA" means missing or Namibia.  `nonconforming` lists values
    that do not read as the inferred type (e.g. "PrivacySuppressed" in a number column).
    Numbers are compared as numbers for `distinct` and `top`.
    """

    name: str
    type: str = "string"            # integer, number, boolean, date, datetime, time, string, any
    source_type: str | None = None  # the type a typed file (xlsx, parquet, sav …) stored
    count: int = 0                  # non-missing values
    missing: int = 0
    missing_pct: float = 0.0
    distinct: int = 0
    unique: bool = False            # every non-missing value occurs once
    categorical: bool = False       # few distinct values: looks like codes
    blank: int = 0                  # values that are empty or only whitespace (not null)
    na_like: dict[str, int] = dc_field(default_factory=dict)
    nonconforming: dict[str, int] = dc_field(default_factory=dict)   # top 5
    nonconforming_count: int = 0
    min: Any = None
    max: Any = None
    mean: float | None = None
    std: float | None = None
    p25: Any = None
    p50: Any = None
    p75: Any = None
    min_length: int | None = None
    max_length: int | None = None
    top: list[dict[str, Any]] = dc_field(default_factory=list)  # [{"value": "A", "count": 3}]
    examples: list[str] = dc_field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def notes(self) -> str:
        """NA-like tokens, stray values, blanks: what a reader of the table should know."""
        parts = []
        if self.na_like:
            parts.append("NA-like: " + ", ".join(f"{k} ×{v}" for k, v in self.na_like.items()))
        if self.nonconforming:
            parts.append(f"not {self.type}: " + ", ".join(
                f"{k} ×{v}" for k, v in self.nonconforming.items()))
        if self.blank:
            parts.append(f"blank ×{self.blank}")
        if self.unique and self.count > 1:
            parts.append("all values distinct")
        elif self.categorical:
            parts.append("categorical")
        return "; ".join(parts)

    def row(self) -> list[Any]:
        """One row of the columns table (COLUMN_TABLE order)."""
        top = ", ".join(f"{t['value']} ({t['count']})" for t in self.top[:3])
        return [self.name, self.type, self.missing, self.missing_pct, self.distinct,
                _cell(self.min), _cell(self.max), _cell(self.mean), top, self.notes()]


@dataclass
class Profile:
    """A dataset's profile: table-level facts and one ColumnProfile per column."""

    filename: str
    format: str
    rows: int
    columns: list[ColumnProfile]
    encoding: str | None = None
    delimiter: str | None = None
    header: bool | None = None
    sheet: str | None = None
    sheets: list[str] = dc_field(default_factory=list)
    size_bytes: int = 0
    memory_bytes: int = 0
    duplicate_rows: int = 0          # rows equal to an earlier row in every column
    duplicate_examples: list[dict[str, int]] = dc_field(default_factory=list)  # row, same_as
    warnings: list[str] = dc_field(default_factory=list)
    seconds: float = 0.0
    # the variable and value labels a .sav/.dta file carries: a dictionary (Table Schema v2)
    dictionary: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable, stable keys; row numbers count data rows from 1."""
        d = {k: v for k, v in asdict(self).items() if k != "columns"}
        d["column_count"] = len(self.columns)
        d["columns"] = [c.to_dict() for c in self.columns]   # last: the long part
        return d

    def column(self, name: str) -> ColumnProfile | None:
        return next((c for c in self.columns if c.name == name), None)

    def summary_markdown(self) -> str:
        """One paragraph: size, format, duplicates."""
        how = ", ".join(x for x in (self.format, self.encoding, _delim(self.delimiter),
                                    f"sheet '{self.sheet}'" if self.sheet else None) if x)
        dup = (f"{self.duplicate_rows} duplicate rows (first: row "
               f"{self.duplicate_examples[0]['row']} = row {self.duplicate_examples[0]['same_as']})"
               if self.duplicate_rows else "no duplicate rows")
        labels = ""
        if self.dictionary:
            labels = (f" The file carries its own dictionary: {len(self.dictionary['fields'])} "
                      "labelled variables (under `dictionary` in the profile JSON; upload the "
                      "file in the Dictionary tab to see and download it as a Table Schema).")
        return (f"**{self.rows} rows × {len(self.columns)} columns** in `{self.filename}` "
                f"({how}; {_size(self.size_bytes)}); {dup}. Profiled in {self.seconds:.2f} s."
                + labels)

    def column_rows(self):
        """The columns table as a pandas DataFrame (headers: COLUMN_TABLE)."""
        import pandas as pd

        return pd.DataFrame([c.row() for c in self.columns], columns=COLUMN_TABLE)

    def to_markdown(self) -> str:
        """The summary, a columns table and the warnings, as Markdown."""
        lines = [self.summary_markdown(), "", "| " + " | ".join(COLUMN_TABLE) + " |",
                 "|" + "---|" * len(COLUMN_TABLE)]
        for c in self.columns:
            cells = [str(v).replace("|", "\\|").replace("\n", " ") for v in c.row()]
            lines.append("| " + " | ".join(cells) + " |")
        if self.warnings:
            lines += ["", "**Warnings**", ""] + [f"- {w}" for w in self.warnings]
        return "\n".join(lines) + "\n"


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def _delim(d: str | None) -> str | None:
    names = {",": "comma-separated", "\t": "tab-separated", ";": "semicolon-separated",
             "|": "pipe-separated", " ": "space-separated", "whitespace": "blank-separated"}
    return names.get(d, f"'{d}'-separated") if d else None


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n} bytes"  # pragma: no cover
