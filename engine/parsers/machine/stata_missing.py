"""Missing-value recodes in Stata: `replace x = . if ...`, `mvdecode`, `recode (... = .)`.

Setup programs turn the data's missing-value codes into Stata missing values; the codes they
turn are the variable's missing values.  Only plain conditions on the variable itself are read
(`x == -9`, `x >= -9 & x <= -1`, `inlist(x, -8, -9)`, `inrange(x, -9, -1)`, `x < 0`); a
condition on anything else means the recode is about something other than missing codes.
"""

from __future__ import annotations

import re

from ._common import code_text
from ._setup import Variables, expand_list
from .stata_syntax import Tok, pieces, signed

_MISSING = re.compile(r"\.[a-z]?")
Range = tuple[str | None, str | None]


def missing_recode(tokens: list[Tok], variables: Variables) -> None:
    """Record the codes a `replace`/`mvdecode`/`recode` statement turns into missing."""
    word = tokens[0].low if tokens else ""
    if word == "replace":
        _replace(tokens[1:], variables)
    elif word == "mvdecode":
        _mvdecode(tokens[1:], variables)
    elif word == "recode":
        _recode(tokens[1:], variables)


def _targets(names: list[str], variables: Variables) -> list:
    """Known variables of a variable list (`_all` and `*` mean every one)."""
    if names in (["_all"], ["*"]):
        return list(variables.values())
    found = (variables.find(n) for n in expand_list(names, variables))
    return [v for v in found if v is not None]


def add_missing(var, codes: list[str], ranges: list[Range]) -> None:
    """Give a variable missing codes and ranges."""
    for c in codes:
        var.missing.setdefault(c, None)
    for r in ranges:
        if r not in var.ranges:
            var.ranges.append(r)


# ---- replace x = . if <condition> ------------------------------------------------------------


def _replace(tokens: list[Tok], variables: Variables) -> None:
    """`replace x = .[a-z] if <condition on x>`."""
    if len(tokens) < 5 or tokens[1].text != "=" or not _MISSING.fullmatch(tokens[2].text) \
            or tokens[3].low != "if":
        return
    var = variables.find(tokens[0].text)
    if var is None:
        return
    found = condition(signed(tokens[4:]), tokens[0].text.lower())
    if found:
        add_missing(var, *found)


def condition(tokens: list[Tok], name: str) -> tuple[list[str], list[Range]] | None:
    """(codes, ranges) a condition on `name` selects, or None when it is not that simple."""
    codes: list[str] = []
    ranges: list[Range] = []
    for part in _split(_unwrap(tokens), "|"):
        part = _unwrap(part)
        if len(part) > 2 and part[0].low in ("inlist", "inrange") and part[1].text == "(":
            found = _function(part, name)
        else:
            found = _comparisons(_split(part, "&"), name)
        if found is None:
            return None
        codes += found[0]
        ranges += found[1]
    return (codes, ranges) if codes or ranges else None


def _unwrap(tokens: list[Tok]) -> list[Tok]:
    """Tokens without parentheses around the whole of them."""
    while len(tokens) > 2 and tokens[0].text == "(" and tokens[-1].text == ")" and \
            _closing(tokens, 0) == len(tokens) - 1:
        tokens = tokens[1:-1]
    return tokens


def _closing(tokens: list[Tok], i: int) -> int:
    """Index of the `)` matching the `(` at i (-1 when unbalanced)."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += {"(": 1, ")": -1}.get(tokens[j].text, 0) if tokens[j].kind == "punct" else 0
        if depth == 0:
            return j
    return -1


def _split(tokens: list[Tok], mark: str) -> list[list[Tok]]:
    """Tokens cut at `mark` (or a doubled `mark`) outside parentheses."""
    parts: list[list[Tok]] = [[]]
    depth = 0
    for t in tokens:
        if t.kind == "punct" and t.text in "()":
            depth += 1 if t.text == "(" else -1
        if t.kind == "punct" and t.text == mark and depth == 0:
            if parts[-1]:
                parts.append([])
            continue
        parts[-1].append(t)
    return parts


def _function(part: list[Tok], name: str) -> tuple[list[str], list[Range]] | None:
    """`inlist(x, a, b, ...)` or `inrange(x, lo, hi)`."""
    args = [a for a in _split(part[2:-1], ",")]
    if part[-1].text != ")" or not args or [t.low for t in args[0]] != [name]:
        return None
    values = [a[0].text for a in args[1:] if len(a) == 1 and a[0].kind == "num"]
    if len(values) != len(args) - 1:
        return None
    if part[0].low == "inlist":
        return [code_text(v) for v in values], []
    return ([], [(code_text(values[0]), code_text(values[1]))]) if len(values) == 2 else None


def _comparisons(parts: list[list[Tok]], name: str) -> tuple[list[str], list[Range]] | None:
    """`x == v` alone, or bounds such as `x >= lo & x <= hi`, `x < 0`."""
    lo = hi = None
    codes: list[str] = []
    for part in parts:
        found = _compare(_unwrap(part), name)
        if found is None:
            return None
        op, value = found
        if op == "==":
            codes.append(value)
        elif op in (">=", ">"):
            lo = value if op == ">=" else _step(value, 1)
        else:
            hi = value if op == "<=" else _step(value, -1)
        if (op in (">", "<")) and (lo if op == ">" else hi) is None:
            return None
    if codes and (lo is not None or hi is not None or len(codes) > 1):
        return None
    return (codes, []) if codes else ([], [(lo, hi)]) if lo is not None or hi is not None else None


def _compare(part: list[Tok], name: str) -> tuple[str, str] | None:
    """(operator, value) of `name op value` or `value op name` (then the operator flips)."""
    texts = [t.text for t in part]
    ops = {"==": "==", ">=": ">=", "<=": "<=", ">": ">", "<": "<"}
    for k in range(1, len(part) - 1):
        op = "".join(texts[1:k + 1])
        if op not in ops or len(part) != k + 2:
            continue
        left, right = part[0], part[-1]
        if left.low == name and right.kind == "num" and not _MISSING.fullmatch(right.text):
            return op, code_text(right.text)
        if right.low == name and left.kind == "num":
            flipped = {">=": "<=", "<=": ">=", ">": "<", "<": ">", "==": "=="}[op]
            return flipped, code_text(left.text)
    return None


def _step(value: str, by: int) -> str | None:
    """A strict bound made inclusive for whole codes (`< 0` -> `<= -1`), else None."""
    return str(int(value) + by) if re.fullmatch(r"-?\d+", value) else None


# ---- mvdecode and recode ---------------------------------------------------------------------


def _mvdecode(tokens: list[Tok], variables: Variables) -> None:
    """`mvdecode varlist, mv(numlist [= .a] [\\ numlist = .b])`."""
    comma = next((i for i, t in enumerate(tokens) if t.text == ","), None)
    if comma is None:
        return
    opts = tokens[comma + 1:]
    at = next((i for i, t in enumerate(opts) if t.low in ("mv", "mv2")), None)
    if at is None or at + 1 >= len(opts) or opts[at + 1].text != "(":
        return
    close = _closing(opts, at + 1)
    codes: list[str] = []
    ranges: list[Range] = []
    for part in _split(signed(opts[at + 2:close]), "\\"):
        numlist = part[:next((i for i, t in enumerate(part) if t.text == "="), len(part))]
        found = _numlist(numlist)
        if found is None:
            return
        codes += found[0]
        ranges += found[1]
    for var in _targets(pieces(tokens[:comma]), variables):
        add_missing(var, codes, ranges)


def _numlist(tokens: list[Tok]) -> tuple[list[str], list[Range]] | None:
    """`-9 -8 -5/-1 min/-1` -> (codes, ranges); None for anything else."""
    codes: list[str] = []
    ranges: list[Range] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.kind not in ("num", "word") or t.kind == "word" and t.low not in ("min", "max"):
            return None
        if i + 2 < len(tokens) and tokens[i + 1].text == "/":
            ends = [None if x.kind == "word" else code_text(x.text) for x in (t, tokens[i + 2])]
            ranges.append((ends[0], ends[1]))
            i += 3
            continue
        if t.kind == "word":
            return None
        codes.append(code_text(t.text))
        i += 1
    return codes, ranges


def _recode(tokens: list[Tok], variables: Variables) -> None:
    """`recode varlist (numlist = .) ...`: the rules whose result is a missing value."""
    first = next((i for i, t in enumerate(tokens) if t.text == "("), None)
    if first is None:
        return
    codes: list[str] = []
    ranges: list[Range] = []
    i = first
    while i < len(tokens) and tokens[i].text == "(":
        close = _closing(tokens, i)
        if close < 0:
            return
        rule = signed(tokens[i + 1:close])
        eq = next((k for k, t in enumerate(rule) if t.text == "="), None)
        if eq is not None and eq + 2 == len(rule) and _MISSING.fullmatch(rule[-1].text):
            found = _numlist(rule[:eq])
            if found:
                codes += found[0]
                ranges += found[1]
        i = close + 1
    for var in _targets(pieces(tokens[:first]), variables):
        add_missing(var, codes, ranges)
