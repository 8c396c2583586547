"""Reading SAS programs: statements (ended by `;`), tokens, comments, format names.

Comments are `/* ... */` and statements that start with `*` (up to their `;`).  Their text is
kept: setup programs often ship PROC FORMAT, FORMAT statements or missing-value recodes
commented out, and that code still documents the data.
"""

from __future__ import annotations

import re

from .stata_syntax import Tok

_LEX = re.compile(r"""
    (?P<comment>/\*.*?(?:\*/|\Z))
  | (?P<nlit>(?:'(?:[^']|'')*'|"(?:[^"]|"")*")[nN](?!\w))
  | (?P<str>'(?:[^']|'')*'|"(?:[^"]|"")*")
  | (?P<fmt>\$[A-Za-z_]*\d*\.\d*|[A-Za-z_]\w*\.\d*(?![A-Za-z_]))
  | (?P<num>\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+)
  | (?P<miss>\.[A-Za-z_](?!\w)|\.(?![\w.]))
  | (?P<word>[A-Za-z_]\w*)
  | (?P<semi>;)
  | (?P<ws>\s+)
  | (?P<punct>.)
""", re.X | re.S)
_INLINE_DATA = {"DATALINES", "CARDS", "LINES", "DATALINES4", "CARDS4", "LINES4"}
_DATA_END = re.compile(r"^[ \t]*;", re.M)
_DATA_END4 = re.compile(r"^[ \t]*;;;;", re.M)
# a format or informat reference: name (a `$` for character ones), width, decimals
_FORMAT_REF = re.compile(r"(\$?(?:[A-Za-z_]\w*?)?)(\d*)\.(\d*)")


def scan(text: str) -> tuple[list[list[Tok]], list[str]]:
    """(statements as token lists, comment texts) of a SAS program."""
    statements: list[list[Tok]] = []
    comments: list[str] = []
    current: list[Tok] = []
    pos, size = 0, len(text)
    match = _LEX.match
    while pos < size:
        if not current and text.startswith(("*", "%*"), pos):
            stop = text.find(";", pos)
            stop = size if stop < 0 else stop
            comments.append(text[pos + 1:stop])
            pos = stop + 1
            continue
        m = match(text, pos)
        kind = m.lastgroup
        pos = m.end()
        if kind == "ws":
            continue
        if kind == "comment":
            comments.append(m.group()[2:-2])
        elif kind == "semi":
            if current:
                statements.append(current)
                if current[0].text.upper() in _INLINE_DATA:
                    pos = _data_end(text, pos, current[0].text.endswith("4"))
            current = []
        elif kind in ("str", "nlit"):       # 'name'n is a name literal
            raw = m.group().rstrip("nN") if kind == "nlit" else m.group()
            current.append(Tok("str" if kind == "str" else "word",
                               raw[1:-1].replace(raw[0] * 2, raw[0]), m.start(), pos))
        else:
            current.append(Tok(kind, m.group(), m.start(), pos))
    if current:
        statements.append(current)
    return statements, comments


def _data_end(text: str, pos: int, four: bool) -> int:
    """Where in-stream data lines (after DATALINES;) end: after a line holding `;` (`;;;;`)."""
    m = (_DATA_END4 if four else _DATA_END).search(text, pos)
    return m.end() if m else len(text)


def format_ref(text: str) -> tuple[str, int | None, int | None] | None:
    """`$CHAR5.` -> ("$CHAR", 5, None); `N3PF.` -> ("N3PF", None, None); `8.2` -> ("", 8, 2)."""
    m = _FORMAT_REF.fullmatch(text)
    if not m:
        return None
    name, width, decimals = m.groups()
    return (name.upper(), int(width) if width else None,
            int(decimals) if decimals else None)


def is_format(t: Tok) -> bool:
    """A format or informat token: `N3PF.`, `$CHAR5.`, `$10.`, `14.`, `8.2`."""
    return t.kind == "fmt" or t.kind == "num" and "." in t.text and not t.text.startswith(".")


def name_list(tokens: list[Tok]) -> list[str]:
    """Names of a SAS variable list, ranges kept as `a-c` / `a--c` pieces for expand_list."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.kind != "word":
            i += 1
            continue
        dashes = 0
        while i + 1 + dashes < len(tokens) and tokens[i + 1 + dashes].text == "-":
            dashes += 1
        if dashes in (1, 2) and i + 1 + dashes < len(tokens) and \
                tokens[i + 1 + dashes].kind == "word":
            out.append(f"{t.text}{'-' * dashes}{tokens[i + 1 + dashes].text}")
            i += 2 + dashes
            continue
        out.append(t.text)
        i += 1
    return out


def signed_value(tokens: list[Tok], i: int) -> tuple[Tok | None, int]:
    """The value at i (a `-` joined to the number after it) and the index after it."""
    if i < len(tokens) and tokens[i].text in ("-", "+") and i + 1 < len(tokens) and \
            tokens[i + 1].kind == "num":
        sign = "-" if tokens[i].text == "-" else ""
        nxt = tokens[i + 1]
        return Tok("num", sign + nxt.text, tokens[i].start, nxt.end), i + 2
    if i < len(tokens):
        return tokens[i], i + 1
    return None, i
