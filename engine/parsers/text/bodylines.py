"""The kinds of the lines below a field head (bodies.py makes blocks of them): blank, junk
(R console output), stat, tab (`Label<TAB>explanation`), bullet, lead (a bold key over a
list), note, code (code first or last), codesp/codeword/codeletter, count, options, aside,
bare (a short line without closing punctuation) and text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...model import Category
from ..codes import parse_code_line
from .bodystats import ANSWER_WORDS, STAT_WORDS, is_stat_line, stat_runs
from .names import PREAMBLE_WORDS
from .options import options_in_line

_R_OUTPUT = re.compile(r"^##\s")
_BULLET = re.compile(r"^(?:[-*+–—](?:\s+|\t)|[•▪◦·☐□○◯●■▢❑◻]\s*)(?=\S)")
_CODE_LAST = re.compile(r"^(?P<label>.*?[^\W\d_].*?)(?:\s*(?P<sep>[-–—=:]+|\|)\s*|\s+)"
                        r"(?P<code>\d{1,3})\.?\s*(?P<note>\([^)]*\))?\s*$")
_ENDS_IN_CODE = re.compile(r"\d\.?\s*(?:\([^)]*\))?\s*$")
# a table row, code first (`1 | Male`, `01|AL|Alabama`: the other cells label the code)
_PIPE_FIRST = re.compile(r"^(?P<code>[-+]?\d{1,3})\s*\|\s*(?P<label>[^\W\d_].*)$")
_SHORT_DASH = re.compile(r"^(?P<code>[A-Z0-9]{1,4})\s*[–—-]\s*(?P<label>[^\W\d_].*)$")
_CODE_SPACE = re.compile(r"^(?P<code>[A-Za-z]{0,3}[-.]?\d{1,3}[a-z]?)\s+(?P<label>[^\W\d_].*)$")
_CODE_LETTER = re.compile(r"^(?P<code>[A-Za-z])[.)]\s+(?P<label>\S.*)$")
_CODE_WORD = re.compile(r"^(?P<code>[A-Z0-9]{1,3})\s+(?P<word>[^\W\d_]{2,})\s+(?:=\s*)?"
                        r"(?P<label>\S.*)$")
_COUNT_ROW = re.compile(r"^(?P<label>\S.*?)\s+(?P<nums>[-+]?\d[\d,.]*%?(?:\s+[-+]?\d[\d,.]*%?)*)$")
_BULLET_MARKS = {"-", "*", "+", "–", "—", "•", "▪", "◦", "·", "o", "☐", "□", "○", "◯", "●", "■",
                 "▢", "❑", "◻"}
_NUMBER_CODE = re.compile(r"^-?\d{1,3}$")
_COUNTS = re.compile(r"^[-+]?\d[\d,.]*%?(?:\s+[-+]?\d[\d,.]*%?)*$")
LETTER = re.compile(r"[^\W\d_]")
_QUOTED = re.compile(r"^([\"“‘'«„])([^\"“”‘’'«»„]+)[\"”’'»“]$")
NOTE_KEY = re.compile(r"^([^\W\d_][\w.-]*(?: [^\W\d_][\w.-]*)?)\s*:\s+\S")
# the keys of notes on a field (`Source: ...`, `Note: ...`, `Range: ...`)
NOTE_WORDS = (STAT_WORDS - ANSWER_WORDS) | PREAMBLE_WORDS | {
    "fuente", "fonte", "quelle", "nota", "notas", "remarque", "anmerkung", "hinweis",
    "comment", "comments", "comentario", "commentaire", "kommentar", "unit", "units", "unidad",
    "unidade", "unité", "einheit", "type", "tipo", "typ", "definition", "definición",
    "definição", "définition"}
_MAX_BARE_WORDS = 5
_MAX_BARE_CHARS = 40
# Markdown emphasis around a list item's leading key (`**Type:** UInt8`, `__Modalities:__`)
_EMPH_KEY = re.compile(r"^(\*\*|__)([^*_]{1,40}?:?)\1(?=\s|$)")
# a list item that is a code in a code span, with or without its label (`` `"phone"`: on the
# phone ``, `` `1`: "dense" ``, `` `"monday"` ``)
_SPAN_CODE = re.compile(r"^`([^`\s]{1,40})`(?:\s*[:=–—-]\s*(?P<label>\S.*))?$")
_SENTENCE_END = (".", "!", "?", ":", ";")


@dataclass
class Line:
    text: str
    kind: str
    data: tuple = ()
    bullet: bool = False   # a list item


# ---- line kinds -----------------------------------------------------------------------------
def join_continuations(lines: list[str]) -> list[str]:
    """A list item wrapped onto the next line (no blank between, the item not ended by
    punctuation, the next line starting lower-case or with a bracket or quote) is one line."""
    out: list[str] = []
    for raw in lines:
        text = raw.strip()
        prev = out[-1] if out else ""
        if text and prev and _BULLET.match(prev) and not _BULLET.match(text) \
                and not prev.endswith(_SENTENCE_END) \
                and (text[0].islower() or text[0] in "(\"'«“"):
            out[-1] = f"{prev} {text}"
        else:
            out.append(raw)
    return out


def is_code_line(raw: str) -> bool:
    """Whether a line reads as a code and its label (`1 = Male`, `Female – 2`, `01|AL`)."""
    return classify(raw).kind == "code"


def classify(raw: str) -> Line:
    """A line and its kind: blank, junk, stat, tab, bullet, code, count, bare, text."""
    text = raw.strip()
    if not text:
        return Line("", "blank")
    if _R_OUTPUT.match(text):
        return Line(text, "junk")
    if is_stat_line(text):
        return Line(text, "stat")
    if "\t" in text:
        left, right = (p.strip() for p in text.split("\t", 1))
        if left in _BULLET_MARKS:
            return _bullet(right)
        if _NUMBER_CODE.match(left) and LETTER.search(right) and "\t" not in right:
            # `1<TAB>Jefe` among `2 Cónyuge`: a PDF's gap after a code is a blank
            return _plain(f"{left} {right}")
        if _COUNTS.match(right):
            return Line(text, "count", (left, right.split()))
        if left and right and len(left) <= _MAX_BARE_CHARS and len(left.split()) <= 6:
            return Line(text, "tab", (left.rstrip(":").strip(), right))
        text = " ".join(text.split())
    m = _BULLET.match(text)
    if m:
        line = _bullet(text[m.end():])
        line.bullet = True
        return line
    before, options = options_in_line(text)
    if options:
        return Line(text, "options", (before, options))
    return _plain(text)


def mark_stat_runs(items: list[Line]) -> list[Line]:
    """The lines that join a run of statistics become statistics (bodystats.stat_runs)."""
    for i in stat_runs([x.kind for x in items], [x.text for x in items]):
        items[i] = Line(items[i].text, "stat")
    return items


def _bullet(text: str) -> Line:
    keyed = _EMPH_KEY.match(text)
    if keyed:  # `**Guarantees:**`, `**Type:** UInt8`: a key set in bold keys what follows
        text = _EMPH_KEY.sub(r"\2", text, count=1)
        if text.rstrip().endswith(":"):
            return Line(text, "lead")
        m = NOTE_KEY.match(text)
        if m and m.group(1).lower() in NOTE_WORDS:
            return Line(text, "note")  # `Type: UInt8`: a note on the field
    if text.rstrip().endswith(":"):
        return Line(text, "text")  # `Tabulation:` leads to what follows; no option
    m = _SPAN_CODE.match(text)
    if m:
        code = unquote(m.group(1))
        if not m.group("label"):
            return Line(code, "bullet")   # a value alone: an option without a code
        return Line(text, "code", (Category(code, unquote(m.group("label").strip())), None))
    inner = _plain(text)
    return inner if inner.kind == "code" else Line(text, "bullet")


def _plain(text: str) -> Line:
    """A line that is no bullet, tab row or statistic."""
    first = parse_code_line(text)
    if first is not None and first.label and not LETTER.search(first.label):
        first = None  # `“B”).`: the end of a wrapped sentence
    m = _PIPE_FIRST.match(text) if first is None else None
    if m:
        first = Category(m.group("code"), m.group("label").strip())
    m = _SHORT_DASH.match(text) if first is None else None
    if m:
        first = Category(m.group("code"), m.group("label").strip())
    last = code_at_end(text)
    if last is not None and not last[2] and first is None:
        last = None  # `Strongly agree 1` or `Australia 21600`: decided by its block
    if first is not None or last is not None:
        return Line(text, "code", (first, last))
    for pattern, kind in ((_CODE_LETTER, "codeletter"), (_CODE_SPACE, "codesp"),
                          (_CODE_WORD, "codeword")):
        m = pattern.match(text)
        if m:
            return Line(text, kind, tuple(m.groupdict().values()))
    m = _COUNT_ROW.match(text)
    if m:
        return Line(text, "count", (m.group("label"), m.group("nums").split()))
    if text.startswith("(") and ")" in text and len(text[1:text.index(")")].split()) >= 4:
        return Line(text, "aside")
    if _is_bare(text):
        return Line(text, "bare")
    return Line(text, "text")


def code_at_end(text: str) -> tuple[Category, str | None, bool] | None:
    """(code, note, whether a separator stood before the code) for `Label – 3 (note)`."""
    if not _ENDS_IN_CODE.search(text):
        return None  # the pattern's end, checked first: long prose lines are slow to try
    m = _CODE_LAST.match(text)
    if not m or m.group("label").rstrip()[-1:] in "-–—=:([":
        return None
    label = m.group("label").strip().strip("*").strip()
    note = m.group("note")[1:-1].strip() if m.group("note") else None
    return Category(m.group("code"), label), note, m.group("sep") is not None


def _is_bare(text: str) -> bool:
    """A short line without closing punctuation: an option label or a group heading."""
    return (len(text) <= _MAX_BARE_CHARS and len(text.split()) <= _MAX_BARE_WORDS
            and text[-1] not in ".,;:!?" and LETTER.search(text) is not None)


def unquote(text: str) -> str:
    """A value without the quotes around the whole of it (`"phone"` -> `phone`)."""
    m = _QUOTED.match(text)
    return m.group(2) if m else text
