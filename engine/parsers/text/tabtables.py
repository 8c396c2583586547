"""Code tables written as tab-separated lines, apart from the list of variables.

PDF text (pdf_text.py writes a wide gap as a tab) and plain-text codebooks give a table of
one variable's values as lines of cells parted by tabs, often under a caption:

    Table 2: Versions of a bill (last_vers)
    Name    Code                        Generic Name
    IH      Introduced in the House     Introduced
    IS      Introduced in the Senate    Introduced

Read as prose, each row looks like a `NAME<TAB>description` entry, and the rows of two small
code tables can outnumber a long list of variables read less convincingly.  A block of such
lines is a code table when its cells read as codes and labels (`codetables.read_code_table`)
and something says so: a header row naming a code and a label column, a caption above it
that names one field or that a field's description points to (`see Tables 2 and 3`), or a
caption over rows without types beside a list whose entries carry types (`BillID (string)`).
Its lines are left out of the readings; its codes go to the one field the caption names, or
whose description points to it, or, without a caption, to the field named on a line right
above it (several tables of one field give it their codes together).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ...model import Field
from .codetables import CODE_HEADER, LABEL_HEADER, give, read_code_table

_CAPTION = re.compile(r"^(?:table|tabla|cuadro|tableau|tabelle|tabela|quadro)\s+"
                      r"(?P<num>[A-Z]?\d{1,3}(?:\.\d{1,2})?[a-z]?|[IVXLC]{1,6})\b\s*[.:–—-]?"
                      r"\s*(?P<title>.*)$", re.I)
_NUM = r"[A-Z]?\d{1,3}(?:\.\d{1,2})?[a-z]?|[IVXLC]{1,6}"
# `see Table 3`, `Tables 2 and 3`, `tablas 2 y 3`, `Tabellen 4-5`
_TABLE_REF = re.compile(r"\b(?:tables?|tablas?|cuadros?|tableaux?|tabellen?|tabelas?|quadros?)"
                        rf"\s+((?:{_NUM})(?:\s*(?:,|and|y|e|et|und|&|-|–)\s*(?:{_NUM}))*)\b",
                        re.I)
_REF_SPLIT = re.compile(r"\s*(?:,|and|y|e|et|und|&|-|–)\s*", re.I)
_NAME_TOKEN = re.compile(r"[A-Za-z_][\w.]*")
_TYPED = re.compile(r"\([^()]{1,24}\)")
_MIN_ROWS = 2
_CAPTION_REACH = 2      # non-blank lines between a caption and its table
_OWNER_REACH = 6        # non-blank lines between a field's name and its uncaptioned table
_LABEL_WORDS = 10       # a value's label is shorter; a variable's description often longer


@dataclass
class TabTable:
    """A block of tab-separated lines read as a table of one variable's values."""

    start: int                  # its first line (the header's, if any)
    end: int                    # the line after its last
    rows: list[list[str]]
    number: str | None = None   # the caption's table number
    caption: str = ""


def code_tables(lines: list[str], fields: list[Field]) -> list[TabTable]:
    """The code tables of a text written with tabs, given a first reading's fields (see the
    module's docstring for what makes a block of tab-separated lines one)."""
    names = {f.name for f in fields}
    refs = _references(fields)
    out = []
    for start, end in _tab_blocks(lines):
        rows = [[c.strip() for c in lines[j].strip().split("\t") if c.strip()]
                for j in range(start, end)]
        below = next((k for k, r in enumerate(rows) if _code_header(r)), 0)
        if below and end - start - below > _MIN_ROWS:  # `sex<TAB>Sex` over `Code<TAB>Label`
            start, rows = start + below, rows[below:]
        caption_line = _caption_above(lines, start)
        caption = _CAPTION.match(lines[caption_line].strip()) if caption_line is not None \
            else None
        table = TabTable(start, end, rows, caption.group("num").lower() if caption else None,
                         caption.group("title") if caption else "")
        cells = {c for r in rows for c in r}
        named = {n for n in _NAME_TOKEN.findall(table.caption) if n in names} - cells
        linked = len(named) == 1 or table.number is not None and table.number in refs
        # a table under its own caption whose rows carry no types, beside a list whose
        # entries do, is no part of that list
        apart = table.number is not None and _typed([f for f in fields if f.name not in cells]) \
            and not any(_TYPED.search(r[0]) for r in rows)
        if (linked or apart or _code_header(rows[0])) and not _described(rows) \
                and read_code_table(rows, named=linked or apart) is not None:
            out.append(table)
    return out


def _typed(fields: list[Field]) -> bool:
    """Two thirds of the fields at least carry a type as the document writes it."""
    return bool(fields) and sum(1 for f in fields if f.extras.get("sourceType")) * 3 \
        >= 2 * len(fields)


def _code_header(row: list[str]) -> bool:
    """`Value  Label`, `Código  Etiqueta`; not `Value  Obs.` over a frequency table (bodies.py
    reads those)."""
    text = " ".join(row)
    return CODE_HEADER.search(text) is not None and LABEL_HEADER.search(text) is not None \
        and not re.search(r"\d", text)


def _described(rows: list[list[str]]) -> bool:
    """Rows whose last cells are sentences describe things (variables), not values."""
    texts = [r[-1] for r in rows[1:] if len(r) >= 2]
    long = sum(1 for t in texts if t.endswith(".") or len(t.split()) > _LABEL_WORDS)
    return bool(texts) and long * 2 > len(texts)


def without_tables(lines: list[str], tables: list[TabTable]) -> list[str]:
    """The lines with the tables' lines blanked (line numbers kept)."""
    out = list(lines)
    for t in tables:
        out[t.start:t.end] = [""] * (t.end - t.start)
    return out


def attach(fields: list[Field], lines: list[str], tables: list[TabTable]) -> None:
    """Each table's codes to the field it is about, when that field has none."""
    by_name = {f.name: f for f in fields}
    refs = _references(fields)
    given: set[str] = set()  # fields whose codes came from tables (two tables of one field)
    for t in tables:
        owner = _owner(t, by_name, refs, lines)
        if owner is None or (owner.categories or owner.missing_values) \
                and owner.name not in given:
            continue
        codes = read_code_table(t.rows, named=True)
        if codes is None:
            continue
        if owner.name in given:
            known = {c.value for c in owner.categories + owner.missing_values}
            codes.categories = owner.categories + [c for c in codes.categories
                                                   if c.value not in known]
            codes.missing = owner.missing_values + [c for c in codes.missing
                                                    if c.value not in known]
        give(owner, codes)
        given.add(owner.name)


def _references(fields: list[Field]) -> dict[str, list[Field]]:
    """`2` -> the fields whose description points to `Table 2`."""
    refs: dict[str, list[Field]] = {}
    for f in fields:
        found = {n.lower() for r in _TABLE_REF.findall(f.description or "")
                 for n in _REF_SPLIT.split(r) if n}
        for ref in found:
            refs.setdefault(ref, []).append(f)
    return refs


def _owner(t: TabTable, by_name: dict[str, Field], refs: dict[str, list[Field]],
           lines: list[str]) -> Field | None:
    """The one field a table is about: named in its caption, pointing to it, or (without a
    caption) named at the start of a line right above it."""
    if t.number is not None:
        cells = {c for r in t.rows for c in r}
        named = {n for n in _NAME_TOKEN.findall(t.caption) if n in by_name} - cells
        if len(named) == 1:
            return by_name[named.pop()]
        pointing = refs.get(t.number, [])
        return pointing[0] if not named and len(pointing) == 1 else None
    seen = 0
    for i in range(t.start - 1, -1, -1):
        text = lines[i].strip()
        if not text:
            continue
        m = _NAME_TOKEN.match(text)
        if m and m.group(0) in by_name:
            return by_name[m.group(0)]
        seen += 1
        if seen >= _OWNER_REACH:
            return None
    return None


def _tab_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) of runs of lines of two cells or more parted by tabs, of one width."""
    out = []
    i = 0
    while i < len(lines):
        if "\t" not in lines[i].strip():
            i += 1
            continue
        j = i
        while j < len(lines) and "\t" in lines[j].strip():
            j += 1
        widths = Counter(len([c for c in x.strip().split("\t") if c.strip()])
                         for x in lines[i:j])
        width, n = widths.most_common(1)[0]
        if j - i >= _MIN_ROWS and width >= 2 and n >= 0.8 * (j - i):
            out.append((i, j))
        i = j
    return out


def _caption_above(lines: list[str], start: int) -> int | None:
    """The line of a `Table 2: ...` caption just above a table, if any."""
    seen = 0
    for i in range(start - 1, -1, -1):
        text = lines[i].strip()
        if not text:
            continue
        if _CAPTION.match(text):
            return i
        seen += 1
        if seen >= _CAPTION_REACH:
            return None
    return None
