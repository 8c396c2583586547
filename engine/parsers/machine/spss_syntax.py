"""Reading SPSS syntax: commands, tokens, `a TO c` variable lists and format codes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

_TOKEN = re.compile(r"""
    (?P<comment>/\*.*?(?:\*/|$))
  | (?P<str>'(?:[^']|'')*'|"(?:[^"]|"")*")
  | (?P<num>\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+)
  | (?P<word>[^\W\d][\w.@#$]*|[@#$][\w.@#$]*)
  | (?P<punct>[/(),=+\-*<>])
""", re.X | re.S | re.M)
_STRINGS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"")
# multi-word commands that begin a new statement even when the previous one lacks its period
_STARTS = re.compile(r"^(?:DATA\s+LIST|VAR\w*\s+LAB\w*|VAL\w*\s+LAB\w*|ADD\s+VAL\w*\s+LAB\w*|"
                     r"MIS\w*\s+VAL\w*|EXE\w*|SAVE\s+OUT\w*|GET\s+FILE|GET\s+DATA)\b", re.I)
_DOC_START = re.compile(r"^\s*\*+\s*(?=(?:MIS\w*\s+VAL\w*|VAL\w*\s+LAB\w*|ADD\s+VAL\w*\s+LAB\w*|"
                        r"VAR\w*\s+LAB\w*|REN\w*\s+VAR\w*)\b(?!\s*:))", re.I)
_LINE_STAR = re.compile(r"^\s*\*(?!/)")
_DATE_FORMATS = {  # SPSS format -> (type, width from which the long pattern applies, long, short)
    "DATE": ("date", 11, "%d-%b-%Y", "%d-%b-%y"),
    "ADATE": ("date", 10, "%m/%d/%Y", "%m/%d/%y"),
    "EDATE": ("date", 10, "%d.%m.%Y", "%d.%m.%y"),
    "SDATE": ("date", 10, "%Y/%m/%d", "%y/%m/%d"),
    "JDATE": ("date", 7, "%Y%j", "%y%j"),
    "DATETIME": ("datetime", 20, "%d-%b-%Y %H:%M:%S", "%d-%b-%Y %H:%M"),
    "YMDHMS": ("datetime", 19, "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"),
    "TIME": ("time", 8, "%H:%M:%S", "%H:%M"),
}
_WHOLE_WHEN_NO_DECIMALS = {"F", "N", "COMMA", "DOT", "DOLLAR", "PCT", "Z", "P", "PK", "IB",
                           "PIB", "CCA", "CCB", "CCC", "CCD", "CCE"}


@dataclass(frozen=True)
class Token:
    """A word, number, quoted string (unquoted text) or punctuation mark."""

    kind: str      # "word" | "num" | "str" | "punct"
    text: str

    @property
    def upper(self) -> str:
        """The word in upper case (keywords); empty for other tokens."""
        return self.text.upper() if self.kind == "word" else ""


def commands(text: str) -> Iterator[tuple[list[str], list[Token]]]:
    """(first words upper-cased, tokens) of each command; comment commands skipped."""
    for statement in _statements(text):
        head = statement.lstrip()
        if head.startswith("*") or re.match(r"COMMENT\b", head, re.I):
            continue
        tokens = tokenize(statement)
        words = [t.upper for t in tokens[:3] if t.kind == "word"]
        if words:
            yield words, tokens


def commented_commands(text: str) -> Iterator[tuple[list[str], list[Token]]]:
    """(first words, tokens) of dictionary commands written inside comments: a comment line
    `* MISSING VALUES` (not `* MISSING VALUES:` prose) starts one, which runs to the next such
    line or to the comment's end; a `*` opening each of its lines is dropped."""
    for statement in _statements(text):
        if not statement.lstrip().startswith("*"):
            continue
        block: list[str] | None = None
        for line in statement.splitlines():
            m = _DOC_START.match(line)
            if m and block:
                yield from _command_of("\n".join(block))
            if m:
                block = [line[m.end():]]
            elif block is not None:
                block.append(_LINE_STAR.sub("", line))
        if block:
            yield from _command_of("\n".join(block))


def _command_of(text: str) -> Iterator[tuple[list[str], list[Token]]]:
    """The (words, tokens) of one command's text, when it has any words."""
    tokens = tokenize(text)
    words = [t.upper for t in tokens[:3] if t.kind == "word"]
    if words:
        yield words, tokens


def _statements(text: str) -> Iterator[str]:
    """Commands end with a period at the end of a line (outside quotes)."""
    buf: list[str] = []
    for line in text.splitlines():
        if buf and _STARTS.match(line):
            yield "\n".join(buf)
            buf = []
        bare = _STRINGS.sub("''", line).rstrip()
        if bare.endswith("."):
            buf.append(line.rstrip()[:-1])
            yield "\n".join(buf)
            buf = []
        else:
            buf.append(line)
    if any(s.strip() for s in buf):
        yield "\n".join(buf)


def tokenize(statement: str) -> list[Token]:
    """Tokens of one command; `'a' + 'b'` string continuations joined."""
    out: list[Token] = []
    for m in _TOKEN.finditer(statement):
        kind = m.lastgroup
        if kind == "comment":
            continue
        text = m.group()
        if kind == "str":
            text = text[1:-1].replace(text[0] * 2, text[0])
            if len(out) >= 2 and out[-1].text == "+" and out[-2].kind == "str":
                out[-2:] = [Token("str", out[-2].text + text)]
                continue
        out.append(Token(kind, text))
    return out


def split_on(tokens: list[Token], mark: str) -> list[list[Token]]:
    """Tokens cut at each `mark` punctuation (the marks dropped)."""
    blocks: list[list[Token]] = [[]]
    for t in tokens:
        if t.kind == "punct" and t.text == mark:
            blocks.append([])
        else:
            blocks[-1].append(t)
    return blocks


def expand_names(names: list[str], known: list[str]) -> list[str]:
    """`a TO c` -> a, b, c (by dictionary order, else by numeric suffix: v1 TO v3)."""
    out: list[str] = []
    i = 0
    while i < len(names):
        if names[i].upper() == "TO" and out and i + 1 < len(names):
            out += _span(out.pop(), names[i + 1], known)
            i += 2
            continue
        out.append(names[i])
        i += 1
    return out


def _span(first: str, last: str, known: list[str]) -> list[str]:
    """The names from `first` to `last`: dictionary order, else numbered names."""
    upper = [k.upper() for k in known]
    a, b = first.upper(), last.upper()
    if a in upper and b in upper and upper.index(a) <= upper.index(b):
        return known[upper.index(a):upper.index(b) + 1]
    ma, mb = re.fullmatch(r"(.*?)(\d+)", first), re.fullmatch(r"(.*?)(\d+)", last)
    if ma and mb and ma.group(1).upper() == mb.group(1).upper():
        lo, hi = int(ma.group(2)), int(mb.group(2))
        width = len(ma.group(2)) if ma.group(2).startswith("0") else 0
        if lo <= hi and hi - lo < 10000:
            return [f"{ma.group(1)}{n:0{width}d}" for n in range(lo, hi + 1)]
    return [first, last]


def format_type(fmt: str) -> tuple[str, str | None]:
    """(Table Schema type, date pattern or None) of an SPSS format such as F8.2, A20, ADATE10."""
    m = re.fullmatch(r"([A-Z]+)(\d+)?(?:\.(\d+))?", fmt.strip().upper())
    if not m:
        return "any", None
    code, width, decimals = m.group(1), m.group(2), m.group(3)
    if code in ("A", "AHEX"):
        return "string", None
    if code in _DATE_FORMATS:
        ftype, wide, long, short = _DATE_FORMATS[code]
        return ftype, long if width is None or int(width) >= wide else short
    if code in _WHOLE_WHEN_NO_DECIMALS:
        whole = width is not None and int(decimals or 0) == 0 or code == "N"
        return ("integer" if whole else "number"), None
    if code in ("E", "RB", "RBHEX", "PIBHEX"):
        return "number", None
    return "string", None  # WKDAY, MONTH, MOYR, QYR, WKYR, DTIME: text in the data
