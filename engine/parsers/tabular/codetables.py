"""Code tables printed apart from the dictionary table: `Value | Meaning` lists of one variable.

Codebooks often list a variable's codes in a table of their own, under a caption that names
the variable (`Table 2: Values of status_code`) or that the variable's description points to
(`Status of the bill (see Table 2)`).  Such a table has no name column, so it defines no
field; its codes become the categories of the one field it is about.  A code table that
names no field, or several, is left alone.
"""

from __future__ import annotations

import re

from ...formats import Document, Table
from ...model import Category, Field, merge_field
from ..codes import infer_type_from_codes
from . import cells as C
from .layout import Plan

_TABLE_REF = re.compile(r"\b(?:table|tabla|tableau|tabelle|tabela)\s+([A-Z]?\d+(?:\.\d+)?[a-z]?)\b",
                        re.I)
_MAX_CODE_CHARS = 8
_MIN_CODES = 2


def attach_code_tables(doc: Document, plans: list[Plan], fields: list[Field]) -> list[str]:
    """Give each field without codes the codes of the code table that is about it; the names
    of the workbook sheets whose codes were taken."""
    used = {id(p.table) for p in plans}
    coded = _sheet_codes(doc, used, fields)
    by_name = {f.name: f for f in fields}
    refs = _table_refs(fields)
    last: tuple[Table, Field] | None = None      # the code table just read, and its field
    for table in doc.tables:
        if id(table) in used:
            last = None
            continue
        if last is not None and _continues(last[0], table):
            tail, rows = _carried_over(table.rows)
            codes = code_table(rows)
            # a list that repeats a code of the field's is another list, not its continuation
            if codes and not {c.value for c in codes} & {c.value for c in last[1].categories}:
                _extend(last[1], codes, tail)
                last = (table, last[1])
                continue
        codes = code_table(table.rows)
        if not codes:
            last = None
            continue
        target = _target(table, by_name, refs)
        last = None
        if target is not None and not target.categories:
            target.categories = codes
            if target.type == "any":
                target.type = infer_type_from_codes(codes)
            last = (table, target)
    return coded


def _continues(prev: Table, table: Table) -> bool:
    """A code table without a caption at the top of the next page, as wide as the one before:
    the same list, continued."""
    return (not table.context and not table.heading and prev.page is not None
            and table.page == prev.page + 1
            and len(table.rows[0]) == len(prev.rows[0]))


def _carried_over(rows: list[list[str]]) -> tuple[str, list[list[str]]]:
    """(the end of the last label the page break carried over, the other rows): first rows
    of a continued list that hold no code."""
    k = 0
    while k < len(rows) and not rows[k][0].strip() and any(c.strip() for c in rows[k]):
        k += 1
    tail = " ".join(c.strip() for r in rows[:k] for c in r if c.strip())
    return tail, rows[k:]


def _extend(field: Field, codes: list[Category], tail: str = "") -> None:
    """The codes of a continued list after the field's; the end of the last label carried
    over to the new page joined to it."""
    if tail and field.categories:
        last = field.categories[-1]
        field.categories[-1] = Category(last.value, f"{last.label or ''} {tail}".strip())
    field.categories += codes
    field.type = infer_type_from_codes(field.categories)


def code_table(rows: list[list[str]]) -> list[Category]:
    """The codes of a two-column table of codes and labels (a header row of words above
    them is skipped), else []."""
    rows = [[c for c in r if c] for r in rows if any(r)]
    rows = _two_labels(rows)
    swapped = _labels_first(rows)
    if swapped:
        rows = [r[::-1] for r in rows]
    if rows and len(rows[0]) == 2 and not _code(rows[0][0]):
        rows = rows[1:]                       # `Value | Meaning`
    if len(rows) < _MIN_CODES or any(len(r) != 2 for r in rows):
        return []
    # labels hold words; labels written first may be bands of numbers (`0-17`, `90+`)
    if not all(_code(r[0]) and (re.search(r"[^\W\d_]", r[1]) or swapped) for r in rows):
        return []
    values = [r[0] for r in rows]
    if len(set(values)) != len(values):
        return []
    return [Category(v, label) for v, label in rows]


def _two_labels(rows: list[list[str]]) -> list[list[str]]:
    """`Code | Designação | Designation`: a code and its label in two languages (or a label
    and a longer one); both labels, joined, are the code's label."""
    if not rows or any(len(r) != 3 for r in rows) or not all(_code(r[0]) for r in rows[1:]):
        return rows
    if not all(re.search(r"[^\W\d_]", r[1]) and re.search(r"[^\W\d_]", r[2]) for r in rows):
        return rows
    return [[r[0], f"{r[1]} / {r[2]}"] for r in rows]


def _labels_first(rows: list[list[str]]) -> bool:
    """`0-17 | 1`: labels, then whole-number codes (below a header row, if any); the labels
    are no numbers."""
    body = rows[1:] if rows and len(rows[0]) == 2 and C.number(rows[0][1]) is None else rows
    if len(body) < _MIN_CODES or any(len(r) != 2 for r in body):
        return False
    codes = [C.number(r[1]) for r in body]
    return (all(x is not None and x.is_integer() for x in codes)
            and all(C.number(r[0]) is None for r in body))


def _code(text: str) -> bool:
    """A code as code tables write them: a number, or a short token."""
    text = text.strip()
    return C.number(text) is not None or (len(text) <= _MAX_CODE_CHARS and " " not in text
                                          and text.isalnum() and not text.isalpha()) \
        or (len(text) <= 2 and text.isalpha()) or _UPPER_CODE.fullmatch(text) is not None


# upper-case letter codes, joined by a hyphen or underscore (`AUT`, `EUB`, `UM-PT`)
_UPPER_CODE = re.compile(r"(?=.{3,8}$)[A-Z]+(?:[-_][A-Z]+)*")


def _table_refs(fields: list[Field]) -> dict[str, list[Field]]:
    """`Table 2` -> the fields whose description points to it."""
    out: dict[str, list[Field]] = {}
    for f in fields:
        for ref in set(_TABLE_REF.findall(f.description or "")):
            out.setdefault(ref.lower(), []).append(f)
    return out


def _target(table: Table, by_name: dict[str, Field], refs: dict[str, list[Field]]
            ) -> Field | None:
    """The one field a code table is about: named in its caption, else pointing to it."""
    caption = " ".join(x for x in (table.context, table.heading) if x)
    named = {n for n in re.findall(r"[A-Za-z_][\w.]*", caption) if n in by_name}
    if len(named) == 1:
        return by_name[named.pop()]
    if named:
        return None
    titled = _titled(caption, by_name)
    if titled is not None:
        return titled
    m = _TABLE_REF.search(table.context)
    pointing = refs.get(m.group(1).lower(), []) if m else []
    return pointing[0] if len(pointing) == 1 else None


_STOP = {"of", "the", "a", "an", "de", "da", "do", "del", "la", "le", "des", "du", "der", "die",
         "das", "von", "e", "y", "et", "und", "and"}


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[^\W_]+", text.lower()) if w not in _STOP)


def _titled(caption: str, by_name: dict[str, Field]) -> Field | None:
    """The one field a whole caption names: its name in other case (`Country` for
    `country`), or its label's words in any order (`Institution Type` for `Type of
    institution`)."""
    words = _words(caption)
    if not words:
        return None
    hits = [f for f in by_name.values()
            if _words(f.name.replace("_", " ")) == words
            or any(t and _words(t) == words for t in (f.title, f.description))]
    return hits[0] if len(hits) == 1 else None


# a short prefix before a sheet's name that says what it holds (`vl_SEX`, `lbl-sex`)
_SHEET_PREFIX = re.compile(r"^[a-z]{1,4}[_-]")


def _sheet_keys(name: str) -> set[str]:
    key = name.strip().lower()
    return {key, _SHEET_PREFIX.sub("", key)}


def _sheet_codes(doc: Document, used: set[int], fields: list[Field]) -> list[str]:
    """A workbook whose variable sheet names, in a field's code cells, other sheets of code
    tables (`value_label_en | INSTITUTION_TYPE_EN` and a sheet `vl_INSTITUTION_TYPE_EN`):
    the field's codes are those sheets' codes; the same codes in two sheets (a list in two
    languages) take both labels, in the order of the sheets."""
    coded: list[str] = []
    if doc.kind not in ("xlsx", "xls"):
        return coded
    sheets: dict[str, Table] = {}
    for table in doc.tables:
        if id(table) not in used:
            for key in _sheet_keys(table.name):
                sheets.setdefault(key, table)
    if not sheets:
        return coded
    for f in fields:
        refs = [x.strip().lower() for c in f.categories for x in (c.value, c.label) if x]
        tables = [sheets.get(r) for r in refs]
        if not refs or any(t is None for t in tables):
            continue
        order = {id(t): k for k, t in enumerate(doc.tables)}
        unique = sorted({id(t): t for t in tables if t is not None}.values(),
                        key=lambda t: order[id(t)])     # in the workbook's order
        lists = [c for c in (code_table(t.rows) for t in unique) if c]
        if lists:
            f.categories = _joined(lists)
            f.type = infer_type_from_codes(f.categories)
            coded += [t.name for t in unique if t.name not in coded]
    return coded


def _joined(lists: list[list[Category]]) -> list[Category]:
    """One code list from several: the same codes with each list's label joined, else the
    codes of all in order."""
    if all([c.value for c in x] == [c.value for c in lists[0]] for x in lists):
        return [Category(c.value, " / ".join(x[k].label or "" for x in lists).strip(" /"))
                for k, c in enumerate(lists[0])]
    out = Field(name="", categories=lists[0])
    for x in lists[1:]:
        out = merge_field(out, Field(name="", categories=x))
    return out.categories
