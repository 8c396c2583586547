"""The lines below a field head: its description, its answer options, and what is neither.

Each line gets a kind from its shape (bodylines.py), then runs of lines of one family become
blocks:

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
from .bodylines import (LETTER, NOTE_KEY, NOTE_WORDS, STAT_WORDS, Line, classify, code_at_end,
                        join_continuations, mark_stat_runs, unquote)

_TAB_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_\-./]{0,7}$")
# a lone code line `241 unique names` (no separator) is a count in a note, not a code list
_SPACED_CODE = re.compile(r"^[-+]?\d+(?:\.\d+)?\s+[^\W\d_]")
# `Definition: Age of patient`: the key says the line is the description
_DEFINITION_KEY = re.compile(r"^(?:definition|definici[oó]n|defini[cç][aã]o|d[ée]finition|"
                             r"description|descripci[oó]n|descri[cç][aã]o|beschreibung)\s*:\s*"
                             r"(?=\S)", re.I)
_LONE_KEY = re.compile(r"^[^\W\d_][\w.-]*(?: [^\W\d_][\w.-]*)?\s*:$")


@dataclass
class Body:
    """What the lines below a head hold."""

    description: list[str] = dc_field(default_factory=list)
    categories: list[Category] = dc_field(default_factory=list)
    asides: list[str] = dc_field(default_factory=list)
    notes: list[str] = dc_field(default_factory=list)   # remarks on options, for the text
    coded: bool = False   # a code list was read (options without codes then are notes)


def read_body(lines: list[str], name: str = "", head_text: str = "") -> Body:
    """The description, options and asides of one field's body lines (`head_text`: the text
    on the head's own line)."""
    items = mark_stat_runs([classify(raw) for raw in join_continuations(lines)])
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


# ---- blocks ---------------------------------------------------------------------------------
_FAMILY = {"code": "code", "codesp": "code", "codeword": "code", "codeletter": "code",
           "count": "count",
           "stat": "count", "bullet": "bullet", "tab": "tab", "bare": "bare", "junk": "junk",
           "options": "options"}


def _block_end(items: list[Line], i: int) -> int:
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


def _small_code_row(item: Line) -> bool:
    """`Strongly agree 1`: a label and one number small enough to be a code."""
    nums = item.data[1]
    return len(nums) == 1 and nums[0].isdigit() and len(nums[0]) <= 3


def _next_family(items: list[Line], j: int) -> str | None:
    for item in items[j:]:
        if item.kind != "blank":
            return _FAMILY.get(item.kind)
    return None


def _take_block(block: list[Line], body: Body, items: list[Line], start: int,
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


def _option(text: str) -> Category:
    """An option without a code; quotes around the whole of it (`“Water”`) are no part of it."""
    value = unquote(text)
    return Category(value, value)


def _bullet_notes(block: list[Line]) -> bool:
    """Bullets that are notes on the field, not its options: one says what it is
    (`Source: UN (2017)`, `range: 1950-2100`), or half of them are sentences."""
    for x in block:
        m = NOTE_KEY.match(x.text)
        if m and m.group(1).lower() in NOTE_WORDS:
            return True
    sentences = sum(1 for x in block if x.text.endswith(".") and len(x.text.split()) >= 6)
    return sentences * 2 >= len(block)


def _take_counts(block: list[Line], body: Body, items: list[Line], start: int) -> bool:
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
    values = [v for v in values if LETTER.search(v) and v.lower().rstrip(".") not in STAT_WORDS]
    if values:  # the values the data hold stand for options listed earlier without codes
        body.categories = [c for c in body.categories if c.value != c.label]
        body.categories += [Category(v, v) for v in values]
    return True


def _header_before(items: list[Line], start: int) -> str:
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


def _take_codes(block: list[Line], body: Body) -> bool:
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
                x = Line(x.text, "code", (None, code_at_end(x.text)))
            _add_code(x, code_last, body)
        elif x.kind != "bare":  # a sentence among the codes (`WF indicates ...`)
            body.description.append(x.text)
    return True


def _in_order(letters: list[str]) -> bool:
    """`a, b, c` or `A, B, C`: consecutive letters from the first."""
    return all(ord(b) - ord(a) == 1 for a, b in zip(letters, letters[1:]))


def _add_code(x: Line, code_last: bool, body: Body) -> None:
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


def _as_text(item: Line, body: Body, has_text: bool, name: str) -> None:
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
