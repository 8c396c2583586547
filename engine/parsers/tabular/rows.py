"""Turning the rows under a dictionary header into fields.

One row starts a field; the rows after it with a blank name cell (or the same name, when a
merged name cell was filled down) continue it: more codes (VALUE/LABEL pairs), more lines of
description.  A row whose cells all hold the same text, or one cell alone in capitals, is a
section heading.  The header repeated (a table continued on the next PDF page) is skipped.
Numbered notes under the table are footnotes: a note number glued to a description
(`Faixa etária2`) or a heading is taken off and the note kept with the field.  A name cell
listing several names (`` `codbar`, `district` ``) defines each of them.
"""

from __future__ import annotations

import re
from typing import Iterator

from ...model import Field
from . import cells as C
from .columns import normalize
from .draft import Draft

_IDENTIFIER = re.compile(r"^`?[A-Za-z_][\w.$]*`?$")
_CODE_START = re.compile(r"^\s*[-+]?\d+\s*[-–=:.)]")


def read_fields(body: list[list[str]], roles: dict[str, int], *, header: list[str] | None = None,
                joiner: str = "\n", section: str | None = None,
                spaced: dict[str, str] | None = None,
                shared: set[int] | None = None) -> Iterator[Field]:
    """Fields of one dictionary table (the rows under its header), in row order.

    `spaced`: names written with spaces for underscores, and the names (`spaced_names`).
    `shared`: gets the ids of the fields read from a row that lists several names."""
    table_has_unit = "unit" in roles
    notes = footnotes(body)
    identifiers = _identifier_names(body, roles["name"])
    headings = _heading_rows(body, roles["name"]) if identifiers else set()
    spaced = spaced or {}
    draft: Draft | None = None
    current_section, section_note = section, None
    table_name = ""
    for row in body:
        if not any(row) or (header and _repeats_header(row, header, roles["name"])):
            continue
        if _footnote_row(row, notes):
            continue
        spanning = (_spanning_text(row) or _caps_heading(row)
                    or (_lone_heading(row, roles["name"]) if identifiers else None)
                    or (next(c for c in row if c) if id(row) in headings else None))
        if spanning is not None:
            if draft:
                yield from _finish(draft, table_has_unit, current_section, shared)
                draft = None
            current_section, section_note = _strip_ref(spanning, notes, loose=True)
            continue
        cells = {role: row[j] for role, j in roles.items() if j < len(row) and row[j]}
        new_table = cells.get("table", table_name) != table_name
        table_name = cells.pop("table", "") or table_name
        raw = cells.pop("name", "")
        names = C.split_names(raw)
        name, rest = (names[0], "") if names else C.clean_name(raw)
        if not names:
            name, rest, glued = _name_type(name, rest)
            name = spaced.get(name, name)
            if glued and "type" not in cells:
                cells["type"] = glued
        if rest:
            cells["description"] = "\n".join(x for x in (rest, cells.get("description")) if x)
        if name and (C.is_sentence(name) or C.is_placeholder(name)):
            continue
        if draft is not None and (not name or name == draft.names[0] and not new_table):
            _add(draft, cells, notes)
            continue
        if not name:
            continue
        if draft:
            yield from _finish(draft, table_has_unit, current_section, shared)
        draft = Draft(names=names or [name], joiner=joiner, table=table_name)
        if section_note:
            draft.notes.append(section_note)
        _add(draft, cells, notes)
    if draft:
        yield from _finish(draft, table_has_unit, current_section, shared)


def _name_type(name: str, rest: str) -> tuple[str, str, str | None]:
    """(name, the rest of the cell, the type written with the name): `BillID (string)`, or
    `(string)` or `integer` on the cell's next line."""
    name, glued = C.glued_type(name)
    if glued is None and rest:
        first, _, after = rest.partition("\n")
        first = first.strip()
        _, glued = C.glued_type(f"{name} ({first.strip('()[]')})")
        if glued is not None and (first[:1] in "([" or len(first.split()) == 1):
            rest = after.strip()
        else:
            glued = None
    return name, rest, glued


def _add(draft: Draft, cells: dict[str, str], notes: dict[str, str]) -> None:
    """One row's cells into the draft, footnote numbers taken off its texts."""
    for role in ("description", "title"):
        if role in cells:
            cells[role], note = _strip_ref(cells[role], notes)
            if note and note not in draft.notes:
                draft.notes.append(note)
    draft.add(cells)


def _finish(draft: Draft, table_has_unit: bool, section: str | None,
            shared: set[int] | None = None) -> Iterator[Field]:
    """The draft's field, one per name when its name cell lists several."""
    section = draft.table or section
    for name in draft.names:
        f = draft.finish(table_has_unit)
        f.name = name
        if shared is not None and len(draft.names) > 1:
            shared.add(id(f))
        if section and "section" not in f.extras:
            f.extras["section"] = section
        yield f


def _repeats_header(row: list[str], header_row: list[str], j: int) -> bool:
    """The header row again (a table continued on the next page)."""
    if j >= len(row) or j >= len(header_row) or row[j].lower() != header_row[j].lower():
        return False
    return [normalize(c) for c in row] == [normalize(c) for c in header_row]


def _identifier_names(rows: list[list[str]], j: int) -> bool:
    """Whether the names of a table are identifiers (`age`, `VH_2021`), not phrases."""
    names = [r[j] for r in rows if j < len(r) and r[j]]
    return bool(names) and sum(bool(_IDENTIFIER.match(n)) for n in names) >= 0.8 * len(names)


_SPACED = re.compile(r"[A-Za-z][A-Za-z0-9]*(?: [A-Za-z0-9]+){1,5}")


def spaced_names(tables: list[tuple[list[list[str]], int]]) -> dict[str, str]:
    """Names written with spaces where the other names have underscores (`bills spons n`
    among `bill_id`, `last_vers`), as a PDF's text gives an underscore drawn as a rule:
    spaced name -> the name with underscores.  Only when most names are identifiers and
    most of those hold underscores.  `tables`: (rows, name column) of each table."""
    names = [C.glued_type(C.clean_name(r[j])[0])[0] for rows, j in tables for r in rows
             if j < len(r) and r[j]]
    idents = [n for n in names if C.is_identifier(n)]
    spaced = {n for n in names if _SPACED.fullmatch(n)}
    if (not spaced or len(idents) < 0.5 * len(names)
            or sum("_" in n for n in idents) < max(2, 0.5 * len(idents))):
        return {}
    return {n: n.replace(" ", "_") for n in spaced if n.replace(" ", "_") not in idents}


def _lone_heading(row: list[str], j: int) -> str | None:
    """A phrase alone in the name column of an identifier table: a section heading."""
    text = row[j] if j < len(row) else ""
    if (" " in text.strip() and len(text) <= 60 and not C.is_sentence(text)
            and not any(c for k, c in enumerate(row) if k != j)):
        return text.strip().rstrip(":")
    return None


def _heading_rows(rows: list[list[str]], j: int) -> set[int]:
    """Rows (by id) holding one short label alone, in a table whose fields take one row each:
    section headings (`DEMOGRAPHICS` in the name column of lower-case names, `Health` in the
    description column).  Not when other rows continue their field (then a lone text is more
    of the field above)."""
    lone, continuing, names = [], 0, []
    for r in rows:
        filled = [k for k, c in enumerate(r) if c]
        if not filled:
            continue
        if len(filled) == 1:
            lone.append(r)
        elif j < len(r) and r[j]:
            names.append(r[j])
        else:
            continuing += 1
    if not lone or continuing or len(names) <= len(lone):
        return set()
    caps = sum(n.isupper() for n in names) >= 0.2 * len(names)
    out = set()
    for r in lone:
        k, text = next((k, c) for k, c in enumerate(r) if c)
        if len(text.split()) > 8 or "\n" in text or _CODE_START.match(text) or \
                text.rstrip().endswith((".", ";", ",")):
            continue
        if k == j and (caps or not text.isupper() or len(text) < 3):
            continue
        out.add(id(r))
    return out


def _caps_heading(row: list[str]) -> str | None:
    """One cell alone in its row, in capitals, of two words or more: a section heading."""
    filled = {c.strip() for c in row if c.strip()}
    if len(filled) != 1:
        return None
    text = filled.pop()
    letters = [ch for ch in text if ch.isalpha()]
    if (len(text.split()) >= 2 and len(text) <= 80 and "\n" not in text and len(letters) >= 4
            and all(ch.isupper() for ch in letters) and not _CODE_START.match(text)):
        return text.rstrip(":")
    return None


def _spanning_text(row: list[str]) -> str | None:
    """The text of a row whose filled cells (two or more) all hold it: a merged heading."""
    filled = [c for c in row if c]
    if len(filled) >= 2 and len(set(filled)) == 1 and len(filled) == len(row):
        return filled[0]
    return None


# ---- footnotes ---------------------------------------------------------------------------
_FOOTNOTE = re.compile(r"^(\d{1,2})[.)]\s+(\S.*)$", re.S)
_NOTE_MARK = re.compile(r"^(?:notas?|notes?|footnotes?|observa\w*|anmerkung\w*|hinweis\w*)"
                        r"\s*:?$", re.I)


def footnotes(body: list[list[str]]) -> dict[str, str]:
    """Numbered notes under a table (`1. Refers to ...` alone in a row): number -> text."""
    out: dict[str, str] = {}
    for row in body:
        filled = {c.strip() for c in row if c.strip()}
        if len(filled) == 1:
            m = _FOOTNOTE.match(next(iter(filled)))
            if m and len(m.group(2).split()) >= 3:
                out[m.group(1)] = m.group(2).strip()
    return out if len(out) >= 1 else {}


def _footnote_row(row: list[str], notes: dict[str, str]) -> bool:
    filled = {c.strip() for c in row if c.strip()}
    if len(filled) != 1:
        return False
    text = next(iter(filled))
    m = _FOOTNOTE.match(text)
    return bool(m and m.group(1) in notes) or (bool(notes) and _NOTE_MARK.match(text) is not None)


_GLUED_REF = re.compile(r"(?<=[^\W\d_])(\d{1,2})$|(?<=[.)])\s*(\d{1,2})$")
_SPACED_REF = re.compile(r"\s(\d{1,2})$")


def _strip_ref(text: str, notes: dict[str, str], loose: bool = False) -> tuple[str, str | None]:
    """(text without a footnote number at its end, the note) when the table has that note.

    `Faixa etária2`, `No ENEM. 1`; a heading in capitals may also leave a space before it."""
    if not notes:
        return text, None
    m = _GLUED_REF.search(text) or (_SPACED_REF.search(text) if loose else None)
    ref = m and (m.group(1) or (m.group(2) if m.lastindex and m.lastindex >= 2 else None))
    if not ref or ref not in notes:
        return text, None
    return text[:m.start()].rstrip(), notes[ref]
