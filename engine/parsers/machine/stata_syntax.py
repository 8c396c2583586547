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
            current.append(Tok("str", body, m.start(), pos))
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
