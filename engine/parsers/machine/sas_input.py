"""The SAS INPUT statement: list, column and formatted input, pointers and grouped lists.

    INPUT name $ 1-20  age 21-23 .1          column input ($ = character, .1 = decimals)
    INPUT @1 key 14.  @15 age N3PF.  +2 x 2. formatted input at pointer positions
    INPUT #2 (q1-q5) (1.)                    a variable list read with an informat list
    INPUT name $ age                         list input (no columns)
"""

from __future__ import annotations

from dataclasses import dataclass

from ._setup import expand_list, numbered
from .sas_syntax import format_ref, is_format, name_list
from .stata_syntax import Tok


@dataclass
class InputItem:
    """One variable of an INPUT statement."""

    name: str
    start: int | None = None
    end: int | None = None
    record: int = 1
    informat: str | None = None      # as written: `N3PF.`, `$CHAR5.`
    character: bool = False
    decimals: int | None = None      # column input `.2`


class _Cursor:
    """The input pointer: column (None when unknown) and record."""

    def __init__(self) -> None:
        self.column: int | None = 1
        self.record = 1
        self.records_used = False


def read_input(tokens: list[Tok], known: list[str], widths) -> list[InputItem]:
    """Variables of an INPUT statement (tokens after INPUT); `widths(informat)` gives an
    informat's width or None."""
    items: list[InputItem] = []
    cur = _Cursor()
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.text in ("@", "+", "#"):
            i = _pointer(tokens, i, cur)
        elif t.text == "/":
            cur.record, cur.column, cur.records_used = cur.record + 1, 1, True
            i += 1
        elif t.text == "(":
            i = _group(tokens, i, cur, items, known, widths)
        elif t.kind == "word":
            i = _variable(tokens, i, cur, items, widths)
        else:
            i += 1
    _fill_ends(items)
    if not cur.records_used:
        for item in items:
            item.record = 0
    return items


def _pointer(tokens: list[Tok], i: int, cur: _Cursor) -> int:
    """`@n`, `+n`, `#n`; `@'text'`, `@var` and trailing `@`/`@@` leave the column unknown."""
    mark = tokens[i].text
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is not None and nxt.text == "(":   # @(expression)
        close = next((j for j in range(i, len(tokens)) if tokens[j].text == ")"), len(tokens))
        cur.column = None
        return close + 1
    if nxt is None or nxt.kind != "num" or "." in nxt.text:
        if mark == "@" and nxt is not None and nxt.kind in ("str", "word"):
            cur.column = None
            return i + 2
        return i + 1
    n = int(nxt.text)
    if mark == "@":
        cur.column = n
    elif mark == "+":
        cur.column = None if cur.column is None else cur.column + n
    else:
        cur.record, cur.column, cur.records_used = n, 1, True
    return i + 2


def _variable(tokens: list[Tok], i: int, cur: _Cursor, items: list[InputItem], widths) -> int:
    """`name [$] [start[-end] [.d] | [:&~] informat]`; `x1-x5` is a list of names."""
    if i + 2 < len(tokens) and tokens[i + 1].text == "-" and tokens[i + 2].kind == "word":
        for name in numbered(tokens[i].text, tokens[i + 2].text):
            items.append(InputItem(name, record=cur.record))
        cur.column = None
        return i + 3
    item = InputItem(tokens[i].text, record=cur.record)
    items.append(item)
    i += 1
    if i < len(tokens) and tokens[i].text == "$":
        item.character, i = True, i + 1
    if i < len(tokens) and tokens[i].kind == "num" and "." not in tokens[i].text:
        item.start = item.end = int(tokens[i].text)
        i += 1
        if i + 1 < len(tokens) and tokens[i].text == "-" and tokens[i + 1].kind == "num":
            item.end, i = int(float(tokens[i + 1].text)), i + 2
        if i < len(tokens) and tokens[i].kind == "num" and tokens[i].text.startswith("."):
            item.decimals, i = int(tokens[i].text[1:]), i + 1
        cur.column = item.end + 1
        return i
    modified = i < len(tokens) and tokens[i].text in (":", "&", "~")
    if modified:
        i += 1
    if i < len(tokens) and is_format(tokens[i]):
        item.informat = tokens[i].text
        item.character = item.character or item.informat.startswith("$")
        if not modified and cur.column is not None:
            _place(item, cur, widths(item.informat))
        else:
            cur.column = None
        return i + 1
    cur.column = None                  # list input: fields separated by blanks
    return i


def _group(tokens: list[Tok], i: int, cur: _Cursor, items: list[InputItem], known: list[str],
           widths) -> int:
    """`(a b c1-c3) (informat list)`: the informats are used in turn, then again from the
    first; a `n*informat` repeats one."""
    close = next((j for j in range(i, len(tokens)) if tokens[j].text == ")"), len(tokens))
    names = expand_list(name_list(tokens[i + 1:close]), known)
    i = close + 1
    informats: list[str] = []
    if i < len(tokens) and tokens[i].text == "(":
        close = next((j for j in range(i, len(tokens)) if tokens[j].text == ")"), len(tokens))
        informats = _informat_list(tokens[i + 1:close])
        i = close + 1
    for k, name in enumerate(names):
        item = InputItem(name, record=cur.record)
        items.append(item)
        if not informats:
            cur.column = None
            continue
        item.informat = informats[k % len(informats)]
        item.character = item.informat.startswith("$")
        if cur.column is not None:
            _place(item, cur, widths(item.informat))
    return i


def _place(item: InputItem, cur: _Cursor, width: int | None) -> None:
    """A formatted variable starts at the pointer and, when its width is known, moves it."""
    item.start = cur.column
    if width is None or cur.column is None:
        cur.column = None
        return
    item.end = cur.column + width - 1
    cur.column += width


def _informat_list(tokens: list[Tok]) -> list[str]:
    """`1. 2*3. $5.` -> ["1.", "3.", "3.", "$5."] (pointer controls in the list are dropped)."""
    out: list[str] = []
    repeat = 1
    for t in tokens:
        if t.kind == "num" and "." not in t.text:
            repeat = int(t.text)
        elif is_format(t):
            out += [t.text] * repeat
            repeat = 1
    return out


def _fill_ends(items: list[InputItem]) -> None:
    """A formatted variable of unknown width ends where the next one on its record starts."""
    for item, nxt in zip(items, items[1:]):
        if item.start is not None and item.end is None and nxt.start and \
                nxt.record == item.record and nxt.start > item.start:
            item.end = nxt.start - 1


def informat_width(ref: str) -> int | None:
    """The width an informat reference states (`$CHAR5.` -> 5, `8.2` -> 8), else None."""
    parsed = format_ref(ref)
    return parsed[1] if parsed else None
