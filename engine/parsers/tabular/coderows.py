"""Codes and labels on rows of their own, below the row that names a field.

A field's rows: the row with its name and the rows after it with a blank or repeated name
(`groups`).  Within them, a column whose value changes on every row holds codes, a column of
words changing with it their labels (`code_pair`); a header's values column holding one short
value per row is such a code column (`values_one_per_row`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .profile import Column

__all__ = ["code_pair", "groups", "per_row", "values_one_per_row"]

_MULTI_ROW_FIELDS = 0.05   # share of fields on several rows where codes have rows of their own
_PER_ROW_CODES = 0.6        # share of multi-row fields whose values cells change on each row
# a word: two letters or more, or one Hangul syllable, kana or CJK ideograph (`男`)
_WORD = re.compile(r"[^\W\d_]{2,}|[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def groups(rows: list[list[str]], name_col: int) -> list[list[list[str]]]:
    """Rows grouped by field: a name starts a group; blank or repeated names continue it."""
    out: list[list[list[str]]] = []
    last = None
    for r in rows:
        if len({c for c in r if c}) <= 1 and not (name_col < len(r) and r[name_col]
                                                   and sum(1 for c in r if c) == 1):
            continue            # blank, or one text across the row (a heading or a note)
        name = r[name_col] if name_col < len(r) else ""
        if name and name != last or not out:
            out.append([r])
            last = name or last
        else:
            out[-1].append(r)
    return out


def per_row(grouped: list[list[list[str]]], j: int) -> float:
    """Share of multi-row fields in which column j holds a different value on every row."""
    multi = [g for g in grouped if len(g) >= 2]
    if len(multi) < 2:
        return 0.0
    hits = 0
    for g in multi:
        vals = [r[j] for r in g if j < len(r) and r[j]]
        hits += len(vals) >= 0.8 * len(g) and len(set(vals)) == len(vals)
    return hits / len(multi)


def values_one_per_row(rows: list[list[str]], roles: dict[str, int],
                       cols: dict[int, "Column"]) -> None:
    """A values column holding one short value per row, a different one on each row of a
    field (`대형마트`, `백화점` under `변수수준`): each row states a code, as a code column
    does."""
    j = roles.get("values")
    if j is None or "code" in roles or "values2" in roles:
        return
    c = cols[j]
    if c.filled < 4 or c.codes > 0.1 or c.lines > 0.1 or c.words > 3:
        return
    grouped = groups(rows, roles["name"])
    if (sum(len(g) >= 2 for g in grouped) < _MULTI_ROW_FIELDS * len(grouped)
            or per_row(grouped, j) < _PER_ROW_CODES):
        return
    roles["code"] = roles.pop("values")


def code_pair(roles: dict[str, int], free: list["Column"], grouped, taken: set[int]) -> None:
    """Codes and labels on rows of their own: short tokens and text changing on every row
    of a field (the field's name and description stay the same or blank)."""
    if "code" in roles and "code_label" in roles:
        return
    if sum(len(g) >= 2 for g in grouped) < _MULTI_ROW_FIELDS * len(grouped):
        return          # nearly every field on one row: a name repeated by chance, no codes
    changing = [c for c in free if per_row(grouped, c.j) >= 0.7]
    if "code" not in roles:
        code = next((c for c in changing if c.words <= 3 and c.short >= 0.8), None)
        if code is None:
            return
        roles["code"] = code.j
        taken.add(code.j)
    if "code_label" not in roles:
        k = roles["code"]
        labels = [c for c in changing if c.j not in taken and _worded(grouped, c.j, k) >= 0.6]
        if labels:
            best = min(labels, key=lambda c: abs(c.j - roles["code"]))
            roles["code_label"] = best.j
            taken.add(best.j)


def _worded(grouped: list[list[list[str]]], j: int, code: int) -> float:
    """Share of column j's cells with words, leaving out those that repeat the code beside
    them (the unlabelled middle points of a scale: `2 | 2`)."""
    cells = [r[j] for g in grouped for r in g
             if j < len(r) and r[j] and not (code < len(r) and r[j] == r[code])]
    return sum(1 for c in cells if _WORD.search(c)) / len(cells) if cells else 0.0
