"""SPSS commands that define variables by reading data: DATA LIST and GET DATA.

`GET DATA /TYPE=TXT ... /VARIABLES = name format ...` lists names and formats; with
`/ARRANGEMENT=FIXED` each name carries 0-based columns (`name 0-3 F4.0`, `/2` for a record).
"""

from __future__ import annotations

import re

from .spss_syntax import Token, expand_names, split_on
from .spss_vars import SpssVar as _Var, var as _var

_DATA_LIST_OPTIONS = {"FILE", "FIXED", "FREE", "LIST", "RECORDS", "SKIP", "TABLE", "NOTABLE",
                      "ENCODING", "END"}
_VALUED_OPTIONS = {"FILE", "ENCODING", "END"}


def data_list(tokens: list[Token], found: dict[str, _Var]) -> None:
    """`DATA LIST FIXED / NAME 1-20 (A) AGE 21-23` and FREE/LIST with `(F8.2)` formats."""
    options, specs = _split_options(tokens[2:])
    fixed = not any(t.upper in ("FREE", "LIST") for t in options)
    records = _option(options, "RECORDS")
    record, column = 1, 1
    for block in split_on(specs, "/"):
        if block and block[0].kind == "num":
            record, block = int(float(block[0].text)), block[1:]
            column = 1
        elif records > 1 and column > 1:
            record, column = record + 1, 1  # a bare `/` moves to the next record
        column = _data_list_block(block, found, fixed, record if records > 1 else 0, column)


def _split_options(tokens: list[Token]) -> tuple[list[Token], list[Token]]:
    """(options such as FILE=x FIXED RECORDS=2, variable specs); the first `/` is optional."""
    i = 0
    while i < len(tokens) and tokens[i].upper in _DATA_LIST_OPTIONS:
        i += 1
        if i < len(tokens) and tokens[i].text == "=":
            i += 2
        elif tokens[i - 1].upper in _VALUED_OPTIONS and i < len(tokens) and \
                tokens[i].kind in ("word", "str") and tokens[i].upper not in _DATA_LIST_OPTIONS:
            i += 1      # `FILE handle` without the `=`
        elif i < len(tokens) and tokens[i].text == "(":
            i = next((j for j in range(i, len(tokens)) if tokens[j].text == ")"), i) + 1
    return tokens[:i], tokens[i:]


def _option(tokens: list[Token], key: str) -> int:
    """The number after `KEY=` among a command's options (1 when absent)."""
    for i, t in enumerate(tokens[:-2]):
        if t.upper == key and tokens[i + 2].kind == "num":
            return int(float(tokens[i + 2].text))
    return 1


def _data_list_block(block: list[Token], found: dict[str, _Var], fixed: bool, record: int,
                     column: int) -> int:
    """One record's variable specs; returns the next free column."""
    names: list[str] = []
    i = 0
    while i < len(block):
        t = block[i]
        if t.kind == "word":
            names.append(t.text)
            i += 1
            continue
        start = end = None
        if t.kind == "num":
            start = end = int(float(t.text))
            i += 1
            if i + 1 < len(block) and block[i].text == "-" and block[i + 1].kind == "num":
                end, i = int(float(block[i + 1].text)), i + 2
        fmt = None
        if i < len(block) and block[i].text == "(":
            close = next((j for j in range(i, len(block)) if block[j].text == ")"), len(block))
            fmt, i = "".join(x.text for x in block[i + 1:close]), close + 1
        elif start is None:
            i += 1  # stray punctuation
            continue
        if fixed and start is None and fmt:
            start, end = _after(column, fmt)
        _define(expand_names(names, list(found)), found, start, end, fmt, record)
        column = (end or column - 1) + 1
        names = []
    if names:  # FREE/LIST without formats: names only
        _define(expand_names(names, list(found)), found, None, None, None, record)
    return column


def _after(column: int, fmt: str) -> tuple[int | None, int | None]:
    """Columns of a FIXED variable given only a format (`(A10)` follows the previous one)."""
    m = re.match(r"[A-Za-z]*(\d+)", fmt)
    return (column, column + int(m.group(1)) - 1) if m else (None, None)


def _define(names: list[str], found: dict[str, _Var], start: int | None, end: int | None,
            fmt: str | None, record: int) -> None:
    """Give `names` their columns (shared equally when several) and format; record 0: one."""
    width = (end - start + 1) // len(names) if start and end and names else None
    for k, name in enumerate(names):
        var = _var(found, name, spell=True)
        var.in_data_list = True
        if fmt:
            var.fmt = _implied(fmt, width)
        if start is not None:
            s = start + k * width if width else start
            var.position = {"start": s, "end": s + width - 1 if width else end}
            if record:
                var.position["record"] = record


def _implied(fmt: str, width: int | None) -> str:
    """DATA LIST formats take the column width: `(2)` is F<w>.2, `(A)` A<w>, `(F,1)` F<w>.1."""
    fmt = fmt.upper()
    if re.fullmatch(r"\d+", fmt):
        return f"F{width or ''}.{fmt}"
    m = re.fullmatch(r"([A-Z]+)(?:,(\d+))?", fmt)
    if m and width:
        return f"{m.group(1)}{width}" + (f".{m.group(2)}" if m.group(2) else "")
    return fmt


def get_data(tokens: list[Token], found: dict[str, _Var]) -> None:
    """`GET DATA /TYPE=TXT ... /VARIABLES = a F8.2 b A10` (FIXED: `a 0-7 F8.2`)."""
    at = next((i for i, t in enumerate(tokens) if t.upper == "VARIABLES" and i and
               tokens[i - 1].text == "/"), None)
    if at is None:
        return
    fixed = any(t.upper == "FIXED" for t in tokens[:at])
    specs = tokens[at + 2:] if tokens[at + 1:at + 2] and tokens[at + 1].text == "=" else \
        tokens[at + 1:]
    record, i = 0, 0
    while i + 1 < len(specs):
        t = specs[i]
        if t.text == "/" and specs[i + 1].kind == "num":
            record, i = int(float(specs[i + 1].text)), i + 2
        elif t.text == "/":
            break
        elif fixed and t.kind == "word" and i + 4 < len(specs) and specs[i + 2].text == "-":
            start, end = int(float(specs[i + 1].text)) + 1, int(float(specs[i + 3].text)) + 1
            _define([t.text], found, start, end, specs[i + 4].text.upper(), record)
            i += 5
        elif t.kind == "word" and specs[i + 1].kind == "word":
            _define([t.text], found, None, None, specs[i + 1].text.upper(), 0)
            i += 2
        else:
            i += 1
