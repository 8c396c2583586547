"""SAS missing-value recodes: `IF <condition on x> THEN x = .;` (`.A`-`.Z` too).

The condition is rewritten in Stata's notation (`EQ`/`=` -> `==`, `AND` -> `&`, `x IN (a, b)`
-> `inlist(x, a, b)`) and read by the same code; an ARRAY reference (`a{i}`, or `a` inside
`DO OVER a`) stands for every variable of the array.
"""

from __future__ import annotations

import re

from ._setup import Variables
from .stata_missing import add_missing, condition
from .stata_syntax import Tok

_WORD_OPS = {"EQ": "==", "GE": ">=", "LE": "<=", "GT": ">", "LT": "<", "AND": "&", "OR": "|"}
_MISSING = re.compile(r"\.[A-Za-z_]?")


def if_missing(tokens: list[Tok], variables: Variables, arrays: dict[str, list[str]]) -> None:
    """Record the codes an `IF ... THEN x = .` statement (tokens after IF) makes missing."""
    tokens = _drop_subscripts(tokens, arrays)
    then = next((i for i, t in enumerate(tokens) if t.kind == "word" and t.text.upper() == "THEN"),
                None)
    if then is None or len(tokens) != then + 4 or tokens[then + 2].text != "=" or \
            tokens[then + 3].kind != "miss" or tokens[then + 1].kind != "word":
        return
    target = tokens[then + 1].text
    cond = _stata_like(tokens[:then], target)
    found = condition(cond, target.lower()) if cond is not None else None
    if not found:
        return
    keys = arrays.get(target.upper(), [target.upper()])
    for key in keys:
        var = variables.get(key)
        if var is not None:
            add_missing(var, *found)


def _drop_subscripts(tokens: list[Tok], arrays: dict[str, list[str]]) -> list[Tok]:
    """`a{i}`, `a[i]`, `a(i)` -> `a` for array names."""
    out: list[Tok] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        out.append(t)
        i += 1
        if t.kind == "word" and t.text.upper() in arrays and i < len(tokens) and \
                tokens[i].text in ("{", "[", "("):
            close = {"{": "}", "[": "]", "(": ")"}[tokens[i].text]
            i = next((j for j in range(i, len(tokens)) if tokens[j].text == close),
                     len(tokens)) + 1
    return out


def _stata_like(tokens: list[Tok], target: str) -> list[Tok] | None:
    """The condition in Stata's notation; None for what that reader cannot take (NOT, ^=)."""
    out: list[Tok] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        word = t.text.upper() if t.kind == "word" else ""
        if word in ("NOT", "NE") or t.text in ("^", "~", "¬", "!"):
            return None
        if word in _WORD_OPS:
            out += [Tok("punct", c, t.start, t.end) for c in _WORD_OPS[word]]
        elif t.text == "=" and (not out or out[-1].text not in "<>="):
            out += [Tok("punct", "=", t.start, t.end)] * 2
        elif word == "IN" and out and i + 1 < len(tokens) and tokens[i + 1].text == "(":
            close = next((j for j in range(i, len(tokens)) if tokens[j].text == ")"), None)
            if close is None:
                return None
            subject = out.pop()
            values = _values(tokens[i + 2:close])
            if values is None:
                return None
            out += [Tok("word", "inlist", t.start, t.end), Tok("punct", "(", t.start, t.end),
                    subject]
            for v in values:
                out += [Tok("punct", ",", v.start, v.end), v]
            out.append(Tok("punct", ")", t.start, t.end))
            i = close + 1
            continue
        else:
            out.append(t)
        i += 1
    return _signed(out) if out else None


def _signed(tokens: list[Tok]) -> list[Tok] | None:
    """`-` joined to the number after it where it cannot be a subtraction."""
    out: list[Tok] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.text == "-" and i + 1 < len(tokens) and tokens[i + 1].kind == "num" and (
                not out or out[-1].kind == "punct" and out[-1].text in "(=<>,&|"):
            out.append(Tok("num", "-" + tokens[i + 1].text, t.start, tokens[i + 1].end))
            i += 2
            continue
        if t.text == ":":
            return None        # IN (a:b) ranges
        out.append(t)
        i += 1
    return out


def _values(tokens: list[Tok]) -> list[Tok] | None:
    """The numbers of an IN list (`-9, -8` or `-9 -8`); None when anything else is there."""
    out: list[Tok] = []
    sign = ""
    for t in tokens:
        if t.text in ("-", "+") and not sign:
            sign = "-" if t.text == "-" else "+"
        elif t.kind == "num":
            out.append(Tok("num", sign.replace("+", "") + t.text, t.start, t.end))
            sign = ""
        elif t.text != "," or sign:
            return None
    return out
