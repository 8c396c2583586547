"""SPSS .sav/.zsav/.por, Stata .dta and SAS .xpt/.sas7bdat files: the metadata stored inside
the data file is a dictionary.  Only the metadata is read (pyreadstat metadataonly=True).

Variable labels become descriptions, value labels become categories, stored formats become
types (`F8.2` -> number, `A20` -> string, `DATE11`/`%td` -> date) and are kept as `sourceType`.
SPSS user-missing values and ranges, and labels that name a missing reason ("Don't know",
"Refused", "Not applicable" …), become `missing_values` instead of categories.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Iterator

from ..errors import InputError
from ..model import Category, Field, Schema
from . import NotThisFormat, ParseContext, ParserSpec

_KINDS = {".sav": "spss-sav", ".zsav": "spss-sav", ".por": "spss-sav", ".dta": "stata-dta",
          ".xpt": "sas", ".sas7bdat": "sas"}
_NAMES = {"spss-sav": "an SPSS", "stata-dta": "a Stata", "sas": "a SAS"}
_MISSING_LABEL = re.compile(
    r"^\W*(don'?t know|do not know|dk|refused|refusal|no answer|not answered|not applicable|"
    r"inapplicable|iap|n/?a|missing|system missing|skipped|legitimate skip|not asked|"
    r"not ascertained|unknown|prefer not to (say|answer)|no response|invalid)\b",
    re.IGNORECASE)
_RANGE_LIMIT = 100   # a missing range with more codes than this is not spelled out


def read_metadata(path: str | Path, ext: str):
    """pyreadstat's metadata for a statistical file (no data rows)."""
    import pyreadstat

    readers = {".sav": pyreadstat.read_sav, ".zsav": pyreadstat.read_sav,
               ".por": pyreadstat.read_por, ".dta": pyreadstat.read_dta,
               ".xpt": pyreadstat.read_xport, ".sas7bdat": pyreadstat.read_sas7bdat}
    kwargs = {"metadataonly": True}
    if ext in (".sav", ".zsav"):
        kwargs["user_missing"] = True
    return readers[ext](str(path), **kwargs)[1]


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


# ---- the parser -----------------------------------------------------------------------------
def _magic_ok(ctx: ParseContext) -> bool:
    """Check of the first bytes against the extension's file signature."""
    with ctx.path.open("rb") as fh:
        head = fh.read(512)
    ext = ctx.ext
    if ext in (".sav", ".zsav"):
        return head.startswith((b"$FL2", b"$FL3"))
    if ext == ".dta":
        return head.startswith(b"<stata_dta>") or head[:1] in (b"\x71", b"\x72", b"\x73")
    if ext == ".xpt":
        return head.startswith(b"HEADER RECORD*******LIB")
    if ext == ".sas7bdat":
        return head[12:20] == bytes.fromhex("c2ea8160b31411cf")
    return ext == ".por" and b"SPSS PORT FILE" in head


def parse_statfile(ctx: ParseContext) -> Iterator[Field]:
    """Yield one field per variable of a .sav/.dta/.xpt/.sas7bdat file."""
    kind = _KINDS.get(ctx.ext)
    if kind is None:
        raise NotThisFormat
    if not _magic_ok(ctx):
        raise InputError(f"{ctx.filename} does not start like {_NAMES[kind]} file: it may be "
                         "damaged, or its extension does not match its format.")
    try:
        meta = read_metadata(ctx.path, ctx.ext)
    except Exception as exc:  # noqa: BLE001 - pyreadstat raises several unrelated types
        raise InputError(f"{ctx.filename} could not be read as {_NAMES[kind]} file "
                         f"({_one_line(exc)}). Check that it is not damaged and that its "
                         "extension matches its format.") from None
    if ctx.ext == ".sas7bdat":
        ctx.warn("SAS keeps value labels in a separate format catalog (.sas7bcat), not in the "
                 "data file: only variable labels and types were read.")
    if meta.file_label:
        ctx.schema_extras["description"] = str(meta.file_label)
    yield from schema_from_meta(meta).fields


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


PARSERS = [
    ParserSpec(format="spss-sav", extensions=(".sav", ".zsav", ".por"), parse=parse_statfile,
               priority=5),
    ParserSpec(format="stata-dta", extensions=(".dta",), parse=parse_statfile,
               priority=5),
    ParserSpec(format="sas", extensions=(".xpt", ".sas7bdat"), parse=parse_statfile,
               priority=5),
]
