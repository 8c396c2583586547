"""Reading Stata do-files: statements (newline- or `#delimit ;`-terminated), tokens, comments.

Comments are `/* */` (nested), `//` and `///` (a continuation) after a blank, and `*` at the
start of a statement (to the end of the line, or to the next `;` under `#delimit ;`).  Their
text is kept: setup files often ship code commented out (missing-value recodes) that still
documents the data.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_LEX = re.compile(r"""
    (?P<delim>^[ \t]*\#d(?:e(?:l(?:i(?:m(?:i(?:t)?)?)?)?)?)?[ \t]+(?P<mode>;|cr)[^\n]*)
  | (?P<open>/\*)
  | (?P<cont>(?:^|(?<=[ \t]))///[^\n]*(?:\n|$))
  | (?P<line>(?:^|(?<=[ \t]))//[^\n]*)
  | (?P<str>`"(?:[^"]|"(?!'))*"'|"[^"\n]*")
  | (?P<nl>\n)
  | (?P<semi>;)
  | (?P<fmt>%-?~?\d*(?:\.\d+)?[a-zA-Z][^\s;,()]*)
  | (?P<num>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+|\.[a-zA-Z](?!\w)|\.(?![\w.]))
  | (?P<word>[A-Za-z_]\w*)
  | (?P<ws>[ \t\r\f\v]+)
  | (?P<punct>.)
""", re.X | re.M)
_NESTING = re.compile(r"/\*|\*/")
_LONG_STRING = re.compile(r'(?P<str>"[^"]*")')


class Tok(NamedTuple):
    """A token: kind (word, num, str, fmt, punct), text (strings unquoted) and where it lies."""

    kind: str
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        """A word in lower case (commands and keywords); empty for other tokens."""
        return self.text.lower() if self.kind == "word" else ""


def scan(text: str) -> tuple[list[list[Tok]], list[str]]:
    """(statements as token lists, comment texts) of a do-file."""
    statements: list[list[Tok]] = []
    comments: list[str] = []
    current: list[Tok] = []
    semicolon = False
    pos, size = 0, len(text)

    def end_statement() -> None:
        nonlocal current
        while current and current[-1].kind == "punct" and current[-1].text == ";":
            current.pop()
        if current:
            statements.append(current)
            current = []

    while pos < size:
        if not current and text[pos] == "*":
            stop = _star_end(text, pos, semicolon)
            comments.append(text[pos + 1:stop])
            pos = stop + 1
            continue
        # under #delimit ; a line break is only a blank, also inside a string
        m = (semicolon and text[pos] == '"' and _LONG_STRING.match(text, pos)) or \
            _LEX.match(text, pos)
        kind = m.lastgroup
        if kind == "open":
            stop = _comment_end(text, m.end())
            comments.append(text[m.end():stop])
            pos = stop + 2
            continue
        pos = m.end()
        if kind == "delim":
            end_statement()
            semicolon = m.group("mode") == ";"
        elif kind == "line":
            comments.append(m.group()[2:])
        elif kind in ("nl", "semi"):
            if (kind == "semi") == semicolon:
                end_statement()
            elif kind == "semi":
                current.append(Tok("punct", ";", m.start(), pos))
        elif kind == "str":
            body = m.group()[2:-2] if m.group().startswith("`") else m.group()[1:-1]
            # `\$` and `\`` keep Stata from expanding a macro: the text is `$`, a backquote
            current.append(Tok("str", re.sub(r"\\(?=[$`])", "", body), m.start(), pos))
        elif kind not in ("ws", "cont"):
            current.append(Tok(kind, m.group(), m.start(), pos))
    end_statement()
    return statements, comments


def _star_end(text: str, pos: int, semicolon: bool) -> int:
    """Where a `*` comment stops: the next `;` (#delimit ;) or the end of the line."""
    stop = text.find(";" if semicolon else "\n", pos)
    return len(text) if stop < 0 else stop


def _comment_end(text: str, pos: int) -> int:
    """The index of the `*/` closing a `/*` opened just before `pos` (comments nest)."""
    depth = 1
    for m in _NESTING.finditer(text, pos):
        depth += 1 if m.group() == "/*" else -1
        if depth == 0:
            return m.start()
    return len(text)


def pieces(tokens: list[Tok]) -> list[str]:
    """Tokens glued where nothing separates them (`x*`, `a-c`), as texts."""
    out: list[str] = []
    last_end = -1
    for t in tokens:
        if out and t.start == last_end and t.kind != "str":
            out[-1] += t.text
        else:
            out.append(t.text)
        last_end = t.end
    return out


def signed(tokens: list[Tok]) -> list[Tok]:
    """Tokens with a `-` glued to the number after it (`-` `9` -> `-9`)."""
    out: list[Tok] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.text == "-" and i + 1 < len(tokens) and tokens[i + 1].kind == "num" and (
                not out or out[-1].kind != "num" or out[-1].end != t.start):
            nxt = tokens[i + 1]
            out.append(Tok("num", "-" + nxt.text, t.start, nxt.end))
            i += 2
            continue
        out.append(t)
        i += 1
    return out


# ---- loops --------------------------------------------------------------------------------------
_MAX_ITERATIONS = 1000


def expand_loops(statements: list[list[Tok]]) -> list[list[Tok]]:
    """Statements with `forvalues i = 1/20 { ... }` and `foreach x in a b { ... }` bodies
    repeated once per value, `` `i' `` replaced; loops over anything else (`of varlist`,
    `of local`) are dropped, their bodies naming no variable the reader can know."""
    out: list[list[Tok]] = []
    i = 0
    while i < len(statements):
        st = statements[i]
        if not (st and st[-1].text == "{" and st[0].low in _LOOPS):
            out.append(st)
            i += 1
            continue
        end = _loop_end(statements, i)
        header = _loop_values(st[:-1])
        body = expand_loops(statements[i + 1:end])
        if header is not None:
            name, values = header
            out += [_substitute(b, name, v) for v in values for b in body]
        i = end + 1
    return out


_LOOPS = {"forvalues", "forval", "forv", "foreach"}


def _loop_end(statements: list[list[Tok]], start: int) -> int:
    """Index of the `}` statement closing the loop opened at `start` (nested loops skipped)."""
    depth = 0
    for j in range(start, len(statements)):
        st = statements[j]
        if st and st[-1].text == "{":
            depth += 1
        if st and st[0].text == "}":
            depth -= 1
            if depth == 0:
                return j
    return len(statements)


def _loop_values(header: list[Tok]) -> tuple[str, list[str]] | None:
    """(macro name, values) of `forvalues i = 1/20`, `forvalues i = 1(2)9`,
    `foreach x in a b c`, `foreach x of numlist 1/5 7`; None for other loops."""
    if len(header) < 3 or header[1].kind != "word":
        return None
    name, rest = header[1].text, header[2:]
    if header[0].low.startswith("forv") and rest[0].text == "=":
        return name, _numlist(pieces(rest[1:]))
    if header[0].low == "foreach" and rest[0].low == "in":
        return name, [t.text for t in rest[1:] if t.kind in ("word", "num", "str")]
    if header[0].low == "foreach" and len(rest) > 1 and rest[0].low == "of" and \
            rest[1].low == "numlist":
        return name, _numlist(pieces(rest[2:]))
    return None


def _numlist(items: list[str]) -> list[str]:
    """`1/20`, `1(2)9`, `3 5 8` as the numbers they list (at most _MAX_ITERATIONS)."""
    out: list[str] = []
    for item in items:
        m = re.fullmatch(r"(-?\d+)(?:/|\((\d+)\))(-?\d+)", item)
        if m:
            step = int(m.group(2) or 1) or 1
            out += [str(n) for n in range(int(m.group(1)), int(m.group(3)) + 1, step)]
        elif re.fullmatch(r"-?\d+", item):
            out.append(item)
    return out[:_MAX_ITERATIONS]


def _substitute(tokens: list[Tok], name: str, value: str) -> list[Tok]:
    """A statement with `` `name' `` replaced by `value`; pieces left touching are joined
    (`RG_` `` `i' `` `_F` -> `RG_1_F`)."""
    ref = f"`{name}'"
    out: list[Tok] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.text == "`" and i + 2 < len(tokens) and tokens[i + 1].text == name and \
                tokens[i + 2].text == "'":
            t = Tok("word", value, t.start, tokens[i + 2].end)
            i += 2
        elif t.kind == "str" and ref in t.text:
            t = Tok("str", t.text.replace(ref, value), t.start, t.end)
        if out and t.kind in ("word", "num") and out[-1].kind in ("word", "num") and \
                out[-1].end == t.start:
            out[-1] = Tok("word", out[-1].text + t.text, out[-1].start, t.end)
        else:
            out.append(t)
        i += 1
    return out
