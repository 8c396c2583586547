"""The dictionary stored inside SPSS .sav/.zsav/.por, Stata .dta and SAS .xpt/.sas7bdat files,
read by pyreadstat (for a dictionary, only the metadata: metadataonly=True).

Variable labels become descriptions, value labels become categories, stored formats become
types (`F8.2` -> number, `A20` -> string, `DATE11`/`%td` -> date) and are kept as `sourceType`.
SPSS user-missing values and ranges, and labels that name a missing reason ("Don't know",
"Refused", "Not applicable" …), become `missing_values` instead of categories.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Callable

from ...model import Category, Field, Schema

_MISSING_LABEL = re.compile(
    r"^\W*(don'?t know|do not know|dk|refused|refusal|no answer|not answered|not applicable|"
    r"inapplicable|iap|n/?a|missing|system missing|skipped|legitimate skip|not asked|"
    r"not ascertained|unknown|prefer not to (say|answer)|no response|invalid)\b",
    re.IGNORECASE)
_RANGE_LIMIT = 100   # a missing range with more codes than this is not spelled out


def _reader(name: str) -> Callable[[], Callable]:
    def get() -> Callable:
        import pyreadstat

        return getattr(pyreadstat, name)
    return get


# extension -> pyreadstat's reader of it (imported when asked for)
READERS = {".sav": _reader("read_sav"), ".zsav": _reader("read_sav"),
           ".por": _reader("read_por"), ".dta": _reader("read_dta"),
           ".xpt": _reader("read_xport"), ".sas7bdat": _reader("read_sas7bdat")}


def read_metadata(path: str | Path, ext: str):
    """pyreadstat's metadata for a statistical file (no data rows)."""
    kwargs = {"metadataonly": True}
    if ext in (".sav", ".zsav"):
        kwargs["user_missing"] = True
    return READERS[ext]()(str(path), **kwargs)[1]


def starts_like(path: str | Path, ext: str) -> bool:
    """The first bytes match the file signature of the extension's format."""
    with open(path, "rb") as fh:
        head = fh.read(512)
    if ext in (".sav", ".zsav"):
        return head.startswith((b"$FL2", b"$FL3"))
    if ext == ".dta":
        return head.startswith(b"<stata_dta>") or head[:1] in (b"\x71", b"\x72", b"\x73")
    if ext == ".xpt":
        return head.startswith(b"HEADER RECORD*******LIB")
    if ext == ".sas7bdat":
        return head[12:20] == bytes.fromhex("c2ea8160b31411cf")
    return ext == ".por" and b"SPSS PORT FILE" in head


def schema_from_meta(meta: Any) -> Schema:
    """The dictionary pyreadstat metadata describes: one Field per variable."""
    return Schema(fields=[_field(meta, name) for name in meta.column_names])


def _field(meta: Any, name: str) -> Field:
    fmt = (meta.original_variable_types or {}).get(name)
    storage = (meta.readstat_variable_types or {}).get(name)
    label = (meta.column_names_to_labels or {}).get(name)
    f = Field(name=name, description=(label or "").strip() or None,
              type=field_type(fmt, storage), extras={"sourceType": fmt or storage})
    labels = (meta.variable_value_labels or {}).get(name) or {}
    missing = _declared_missing(meta, name)
    for value, text in labels.items():
        code = code_text(value)
        cat = Category(code, str(text))
        if code in missing or _in_ranges(value, meta, name) or _MISSING_LABEL.match(str(text)):
            f.missing_values.append(cat)
        else:
            f.categories.append(cat)
    known = {c.value for c in f.missing_values}
    f.missing_values += [Category(c) for c in missing if c not in known]
    ranges = _wide_ranges(meta, name)
    if ranges:
        f.extras["missingRanges"] = ranges
    f.categories_ordered = (meta.variable_measure or {}).get(name) == "ordinal" and bool(
        f.categories)
    return f


def field_type(fmt: str | None, storage: str | None) -> str:
    """The Table Schema type for a stored format (SPSS, Stata or SAS) and storage type."""
    f = (fmt or "").upper().lstrip("%-")
    if storage == "string" or f.startswith("$") or re.match(r"^(A(HEX)?\d+|\d*S)$", f):
        return "string"
    if re.match(r"^TC|^(DATETIME|YMDHMS|E8601DT|DTDATE)", f):
        return "datetime"
    if re.match(r"^(TD|D$)|^(DATE|ADATE|EDATE|SDATE|JDATE|DDMMYY|MMDDYY|YYMMDD|E8601DA|"
                r"NLDATE|WEEKDATE|WORDDATE)", f):
        return "date"
    if re.match(r"^(TIME|DTIME|MTIME|E8601TM|HHMM|TOD)", f):
        return "time"
    if f.startswith("TY"):
        return "year"
    if storage in ("int8", "int16", "int32"):
        return "integer"
    decimals = re.search(r"\.(\d+)", f)
    if decimals and decimals.group(1) == "0" and not f.endswith("G"):
        return "integer"
    return "number"


def code_text(value: Any) -> str:
    """A stored code as it is written in the data: 1.0 -> "1", "A" -> "A"."""
    if isinstance(value, float):
        if math.isinf(value):
            return "HIGHEST" if value > 0 else "LOWEST"
        if value.is_integer():
            return str(int(value))
    return str(value)


def _declared_missing(meta: Any, name: str) -> list[str]:
    """SPSS discrete missing values (and short ranges spelled out); Stata .a–.z user codes."""
    out: list[str] = []
    for r in (getattr(meta, "missing_ranges", None) or {}).get(name, []):
        lo, hi = r.get("lo"), r.get("hi")
        if lo == hi:
            out.append(code_text(lo))
        elif _whole(lo) and _whole(hi) and hi - lo <= _RANGE_LIMIT:
            out += [str(v) for v in range(int(lo), int(hi) + 1)]
    for v in (getattr(meta, "missing_user_values", None) or {}).get(name, []):
        out.append(f".{v}" if isinstance(v, str) and len(v) == 1 else code_text(v))
    return list(dict.fromkeys(out))


def _wide_ranges(meta: Any, name: str) -> list[dict[str, Any]]:
    """Missing ranges too wide (or open) to list code by code, as {"minimum", "maximum"}
    (the same `missingRanges` form the SPSS syntax and DDI parsers write)."""
    out = []
    for r in (getattr(meta, "missing_ranges", None) or {}).get(name, []):
        lo, hi = r.get("lo"), r.get("hi")
        if lo != hi and not (_whole(lo) and _whole(hi) and hi - lo <= _RANGE_LIMIT):
            out.append({"minimum": _number(lo), "maximum": _number(hi)})
    return out


def _number(v: Any) -> int | float:
    return int(v) if _whole(v) else float(v)


def _in_ranges(value: Any, meta: Any, name: str) -> bool:
    if not isinstance(value, (int, float)):
        return False
    return any(r.get("lo") is not None and r["lo"] <= value <= r["hi"]
               for r in (getattr(meta, "missing_ranges", None) or {}).get(name, []))


def _whole(v: Any) -> bool:
    return isinstance(v, (int, float)) and math.isfinite(v) and float(v).is_integer()
