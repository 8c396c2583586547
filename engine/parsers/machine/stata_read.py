"""Stata commands that read data or set types: `infix`, `infile`, `format`, `recast`."""

from __future__ import annotations

import re

from ._setup import SetupVar, Variables, expand_list
from .stata_syntax import Tok, pieces

_TYPES = {"byte": "integer", "int": "integer", "long": "integer", "float": "number",
          "double": "number"}
_STR_TYPE = re.compile(r"str(?:\d+|L)?", re.I)



_PLAIN_NAME = re.compile(r"[A-Za-z_]\w*")

def infix(tokens: list[Tok], variables: Variables) -> None:
    """`infix [# lines] [type] name start[-end] ... [#:] [/] using file`."""
    lines, record, storage = 1, 1, None
    i = 0
    if len(tokens) > 1 and tokens[0].kind == "num" and tokens[1].low == "lines":
        lines, i = int(float(tokens[0].text)), 2
    while i < len(tokens):
        t = tokens[i]
        if t.low == "using":
            break
        if t.kind == "num" and i + 1 < len(tokens) and tokens[i + 1].text == ":":
            record, i = int(float(t.text)), i + 2
        elif t.text == "/":
            record, i = record + 1, i + 1
        elif t.kind == "word" and is_type(t.text) and i + 1 < len(tokens) and \
                tokens[i + 1].kind == "word":
            storage, i = t.text, i + 1
        elif t.kind == "word" and i + 1 < len(tokens) and tokens[i + 1].kind == "num":
            i = _infix_var(tokens, i, variables, storage, record if lines > 1 else 0)
            storage = None
        else:
            i += 1


def _infix_var(tokens: list[Tok], i: int, variables: Variables, storage: str | None,
               record: int) -> int:
    """One `name start[-end]` of an infix list; returns the index after it."""
    start = end = int(float(tokens[i + 1].text))
    j = i + 2
    if j + 1 < len(tokens) and tokens[j].text == "-" and tokens[j + 1].kind == "num":
        end, j = int(float(tokens[j + 1].text)), j + 2
    var = variables.get_or_add(tokens[i].text)
    var.position = {"start": start, "end": end}
    if record:
        var.position["record"] = record
    _storage(var, storage, "infix")
    return j


def infile(tokens: list[Tok], variables: Variables) -> None:
    """`infile [type] name ... using file` (free format: names and types, no columns)."""
    storage = None
    for name in pieces([t for t in tokens if t.kind in ("word", "punct", "num")]):
        if name.lower() == "using":
            break
        if is_type(name):
            storage = name
        elif re.fullmatch(r"[A-Za-z_]\w*", name):
            for one in expand_list([name], variables):
                _storage(variables.get_or_add(one), storage, "infile")
            storage = None


def file_name(tokens: list[Tok]) -> str:
    """The file a `using` names ("" for a macro such as `dict', which says nothing)."""
    name = pieces(tokens)[0] if tokens else ""
    return "" if not name or "`" in name or "$" in name else name


def is_type(word: str) -> bool:
    """A Stata storage type: byte int long float double str# strL."""
    return word.lower() in _TYPES or _STR_TYPE.fullmatch(word) is not None


def _storage(var: SetupVar, storage: str | None, how: str) -> None:
    """Type from a storage type; none written means float (numeric, decimals possible)."""
    if storage and _STR_TYPE.fullmatch(storage):
        var.type, var.loose = "string", False
    elif storage:
        var.type, var.loose = _TYPES[storage.lower()], False
    else:
        var.type, var.loose = "number", True
    if storage:
        var.source[how] = storage


def format_command(tokens: list[Tok], variables: Variables, define: bool = False) -> None:
    """`format varlist %fmt [varlist %fmt ...]` (or `format %fmt varlist`): types, dates
    (`define`: a variable named by its plain name is created on first mention)."""
    names: list[Tok] = []
    pending: str | None = None
    for t in tokens + [Tok("end", "", -1, -1)]:
        if t.kind == "fmt" or t.kind == "end":
            if pending is None and t.kind == "fmt" and not names:
                pending = t.text
                continue
            fmt = t.text if t.kind == "fmt" else pending
            for name in expand_list(pieces(names), variables):
                var = variables.find(name)
                if var is None and define and _PLAIN_NAME.fullmatch(name):
                    var = variables.get_or_add(name)
                if var is not None and fmt:
                    _apply_format(var, fmt)
            names = []
        else:
            names.append(t)


def _apply_format(var: SetupVar, fmt: str) -> None:
    """A display format tells string, date and decimal variables apart."""
    var.source["format"] = fmt
    body = fmt.lstrip("%-~0123456789.")
    if body.startswith(("td", "d")):
        var.type, var.format, var.loose = "date", None, False
    elif body.startswith(("tc", "tC")):
        var.type, var.format, var.loose = "datetime", None, False
    elif body.endswith("s") and not body.startswith("t"):
        var.type, var.loose = "string", False
    elif var.type in (None, "number", "integer") and re.search(r"\.([1-9])\d*[fg]", fmt):
        var.type, var.loose = "number", False


def recast(tokens: list[Tok], variables: Variables) -> None:
    """`recast type varlist`."""
    if len(tokens) < 2 or not is_type(tokens[0].text):
        return
    for name in expand_list(pieces(tokens[1:]), variables):
        var = variables.find(name)
        if var is not None:
            _storage(var, tokens[0].text, "recast")
