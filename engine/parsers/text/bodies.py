"""The lines below a field head: its description, its answer options, and what is neither.

Each line gets a kind from its shape, then runs of lines of one family become blocks:

* code lines, code first or code last (`99 – missing`, `Female – 1`, `Strongly agree 1`,
  `C–Calgary`, `C-1 Spruce-Lichen Woodland`, `A class = 0 to 0.1 ha`): a code list.  Which
  end holds the code is decided per line, and by the block's majority where both fit
  (`5 – 10 hours – 3`).  A short line between them is a group heading (`Coniferous`);
* bullets (`- Female`, `• Male`): answer options without codes, when there are two or more
  and they are no notes (`• Source: ...`, sentences);
* `Label<TAB>explanation` rows (a two-column block of a PDF): the labels are the options,
  or codes with their labels when every left cell is a short upper-case code;
* three or more short lines without closing punctuation (`Bottom`, `Flat`, `Lower 1/3`);
* a frequency table (`Value Obs.` then `Australia 21600` ...): its string values are the
  categories; the counts are not codes and the `Missing 0` row is not a value;
* summary statistics (`Obs. 214960`, `Mean 44.7`, `Min. 2`) and R console output
  (`## [1] ...`): dropped, they are observations, not definitions;
* a remark in parentheses (`(note to self – ...)`) after the description: an aside.

Everything else is description, in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field

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
_TAB_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_\-./]{0,7}$")
_LETTER = re.compile(r"[^\W\d_]")
_QUOTED = re.compile(r"^([\"“‘'«„])([^\"“”‘’'«»„]+)[\"”’'»“]$")
_NOTE_KEY = re.compile(r"^([^\W\d_][\w.-]*(?: [^\W\d_][\w.-]*)?)\s*:\s+\S")
# the keys of notes on a field (`Source: ...`, `Note: ...`, `Range: ...`)
NOTE_WORDS = (STAT_WORDS - ANSWER_WORDS) | PREAMBLE_WORDS | {
    "fuente", "fonte", "quelle", "nota", "notas", "remarque", "anmerkung", "hinweis",
    "comment", "comments", "comentario", "commentaire", "kommentar", "unit", "units", "unidad",
    "unidade", "unité", "einheit", "type", "tipo", "typ", "definition", "definición",
    "definição", "définition"}
# a lone code line `241 unique names` (no separator) is a count in a note, not a code list
_SPACED_CODE = re.compile(r"^[-+]?\d+(?:\.\d+)?\s+[^\W\d_]")
_MAX_BARE_WORDS = 5
# `Definition: Age of patient`: the key says the line is the description
_DEFINITION_KEY = re.compile(r"^(?:definition|definici[oó]n|defini[cç][aã]o|d[ée]finition|"
                             r"description|descripci[oó]n|descri[cç][aã]o|beschreibung)\s*:\s*"
                             r"(?=\S)", re.I)
_LONE_KEY = re.compile(r"^[^\W\d_][\w.-]*(?: [^\W\d_][\w.-]*)?\s*:$")
_MAX_BARE_CHARS = 40
# Markdown emphasis around a list item's leading key (`**Type:** UInt8`, `__Modalities:__`)
_EMPH_KEY = re.compile(r"^(\*\*|__)([^*_]{1,40}?:?)\1(?=\s|$)")
# a list item that is a code in a code span, with or without its label (`` `"phone"`: on the
# phone ``, `` `1`: "dense" ``, `` `"monday"` ``)
_SPAN_CODE = re.compile(r"^`([^`\s]{1,40})`(?:\s*[:=–—-]\s*(?P<label>\S.*))?$")
_SENTENCE_END = (".", "!", "?", ":", ";")


@dataclass
class Body:
    """What the lines below a head hold."""

    description: list[str] = dc_field(default_factory=list)
    categories: list[Category] = dc_field(default_factory=list)
    asides: list[str] = dc_field(default_factory=list)
    notes: list[str] = dc_field(default_factory=list)   # remarks on options, for the text
    coded: bool = False   # a code list was read (options without codes then are notes)


@dataclass
class _Line:
    text: str
    kind: str
    data: tuple = ()
    bullet: bool = False   # a list item


def read_body(lines: list[str], name: str = "", head_text: str = "") -> Body:
    """The description, options and asides of one field's body lines (`head_text`: the text
    on the head's own line)."""
    items = _stat_runs([_classify(raw) for raw in _join_continuations(lines)])
    body = Body()
    led = -1
    under_key = False   # in a list below a `Guarantees:` item: its other items are notes
    i = 0
    while i < len(items):
        item = items[i]
        if item.kind == "blank":
            i += 1
            continue
        end = _block_end(items, i)
        block = [x for x in items[i:end] if x.kind != "blank"]
        intro = body.description[-1] if body.description else head_text
        known = len(body.categories)
        has_text = bool(head_text or body.description)
        if item.kind == "lead" and has_text:
            body.asides.append(item.text)   # a list item keying the items below it
            under_key = True
            end = i + 1
        elif under_key and item.kind == "bullet" and has_text \
                and any(x.text.endswith(".") for x in block):
            body.asides += [x.text for x in block]   # statements under the key: no options
        elif not _take_block(block, body, items, i, intro):
            if item.bullet and (under_key or item.kind == "note") and has_text:
                body.asides.append(item.text)
            else:
                _as_text(item, body, has_text, name)
                under_key = under_key and item.bullet
            end = i + 1
        elif len(body.categories) > known:
            led = len(body.description)  # `Geschlecht:` led to the codes: it describes
        i = end
    _drop_trailing_intro(body, led)
    if body.coded:  # `- Feet` / `- Meter` explained above a `Meter | 1` table: the table counts
        body.categories = [c for c in body.categories if c.value != c.label]
    return body


# ---- line kinds -----------------------------------------------------------------------------
def _join_continuations(lines: list[str]) -> list[str]:
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
    return _classify(raw).kind == "code"


def _classify(raw: str) -> _Line:
    """A line and its kind: blank, junk, stat, tab, bullet, code, count, bare, text."""
    text = raw.strip()
    if not text:
        return _Line("", "blank")
    if _R_OUTPUT.match(text):
        return _Line(text, "junk")
    if is_stat_line(text):
        return _Line(text, "stat")
    if "\t" in text:
        left, right = (p.strip() for p in text.split("\t", 1))
        if left in _BULLET_MARKS:
            return _bullet(right)
        if _NUMBER_CODE.match(left) and _LETTER.search(right) and "\t" not in right:
            # `1<TAB>Jefe` among `2 Cónyuge`: a PDF's gap after a code is a blank
            return _plain(f"{left} {right}")
        if _COUNTS.match(right):
            return _Line(text, "count", (left, right.split()))
        if left and right and len(left) <= _MAX_BARE_CHARS and len(left.split()) <= 6:
            return _Line(text, "tab", (left.rstrip(":").strip(), right))
        text = " ".join(text.split())
    m = _BULLET.match(text)
    if m:
        line = _bullet(text[m.end():])
        line.bullet = True
        return line
    before, options = options_in_line(text)
    if options:
        return _Line(text, "options", (before, options))
    return _plain(text)


def _stat_runs(items: list[_Line]) -> list[_Line]:
    """The lines that join a run of statistics become statistics (bodystats.stat_runs)."""
    for i in stat_runs([x.kind for x in items], [x.text for x in items]):
        items[i] = _Line(items[i].text, "stat")
    return items


def _bullet(text: str) -> _Line:
    keyed = _EMPH_KEY.match(text)
    if keyed:  # `**Guarantees:**`, `**Type:** UInt8`: a key set in bold keys what follows
        text = _EMPH_KEY.sub(r"\2", text, count=1)
        if text.rstrip().endswith(":"):
            return _Line(text, "lead")
        m = _NOTE_KEY.match(text)
        if m and m.group(1).lower() in NOTE_WORDS:
            return _Line(text, "note")  # `Type: UInt8`: a note on the field
    if text.rstrip().endswith(":"):
        return _Line(text, "text")  # `Tabulation:` leads to what follows; no option
    m = _SPAN_CODE.match(text)
    if m:
        code = _unquote(m.group(1))
        if not m.group("label"):
            return _Line(code, "bullet")   # a value alone: an option without a code
        return _Line(text, "code", (Category(code, _unquote(m.group("label").strip())), None))
    inner = _plain(text)
    return inner if inner.kind == "code" else _Line(text, "bullet")


def _plain(text: str) -> _Line:
    """A line that is no bullet, tab row or statistic."""
    first = parse_code_line(text)
    if first is not None and first.label and not _LETTER.search(first.label):
        first = None  # `“B”).`: the end of a wrapped sentence
    m = _PIPE_FIRST.match(text) if first is None else None
    if m:
        first = Category(m.group("code"), m.group("label").strip())
    m = _SHORT_DASH.match(text) if first is None else None
    if m:
        first = Category(m.group("code"), m.group("label").strip())
    last = _code_last(text)
    if last is not None and not last[2] and first is None:
        last = None  # `Strongly agree 1` or `Australia 21600`: decided by its block
    if first is not None or last is not None:
        return _Line(text, "code", (first, last))
    for pattern, kind in ((_CODE_LETTER, "codeletter"), (_CODE_SPACE, "codesp"),
                          (_CODE_WORD, "codeword")):
        m = pattern.match(text)
        if m:
            return _Line(text, kind, tuple(m.groupdict().values()))
    m = _COUNT_ROW.match(text)
    if m:
        return _Line(text, "count", (m.group("label"), m.group("nums").split()))
    if text.startswith("(") and ")" in text and len(text[1:text.index(")")].split()) >= 4:
        return _Line(text, "aside")
    if _is_bare(text):
        return _Line(text, "bare")
    return _Line(text, "text")


def _code_last(text: str) -> tuple[Category, str | None, bool] | None:
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
            and text[-1] not in ".,;:!?" and _LETTER.search(text) is not None)


# ---- blocks ---------------------------------------------------------------------------------
_FAMILY = {"code": "code", "codesp": "code", "codeword": "code", "codeletter": "code",
           "count": "count",
           "stat": "count", "bullet": "bullet", "tab": "tab", "bare": "bare", "junk": "junk",
           "options": "options"}


def _block_end(items: list[_Line], i: int) -> int:
    """End (exclusive) of the block that starts at item i."""
    family = _FAMILY.get(items[i].kind)
    if family is None:
        return i + 1
    j = i + 1
    while j < len(items):
        kind = items[j].kind
        if _FAMILY.get(kind) == family:
            j += 1
        elif kind == "blank" and _next_family(items, j) == family:
            j += 1
        elif family == "code" and (kind == "count" and _small_code_row(items[j])
                                   or kind == "bare" and _next_family(items, j + 1) == "code"):
            j += 1  # `Strongly agree 1` among `Agree – 2` lines; a group heading
        elif family == "tab" and kind not in ("blank", "code", "stat", "count"):
            j += 1  # an explanation wrapped onto the next lines
        else:
            break
    return j


def _small_code_row(item: _Line) -> bool:
    """`Strongly agree 1`: a label and one number small enough to be a code."""
    nums = item.data[1]
    return len(nums) == 1 and nums[0].isdigit() and len(nums[0]) <= 3


def _next_family(items: list[_Line], j: int) -> str | None:
    for item in items[j:]:
        if item.kind != "blank":
            return _FAMILY.get(item.kind)
    return None


def _take_block(block: list[_Line], body: Body, items: list[_Line], start: int,
                intro: str) -> bool:
    """Read a block into the body; False when it is no block after all (plain text).

    `intro` is the text before the block: short lines are options only after a sentence
    or a colon that leads to them (else they are short lines of a description)."""
    family = _FAMILY.get(block[0].kind)
    if family == "junk":
        return True
    if family == "options":
        for x in block:
            if x.data[0]:
                body.description.append(x.data[0])
            body.categories += x.data[1]
        return True
    if family == "count":
        return _take_counts(block, body, items, start)
    if family == "code":
        taken = _take_codes(block, body)
        body.coded = body.coded or taken
        if taken and len(body.description) > 1 and _LONE_KEY.match(body.description[-1]):
            body.description.pop()  # `Tabulation:` led to the codes (`Sex:` alone describes)
        return taken
    if family == "bullet" and len(block) >= 2 and not _bullet_notes(block):
        body.categories += [_option(x.text) for x in block]
        return True
    if family == "tab" and sum(1 for x in block if x.kind == "tab") >= 2:
        rows = [x.data for x in block if x.kind == "tab"]
        coded = all(_TAB_CODE.match(left) for left, _ in rows)
        body.categories += [Category(left, right if coded else left) for left, right in rows]
        return True
    if family == "bare" and len(block) >= 3 and intro.rstrip().endswith((".", ":", "?")):
        body.categories += [_option(x.text) for x in block]
        return True
    return False


def _unquote(text: str) -> str:
    """A value without the quotes around the whole of it (`"phone"` -> `phone`)."""
    m = _QUOTED.match(text)
    return m.group(2) if m else text


def _option(text: str) -> Category:
    """An option without a code; quotes around the whole of it (`“Water”`) are no part of it."""
    m = _QUOTED.match(text)
    value = m.group(2) if m else text
    return Category(value, value)


def _bullet_notes(block: list[_Line]) -> bool:
    """Bullets that are notes on the field, not its options: one says what it is
    (`Source: UN (2017)`, `range: 1950-2100`), or half of them are sentences."""
    for x in block:
        m = _NOTE_KEY.match(x.text)
        if m and m.group(1).lower() in NOTE_WORDS:
            return True
    sentences = sum(1 for x in block if x.text.endswith(".") and len(x.text.split()) >= 6)
    return sentences * 2 >= len(block)


def _take_counts(block: list[_Line], body: Body, items: list[_Line], start: int) -> bool:
    """A frequency table (its string values are categories) or summary statistics."""
    rows = [x for x in block if x.kind == "count"]
    header = _header_before(items, start)
    if len(block) < 2:
        return False  # one line ending in a number (`height in cm in 1971`) is a sentence
    numbers = [_number(n) for x in rows for n in x.data[1]]
    counts = bool(header) or any(n is None or n >= 1000 for n in numbers) or \
        len(set(numbers)) < len(numbers) or any(len(x.data[1]) > 1 for x in rows)
    if rows and not counts:
        return False
    if header:
        _drop_header(body, header)
    values = [x.data[0].lstrip("*").strip() for x in rows]
    values = [v for v in values if _LETTER.search(v) and v.lower().rstrip(".") not in STAT_WORDS]
    if values:  # the values the data hold stand for options listed earlier without codes
        body.categories = [c for c in body.categories if c.value != c.label]
        body.categories += [Category(v, v) for v in values]
    return True


def _header_before(items: list[_Line], start: int) -> str:
    """The table header right above a block (`Value Obs.`, the field's name), if any."""
    if start == 0 or items[start - 1].kind in ("blank", "bullet"):
        return ""  # a list item is no table header
    text = items[start - 1].text
    words = text.split()
    if not 1 <= len(words) <= 4 or re.search(r"\d", text) or any(len(w) > 10 for w in words):
        return ""
    return "" if text.endswith(".") and len(words[-1]) > 6 else text


def _drop_header(body: Body, header: str) -> None:
    """The header line was read as description (or as an option): take it back."""
    flat = " ".join(header.split())
    if body.description and " ".join(body.description[-1].split()) == flat:
        body.description.pop()
    elif body.categories and body.categories[-1].value == flat:
        body.categories.pop()


def _number(text: str) -> float | None:
    try:
        return float(text.rstrip("%").replace(",", ""))
    except ValueError:
        return None


def _take_codes(block: list[_Line], body: Body) -> bool:
    """A code list, each line read code-first or code-last (the block's majority decides)."""
    codes = [x for x in block if x.kind == "code"]
    special = [x for x in block if x.kind in ("codesp", "codeword", "codeletter")]
    letters = [x.data[0] for x in special if x.kind == "codeletter"]
    if not codes and letters and len(letters) == len(special):
        # `a) Male`, `b) Female`: letters in order, two at least (one is an enumeration)
        if len(letters) < 2 or not _in_order(letters):
            return False
        for x in special:
            _add_code(x, False, body)
        return True
    if not codes:
        words = {x.data[1] for x in special if x.kind == "codeword"}
        # `C-1 Spruce`, `A class = ...`: three at least, the word after the code repeated
        if len(special) < 3 or len(words) > 1 or words and len(words) != 1 \
                or 0 < sum(1 for x in special if x.kind == "codeword") < len(special):
            return False
        for x in special:
            _add_code(x, False, body)
        return True
    lasts = sum(1 for x in codes if x.data[1] is not None and x.data[0] is None)
    firsts = sum(1 for x in codes if x.data[0] is not None and x.data[1] is None)
    code_last = lasts > firsts
    kept = [x for x in block if x.kind == "code" or code_last and x.kind == "count"
            and _small_code_row(x)]
    if len(kept) < 2 and (code_last or kept[0].data[0] is None
                          or _SPACED_CODE.match(kept[0].text)):
        return False
    for x in block:
        if x in kept:
            if x.kind == "count":
                x = _Line(x.text, "code", (None, _code_last(x.text)))
            _add_code(x, code_last, body)
        elif x.kind != "bare":  # a sentence among the codes (`WF indicates ...`)
            body.description.append(x.text)
    return True


def _in_order(letters: list[str]) -> bool:
    """`a, b, c` or `A, B, C`: consecutive letters from the first."""
    return all(ord(b) - ord(a) == 1 for a, b in zip(letters, letters[1:]))


def _add_code(x: _Line, code_last: bool, body: Body) -> None:
    if x.kind in ("codesp", "codeletter"):
        body.categories.append(Category(x.data[0], x.data[1].strip()))
    elif x.kind == "codeword":
        body.categories.append(Category(x.data[0], x.data[2].strip()))
    else:
        first, last = x.data
        if last is not None and (code_last or first is None):
            category, note, _ = last
            body.categories.append(category)
            if note:
                body.notes.append(f"{category.label}: {note}")
        elif first is not None:
            body.categories.append(first)


def _as_text(item: _Line, body: Body, has_text: bool, name: str) -> None:
    """A line that is no option: description, or an aside once there is a description."""
    if item.kind == "aside" and has_text:
        body.asides.append(item.text)
    elif item.kind == "tab":
        body.description.append(" ".join(item.text.split()))
    elif item.text.strip().lower() != name.lower():
        m = _DEFINITION_KEY.match(item.text)
        body.description.append(item.text[m.end():] if m else item.text)


def _drop_trailing_intro(body: Body, led: int = -1) -> None:
    """`Political attitudes:` at the end of a body heads the next section, not this field
    (unless it led to the field's codes: `led` description lines came before them)."""
    while body.description and body.description[-1].endswith(":") \
            and len(body.description[-1].split()) <= 6 and len(body.description) != led:
        body.description.pop()
