"""Dictionaries written as repeated key-value blocks, one block per variable: finding them.

    Variable: age                    Nom : age                 age          Age in years
    Label: Age of the respondent     Libellé : Âge du répondant  ---------------------------
    Type: numeric                    Type : numérique              type:  numeric (byte)
    Values: 18-99                    Valeurs :                    range:  [18,99]
                                       1 = oui
                                       2 = non

Keys are recognised because the same keys come back block after block, whatever they are
called and in whatever language: a key that comes back three times or more repeats, and a
block starts where the first repeating key of the document comes back.  Other keys join the
block they stand in; an indented `key: value` line counts only when its key repeats (else it
continues the value above, as `M: Male` under `Values:` does).  The line above a block (its
heading) is kept: some documents name the variable there.  kvfields.py decides from the
values which key carries what.

The same reading applies to a small two-column table per variable (`blocks_from_tables`) and
to HTML definition lists whose terms repeat (`blocks_from_pairs`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field as dc_field
from typing import Iterable

from ..codes import parse_code_line
from .entries import label_code

# a key may be a list item: a bullet, or Word's numbering (`17. Definition: ...`, `b) Type:`)
_LIST_MARK = r"(?:[-*•▪◦]|\d{1,3}[.)]|\(\d{1,3}\)|[a-z][.)]|[ivx]{1,5}[.)]|\([a-z]\))\s+"
_KEY_LINE = re.compile(r"^(?:" + _LIST_MARK + r")?(?:\*\*|__)?"
                       r"(?P<key>[^\W\d_][^:=\t|]{0,39}?)(?:\*\*|__)?"
                       r"\s*(?::|\t|\s=\s)(?:\*\*|__)?\s*(?P<value>.*)$")
_BULLET_MARK = re.compile(r"^[-•▪◦]\s+(?=\S)")
# a sentence ends inside a would-be key (`educativa. Los valores`, not `std. dev`)
_SENTENCE_END = re.compile(r"[^\W\d_]\.\s+[^\W\d_a-z]")
_TAB_BULLET = re.compile(r"^([-•▪◦·●○■□◆◇➢►▶✓✔])\t+(?=\S)")
# a second `key: value` on the same line, after a wide gap (`range: [18,99]    units: 1`; a
# PDF's gap is a tab: `Nom de la variable :<TAB>AGE<TAB>Longueur :<TAB>2`)
_SECOND_KEY = re.compile(r"(?:\s{3,}|\t)(?=[^\W\d_][\w .]{0,24}:\s)")
# a row of a table of values with counts (`Refus<TAB>8<TAB>0<TAB>0,0`): a label, then only
# numbers, number ranges and percentages
_COUNT_CELL = re.compile(r"^[-+]?[\d.,]+(?:\s\d{3})*(?:\s*[-–]\s*[-+]?[\d.,]+)?\s*%?$")
_RULE = re.compile(r"^\s*[-=_*~]{3,}\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
MIN_BLOCKS = 3
_MAX_KEY_WORDS = 5


@dataclass
class Block:
    """The (key as written, value) pairs of one variable, in order, and the line above them."""

    pairs: list[tuple[str, str]] = dc_field(default_factory=list)
    heading: str = ""
    ran_into: str = ""   # the line above, which the previous block's last value ran on into


@dataclass
class _Pair:
    line: int
    key: str
    value: str
    indent: int           # where the key starts on its line
    colon: int            # where the key ends (right-aligned keys end in one column)
    first: bool = True    # the first pair of its line


def norm_key(key: str) -> str:
    """A key compared case- and punctuation-blind (`Type:`, `TYPE`, `type .`)."""
    return " ".join(re.sub(r"[^\w\s]", " ", key.lower()).split())


def repeating_keys(keys: Iterable[str]) -> set[str]:
    """The keys (normalised) that come at least MIN_BLOCKS times: the keys of blocks."""
    counts = Counter(norm_key(k) for k in keys)
    return {k for k, n in counts.items() if n >= MIN_BLOCKS}


def blocks_from_lines(lines: list[str]) -> list[Block]:
    """The key-value blocks of a text, or [] when no keys repeat block after block."""
    pairs = _key_lines(lines)
    repeating = repeating_keys(p.key for p in pairs)
    if len(repeating) < 2:
        return []
    upper = all(p.key[:1].isupper() for p in pairs if norm_key(p.key) in repeating)
    pairs = [p for p in _aligned(pairs, repeating) if norm_key(p.key) in repeating
             or not _code_pair(p, lines) and not _wrapped_text(p.key, upper)]
    start = next(norm_key(p.key) for p in pairs if norm_key(p.key) in repeating)
    blocks: list[Block] = []
    taken: set[int] = set()      # lines read as keys or values
    pending: dict[int, str] = {}  # block -> the line above it, which a value ran on into
    closed = False               # a heading came after the block's last pair
    for k, p in enumerate(pairs):
        if k and any(_HEADING.match(x) for x in lines[pairs[k - 1].line + 1:p.line]):
            closed = True
        if norm_key(p.key) == start:
            blocks.append(Block())
            closed = False
            above = _line_above(lines, p.line)
            if above is not None and above not in taken:
                blocks[-1].heading = lines[above].strip()
            elif above is not None:
                pending[len(blocks) - 1] = lines[above].strip()
        if blocks and not closed:
            end = pairs[k + 1].line if k + 1 < len(pairs) else len(lines)
            value, last = _with_continuation(p.value, lines, p.line + 1, end)
            taken.update(range(p.line, last + 1))
            pairs_so_far = blocks[-1].pairs
            if pairs_so_far and norm_key(pairs_so_far[-1][0]) == norm_key(p.key) != start:
                # a table's header again on the next page: its rows go on the same value
                pairs_so_far[-1] = (p.key, f"{pairs_so_far[-1][1]}\n{value}")
            else:
                pairs_so_far.append((p.key, value))
    for b, text in pending.items():
        _take_back_heading(blocks, b, text)
    _cut_run_on(blocks)
    return blocks


def _cut_run_on(blocks: list[Block]) -> None:
    """A block's last value runs on into whatever stands before the next block (a section's
    introduction, a file's notes).  When that key's value is one line in most blocks, it is
    one line in every block: the lines after its first are not the variable's."""
    lines: dict[str, list[int]] = {}
    for block in blocks:
        for key, value in block.pairs:
            lines.setdefault(norm_key(key), []).append(value.count("\n") + 1)
    for block in blocks:
        if not block.pairs:
            continue
        key, value = block.pairs[-1]
        counts = lines[norm_key(key)]
        single = sum(1 for n in counts if n == 1)
        if "\n" in value and single >= 2 and single * 2 > len(counts) \
                and parse_code_line(value.split("\n")[1].strip()) is None:
            block.pairs[-1] = (key, value.split("\n")[0])


def _wrapped_text(key: str, upper: bool) -> bool:
    """A key that does not repeat and reads as the end of a wrapped sentence (`educativa. Los
    valores pueden ser:`, or `opciones:` in lower case where the keys are capitalised): the
    line continues the value above."""
    return _SENTENCE_END.search(key) is not None or upper and key[:1].islower()


def _code_pair(pair: _Pair, lines: list[str]) -> bool:
    """`M: Male`, `Yes = 1`, `Don't know = 8` below a key: a code of the value above, not
    a key of its own (its key does not repeat)."""
    text = lines[pair.line].strip()
    return parse_code_line(text) is not None or label_code(text) is not None


def _line_above(lines: list[str], line: int) -> int | None:
    """The nearest line above `line` that is not blank or a rule."""
    for j in range(line - 1, max(-1, line - 5), -1):
        if lines[j].strip() and not _RULE.match(lines[j]):
            return j
    return None


def _take_back_heading(blocks: list[Block], b: int, text: str) -> None:
    """A line a value ran on into is block b's heading when it names one of b's values
    (`SEQN - Respondent sequence number` above `Variable Name: SEQN`) or is a title of a few
    words (`Grupo ocupacional` above `Nombre de la variable: grupo_ocupacional`): paragraphs of
    HTML, Word or PDF have no blank line to end the value before it."""
    values = {v for _, v in blocks[b].pairs if v and " " not in v}
    if b == 0:
        return
    if not values & set(re.findall(r"[\w.$]+", text)) and not _title_line(blocks[b - 1], text):
        blocks[b].ran_into = text  # the heading, should the names stand in the headings
        return
    blocks[b].heading = text
    drop_heading_from_value(blocks, b)


def _title_line(previous: Block, text: str) -> bool:
    """A short line without closing punctuation, capitalised, that is no code, after a line of
    the previous block's last value that closes a sentence: a heading, not a wrapped value."""
    if not previous.pairs or len(text.split()) > 5 or not text[:1].isupper() \
            or text.endswith((".", ",", ";", ":")) or parse_code_line(text) is not None:
        return False
    value = previous.pairs[-1][1]
    if not value.endswith("\n" + text):
        return False
    before = value[:-len(text) - 1].rstrip()
    return before.endswith((".", "?", "!", ")"))


def drop_heading_from_value(blocks: list[Block], b: int) -> None:
    """Block b's heading, which the previous block's last value ran on into, out of it."""
    text = blocks[b].heading
    key, value = blocks[b - 1].pairs[-1]
    if value == text or value.endswith("\n" + text):
        blocks[b - 1].pairs[-1] = (key, value[:-len(text)].rstrip("\n"))


def blocks_from_pairs(pairs: list[tuple[str, str]]) -> list[Block]:
    """(term, definition) pairs read as blocks when the terms repeat (`Variable Name:` ...)."""
    repeating = repeating_keys(key for key, _ in pairs)
    if len(repeating) < 2:
        return []
    start = next(norm_key(k) for k, _ in pairs if norm_key(k) in repeating)
    blocks: list[Block] = []
    for key, value in pairs:
        if norm_key(key) == start:
            blocks.append(Block())
        if blocks:
            blocks[-1].pairs.append((key.strip().rstrip(":").strip(), value.strip()))
    return blocks


def blocks_from_tables(tables) -> list[Block]:
    """Small tables of key and value cells (`Name | age`, or `Name | age | Type | int` side
    by side) read as one key-value block each: a table per variable."""
    blocks = []
    for table in tables:
        rows = [r for r in table.rows if any(c.strip() for c in r)]
        width = len(rows[0]) if rows else 0
        if not 2 <= len(rows) * width // 2 <= 30 or width not in (2, 4, 6):
            continue
        pairs = [(r[k].strip().rstrip(":").strip(), r[k + 1].strip())
                 for r in rows for k in range(0, width, 2) if r[k].strip()]
        blocks.append(Block(pairs, heading=table.context))
    return blocks


def _key_lines(lines: list[str]) -> list[_Pair]:
    """Every `Key: value` line whose key is short (two on a line when a wide gap parts them);
    not the rows of a table of values with counts."""
    out = []
    for i, raw in enumerate(lines):
        text = raw.strip()
        if not text or _RULE.match(text) or _count_row(text):
            continue
        lead = len(raw.expandtabs(8)) - len(raw.expandtabs(8).lstrip())
        for k, part in enumerate(_parts(text)):
            m = _KEY_LINE.match(part)
            if not m:
                break
            key = m.group("key").strip().rstrip("*_ ").strip()
            if not key or len(key.split()) > _MAX_KEY_WORDS or key.endswith((".", ",")):
                break
            value = m.group("value").strip().strip("*_").strip()
            if value.startswith("//"):   # `https://…`: a link's scheme, not a key
                break
            start = lead + max(0, text.find(part))
            out.append(_Pair(i, key, value, start, start + len(key), first=k == 0))
    return out


def _parts(text: str) -> list[str]:
    """The `key: value` parts of a line; a key without a value keeps what follows as its
    value (`Nota :<TAB>Avertissement : ...`)."""
    parts: list[str] = []
    for part in _SECOND_KEY.split(text):
        m = _KEY_LINE.match(parts[-1]) if parts else None
        if m and not m.group("value").strip():
            parts[-1] = f"{parts[-1]} {part}"
        else:
            parts.append(part)
    return parts


def _count_row(text: str) -> bool:
    """`Oui<TAB>1<TAB>4 247<TAB>17 354 873<TAB>4,1`: three cells or more after a label, all
    numbers (a code, counts, a percentage)."""
    cells = text.split("\t")
    return len(cells) >= 4 and all(_COUNT_CELL.match(c.strip()) for c in cells[1:])


def _aligned(pairs: list[_Pair], repeating: set[str]) -> list[_Pair]:
    """The pairs that are keys: at the margin, repeating, or aligned with repeating keys
    (a right-aligned `mean:` below `type:`); an indented `M: Male` continues a value."""
    keys = [p for p in pairs if norm_key(p.key) in repeating and p.first]
    indents, colons = {p.indent for p in keys}, {p.colon for p in keys}
    return [p for p in pairs if not p.indent or not p.first or norm_key(p.key) in repeating
            or p.indent > 0 and (p.indent in indents or p.colon in colons)]


def _list_item(text: str, parts: list[str]) -> str:
    """A list item under its key loses its bullet, unless it is one of the options a line
    ending in a colon leads to (`Puede tener las siguientes opciones:` / `• Calidad`).  A PDF's
    tab after a bullet glyph (`●<TAB>Calidad`) is a space: the glyph is no code."""
    text = _TAB_BULLET.sub(r"\1 ", text)
    m = _BULLET_MARK.match(text)
    if not m or parse_code_line(text[m.end():]) is not None:
        return _BULLET_MARK.sub("", text)
    led = parts and (parts[-1].rstrip().endswith(":") or _BULLET_MARK.match(parts[-1]))
    return text if led else text[m.end():]


def _with_continuation(value: str, lines: list[str], start: int, end: int) -> tuple[str, int]:
    """A value with the lines that continue it, and the last line it takes.

    It ends at a rule, or at a blank line before unindented text that is not a code line."""
    parts = [value] if value else []
    gap, last = False, start - 1
    for j in range(start, end):
        raw = lines[j]
        text = raw.strip()
        if not text:
            gap = True
            continue
        if _RULE.match(text) or _HEADING.match(raw) \
                or gap and raw[:1] not in " \t" and parse_code_line(text) is None:
            break
        parts.append(_list_item(text, parts))
        gap, last = False, j
    return "\n".join(parts), last
