"""Looking at the first megabyte of a text file: encoding, delimiter, header row, column names."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field as dc_field

from ...model import Schema
from ...textio import detect_encoding

SAMPLE_BYTES = 1 << 20
_CANDIDATES = (",", "\t", ";", "|")
_NUMBER = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")
_SNIFF_ROWS = 200


@dataclass
class Layout:
    """How a delimited text file is laid out, as far as the sample shows."""

    delimiter: str                  # one character, or "whitespace" for runs of blanks
    rows: list[list[str]] = dc_field(default_factory=list)   # the sample's rows, parsed
    skip_space: bool = False        # "a, b, c": blanks after each delimiter are not data
    quoted_newlines: bool = False

    @property
    def width(self) -> int:
        """The usual number of fields per row (the most common count in the sample)."""
        counts = Counter(len(r) for r in self.rows[1:] or self.rows)
        return counts.most_common(1)[0][0] if counts else 0


def choose_encoding(sample: bytes) -> str:
    """The sample's encoding; a UTF-8 file with a few stray bytes stays UTF-8."""
    enc = detect_encoding(sample)
    if enc in ("cp1252", "latin-1") and looks_utf8(sample):
        return "utf-8"
    return enc


def looks_utf8(data: bytes) -> bool:
    """True when valid multi-byte UTF-8 characters are at least a twentieth of the invalid
    bytes (those are then Windows-1252 mixed in, or damage: decoded value by value)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - bad
    return multibyte >= 1 and multibyte * 20 >= bad


def sample_lines(text: str, complete: bool) -> str:
    """The sample without its last line when the sample cut that line in the middle."""
    if not complete and "\n" in text:
        text = text[: text.rindex("\n") + 1]
    return text


def sniff_layout(text: str, ext: str, delimiter: str | None = None) -> Layout:
    """Find the delimiter (comma, tab, semicolon, pipe, single space or runs of blanks)."""
    lines = _leading_lines(text, _SNIFF_ROWS)
    sample = "\n".join(lines)
    if delimiter:
        return _layout(sample, delimiter)
    scored = []
    for i, d in enumerate(_CANDIDATES):
        if d not in sample:
            continue
        rows = _parse(sample, d)
        width, share = _consistency(rows)
        if width >= 2:
            bonus = 1 if (ext == ".tsv" and d == "\t") or (ext == ".csv" and d == ",") else 0
            scored.append((share >= 0.9, bonus, share, -i, d))
    if scored:
        best = max(scored)
        if best[0]:
            return _layout(sample, best[-1])
    blank = _blank_layout(lines, sample)
    if blank is not None:
        return blank
    if scored:
        return _layout(sample, max(scored)[-1])
    return _layout(sample, ",")


def _leading_lines(text: str, n: int) -> list[str]:
    """The first n non-blank lines, as `text.splitlines()` gives them, splitting only as much
    of the text as they take (a sample is a megabyte; 200 lines are a few kilobytes)."""
    size = 1 << 15
    while True:
        lines = [ln for ln in text[:size].splitlines() if ln.strip()]
        if len(lines) > n or size >= len(text):  # beyond n, the last line (maybe cut) is unused
            return lines[:n]
        size *= 4


def _blank_layout(lines: list[str], sample: str) -> Layout | None:
    """Single spaces between values (german.data), or aligned runs of blanks (GSS.dat)."""
    if " " not in sample and "\t" not in sample:
        return None
    single = _parse(sample, " ")
    width, share = _consistency(single)
    if width >= 2 and share == 1.0 and all(c != "" for r in single for c in r):
        return Layout(" ", single)
    runs = [ln.split() for ln in lines]
    width, share = _consistency(runs)
    if width >= 2 and share >= 0.9:
        return Layout("whitespace", runs)
    return None


def _layout(sample: str, delimiter: str) -> Layout:
    if delimiter == "whitespace":
        return Layout(delimiter, [ln.split() for ln in sample.splitlines()])
    rows = _parse(sample, delimiter)
    skip = _blank_after_delimiter(rows)
    if skip:
        rows = [[c.lstrip(" ") for c in r] for r in rows]
    quoted_nl = any("\n" in c or "\r" in c for r in rows for c in r)
    return Layout(delimiter, rows, skip, quoted_nl)


def _parse(sample: str, delimiter: str) -> list[list[str]]:
    """The sample's rows; those before a row the csv module cannot read (a NUL byte)."""
    rows: list[list[str]] = []
    try:
        rows.extend(csv.reader(io.StringIO(sample), delimiter=delimiter))
    except csv.Error:
        pass
    return rows


def _consistency(rows: list[list[str]]) -> tuple[int, float]:
    """The most common field count and the share of rows that have it."""
    if not rows:
        return 0, 0.0
    width, n = Counter(len(r) for r in rows).most_common(1)[0]
    return width, n / len(rows)


def _blank_after_delimiter(rows: list[list[str]]) -> bool:
    """UCI style `39, State-gov, 77516`: nearly every field after the first starts with a blank."""
    later = [c for r in rows for c in r[1:] if c]
    return len(later) >= 2 and sum(c.startswith(" ") for c in later) >= 0.9 * len(later)


# ---- header ---------------------------------------------------------------------------------
def has_header(rows: list[list[str]], schema: Schema | None) -> bool:
    """Whether the first row holds column names rather than data."""
    if not rows:
        return False
    first, body = rows[0], rows[1:]
    if schema is not None and schema.fields and _matches_names(first, schema):
        return True
    numeric = sum(bool(_NUMBER.match(c)) for c in first)
    if numeric * 2 > len(first):
        return False
    if any(c.strip() and not _NUMBER.match(c) and _numeric_column(body, j)
           for j, c in enumerate(first)):
        return True  # a text cell above a column of numbers
    if numeric or sum(not c.strip() for c in first) * 2 > len(first):
        return False
    if schema is not None and len(schema.fields) == len(first) and body:
        return False  # the dictionary names the columns and this row is not those names
    return True


def _matches_names(first: list[str], schema: Schema) -> bool:
    names = {n.strip().lower() for n in schema.names}
    cells = [c.strip().lower() for c in first if c.strip()]
    return bool(cells) and sum(c in names for c in cells) >= max(1, len(cells) // 2)


def _numeric_column(body: list[list[str]], j: int) -> bool:
    cells = [r[j] for r in body if j < len(r) and r[j].strip()]
    return bool(cells) and sum(bool(_NUMBER.match(c)) for c in cells) >= 0.8 * len(cells)


# ---- names ----------------------------------------------------------------------------------
def column_names(first: list[str] | None, width: int, schema: Schema | None,
                 warn) -> list[str]:
    """Names for `width` columns: the header's, else the schema's, else column_1 … column_N."""
    if first is not None:
        names = list(first[:width])
    elif schema is not None and schema.fields:
        names = schema.names[:width]
        if len(schema.fields) != width:
            warn(f"The dictionary has {len(schema.fields)} fields but the data has {width} "
                 "columns; columns were named in dictionary order"
                 + (", the extra ones column_N." if width > len(schema.fields) else "."))
    else:
        names = []
    if first is not None and len(first) < width:
        warn(f"The header names {len(first)} columns but rows have {width} values; the "
             "unnamed columns were called column_N.")
    names += [""] * (width - len(names))
    return unique_names(names, warn)


def unique_names(names: list[str], warn) -> list[str]:
    """Empty names become column_N, repeated names get a _2, _3 … suffix."""
    out: list[str] = []
    seen: set[str] = set()
    repeated = []
    for i, name in enumerate(names, 1):
        name = name if name.strip() else f"column_{i}"
        base, k = name, 2
        while name in seen:
            name = f"{base}_{k}"
            k += 1
        if name != base:
            repeated.append(base)
        seen.add(name)
        out.append(name)
    if repeated:
        warn("Repeated column names were given suffixes: " + ", ".join(dict.fromkeys(repeated)))
    return out
