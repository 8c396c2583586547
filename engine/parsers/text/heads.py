"""Candidate field heads of a prose dictionary, grouped by shape, and the shape that wins.

A definition list written as prose starts each field with a head line of one shape:

    1. Id - an Id that represents ...        numbered, dash            (N. name - text)
    1. location—name of the region ...      numbered, dash glued      (list items only)
    3. lat, lon and alt — coordinates        several names, one text
    1) Birthyear – what year were you born?  numbered, dash
    body_type- thin, average, fit            glued dash                (name- text)
    id – Character variable – ...            dash
    - **age** - age in years                 bullet, dash
    4. size_class                            numbered heading, body on the next lines
    1. Gender                                numbered heading whose name is a label
    Q1. What is your age?                    a question numbered with letters and digits
    age = age in years                       equals sign

Every line is read as a head of each shape it fits; `best_shape` scores the shapes over the
whole document and keeps the one that repeats most convincingly with the most name-like
names.  A shape must repeat (three heads at least); numbered heads must follow their
numbering (1, 2, 3 ...; a number may repeat or one may be skipped); headings whose names are
labels rather than identifiers must have short bodies (a questionnaire, not the numbered
sections of a paper).  Unnumbered `NAME: text` lines are the generic scanner's (generic.py);
numbered ones (`1) age: ...`) are read here too, as part of their numbered list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..codes import parse_code_line
from .names import PREAMBLE_WORDS, expand_names, is_identifier, name_likeness

_QUOTE = re.compile(r"^>\s*")
_PREFIX = re.compile(r"^(?:(?P<num>\d{1,4})(?P<tail>[.)])(?!\d)|\((?P<pnum>\d{1,4})\)|"
                     r"(?P<bullet>[-*+](?=\s)|[•▪◦]))\s*")
_FORMATTED = re.compile(r"^(?:\*\*(?P<b>[^*]{1,64})\*\*|`(?P<t>[^`]{1,64})`|__(?P<u>[^_]{1,64})__)")
# `**name*`, `*name**`, `*name*`: emphasis whose marks do not match still wraps a name
_LOOSE_BOLD = re.compile(r"^\*{1,3}(?P<b>[^*\s][^*]{0,63}?)\*{1,3}(?!\*)")
_IDENT = re.compile(r"^[A-Za-z_$][\w.$]*(?:\[[^\]\s]{1,24}\])?[\w.$]*(?:-[A-Za-z0-9][\w.$]*)*")
_TYPE = re.compile(r"^\s*\((?P<type>[^()]{1,30})\)")
_DASH = re.compile(r"^\s+[-–—]{1,2}\s+(?=\S)")
_GLUED_DASH = re.compile(r"^[-–—]\s+(?=\S)")
# `1. location—name of ...`: an em or en dash glued on both sides (a hyphen belongs to names);
# the text may start on the next line (`2. a, b and c—`)
_TIGHT_DASH = re.compile(r"^[–—](?=[^\W\d_]|\s*$)")
# `a, b and c`: several identifiers named by one list item
_NAME_LIST = re.compile(r"^(?P<list>[A-Za-z_$][\w.$]*(?:,\s*[A-Za-z_$][\w.$]*)+"
                        r"(?:,?\s+(?:and|or|&|y|e|o|et|ou|und|oder)\s+[A-Za-z_$][\w.$]*)?)")
_SPACED = re.compile(r"^(?:\t|\s{2,})\s*(?=\S)")
_COLON = re.compile(r"^\s*:\s+(?=\S)")
_EQUALS = re.compile(r"^\s+=\s+(?=\S)")
# `Q1. What is your age?`, `B12a) ...`: a question numbered with letters and digits
_QUESTION = re.compile(r"^[A-Za-z]{1,6}(?:[-_.]?\d{1,3}){1,2}[a-z]?$")  # `Q1`, `B12a`, `A.1`
_QUESTION_END = re.compile(r"^\)?\s+(?=\S)")
_LABEL = re.compile(r"^[^\W\d_][\w'’/&().,-]*(?: [\w'’/&().,-]+){0,5}$")
_HTML_TAG = re.compile(r"</?(?:br|p|b|i|em|strong|span|div)\b[^>]*>", re.I)
_MD_MARK = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_HEADING = re.compile(r"^(#{1,6})\s+")
_SECTION_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?\s+(?=\S)")
_CODED_NAME = re.compile(r"_|\d|[a-z][A-Z]")
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_MIN_HEADS = 3
_BODY_SHARE = 0.6           # numbered headings: share of heads with a body below them
_LABEL_BODY_LINES = 12      # numbered label headings: the most body lines of a field
_PLAIN_BODY_LINES = 5       # bare names on their lines: the most body lines (median)
_MAX_UPPER_NAME = 16        # an upper-case word alone on its line longer than this is a title
_SECTION_WORDS = {"introduction", "overview", "background", "methods", "method", "results",
                  "discussion", "conclusion", "conclusions", "installation", "usage",
                  "requirements", "contents", "acknowledgements", "references", "appendix",
                  "license", "licence", "contributing", "authors", "summary", "abstract",
                  # a document's own title (`CODEBOOK`, `DICCIONARIO`)
                  "codebook", "codebuch", "codeboek", "kodebok", "glossary", "dictionary",
                  "dictionnaire", "diccionario", "dicionário", "dicionario", "dizionario"}


@dataclass(frozen=True)
class Head:
    """A line read as a field head of one shape."""

    line: int
    shape: tuple[str, str]        # (prefix kind, separator kind)
    name: str
    rest: str
    number: int | None = None
    type_word: str | None = None

    @property
    def likeness(self) -> float:
        """The name's name-likeness; section titles (`Introduction`) count little."""
        names = expand_names(self.name)
        if len(names) > 1:  # `a, b and c`: as much as its names
            return sum(name_likeness(n) for n in names) / len(names)
        score = name_likeness(self.name)
        return score * 0.3 if self.name.lower() in _SECTION_WORDS else score


def clean_line(raw: str) -> str:
    """A line without inline HTML tags (`<br/>`), blanks trimmed."""
    text = _HTML_TAG.sub(" ", raw) if "<" in raw else raw
    return text.strip()


def heads_of(lines: list[str]) -> dict[tuple[str, str], list[Head]]:
    """Every head candidate of the document, by shape."""
    found: dict[tuple[str, str], list[Head]] = {}
    for i, raw in enumerate(lines):
        if not raw.strip() or raw[:1] in " \t" and not raw.lstrip()[:1].isdigit():
            continue  # heads start at the margin (numbered ones may be indented)
        head = read_head(clean_line(raw), i)
        if head is not None:
            found.setdefault(_group(head), []).append(head)
    return found


def _group(head: Head) -> tuple[str, str]:
    """Numbered heads form one group whatever follows the name (`5) Gender` among
    `4) selfheight - ...`): their numbering tells them apart; others group by shape."""
    return (head.shape[0], "*") if head.number is not None else head.shape


def read_head(text: str, i: int) -> Head | None:
    """The head this line would be, or None (shapes of generic.py are left to it)."""
    quote = ""
    m = _QUOTE.match(text)
    if m:
        quote, text = ">", text[m.end():]
    m = _MD_HEADING.match(text)
    if m:  # `### age`, `### age — Age in years`: a variable per Markdown heading
        title = _SECTION_NUMBER.sub("", text[m.end():].rstrip("# ").strip())  # `### 3.1 age`
        name, after = _name(title)
        t = _TYPE.match(after)
        type_word = t.group("type").strip() if t else None
        after = after[t.end():] if t else after
        if name and not after.strip():
            return Head(i, (m.group(1), "none"), name, "", None, type_word)
        s = (_DASH.match(after) or _COLON.match(after)) if name else None
        if s:
            return Head(i, (m.group(1), "none"), name, after[s.end():].strip(), None, type_word)
        return None
    m = _PREFIX.match(text)
    prefix, number = "", None
    if m:
        if m.group("bullet"):
            prefix = "bullet"
        else:
            number = int(m.group("num") or m.group("pnum"))
            prefix = f"N{m.group('tail') or ')'}" if m.group("num") else "(N)"
        text = text[m.end():]
    name, after = _name(text)
    if name is None:
        return _label_heading(quote + prefix, text, i, number) if number is not None else None
    if prefix:
        name, after = _name_list(text, name, after)
    type_word = None
    t = _TYPE.match(after)
    if t:
        type_word, after = t.group("type").strip(), after[t.end():]
    q = _QUESTION_END.match(after) if _QUESTION.match(name.rstrip(".")) else None
    if q and (name.endswith(".") or after.startswith(")") or "." in name) and number is None:
        return Head(i, (quote + prefix, "dot"), name.rstrip("."), after[q.end():].strip())
    for sep, pattern in (("dash", _DASH), ("glued", _GLUED_DASH), ("equals", _EQUALS),
                         ("spaced", _SPACED), ("colon", _COLON), ("dash", _TIGHT_DASH)):
        if pattern is _TIGHT_DASH and not prefix:
            continue  # glued dashes join words in prose: only list items are read so
        s = pattern.match(after)
        # `1) age: ...` among `2) sex – ...`; unnumbered `NAME: text` is generic.py's
        numbered_only = sep in ("spaced", "colon")
        if s and (sep != "glued" or not type_word) and (number is not None or not numbered_only):
            rest = after[s.end():].strip()
            if _NUMBER.match(rest):
                return None  # `Other – 7`: an answer and its code
            return Head(i, (quote + prefix, sep), name, rest, number, type_word)
    alone = not after.strip() and number is None and not prefix
    if alone and (type_word or _FORMATTED.match(text) or _LOOSE_BOLD.match(text)):
        return Head(i, ("**", "none"), name, "", None, type_word)  # `**age**` alone
    if alone and (_CODED_NAME.search(name) or len(name) > 1 and (
            name.islower() or _upper_name(name))):
        return Head(i, ("plain", "none"), name, "", None, type_word)  # `farm_id`, `SEX` alone
    if number is not None and not after.strip():
        return Head(i, (quote + prefix, "none"), name, "", number, type_word)
    return _label_heading(quote + prefix, text, i, number) if number is not None else None


def _name_list(text: str, name: str, after: str) -> tuple[str, str]:
    """(`a, b and c`, text after it) when a list item names several identifiers before its
    separator, else (name, after) as read."""
    m = _NAME_LIST.match(text)
    if not m:
        return name, after
    rest = text[m.end():]
    t = _TYPE.match(rest)            # `a, b (type: int): …`: a type between names and text
    probe = rest[t.end():] if t else rest
    if any(p.match(probe) for p in (_DASH, _TIGHT_DASH, _COLON, _EQUALS)) \
            and len(expand_names(m.group("list"))) > 1:
        return m.group("list"), rest
    return name, after


def _upper_name(name: str) -> bool:
    """`SEX`, `MARST`: an upper-case name, not a section title (`INTRODUCTION`, `NOTES`)."""
    low = name.lower()
    return name.isupper() and len(name) <= _MAX_UPPER_NAME and low not in _SECTION_WORDS \
        and low not in PREAMBLE_WORDS


def _name(text: str) -> tuple[str | None, str]:
    """(identifier name, text after it) at the start of `text`, or (None, text)."""
    m = _FORMATTED.match(text) or _LOOSE_BOLD.match(text)
    if m:
        groups = m.groupdict()
        name = (groups.get("b") or groups.get("t") or groups.get("u") or "").strip().rstrip(":")
        return (name, text[m.end():]) if name else (None, text)
    m = _IDENT.match(text)
    if not m:
        return None, text
    return m.group(0), text[m.end():]


def _label_heading(prefix: str, text: str, i: int, number: int | None) -> Head | None:
    """`1. Year of birth`: a numbered heading whose whole text is a short label."""
    text = _MD_MARK.sub(r"\2", text).strip()
    if not text or text.endswith((".", ",", ";", "?", "!", ":")) or not _LABEL.match(text):
        return None
    return Head(i, (prefix, "none"), text, "", number)


# ---- choosing the shape --------------------------------------------------------------------
def best_shape(lines: list[str]) -> tuple[list[Head], float]:
    """The heads of the shape that repeats most convincingly, and its score (0 for none)."""
    best: tuple[list[Head], float] = ([], 0.0)
    for shape, heads in heads_of(lines).items():
        kept = _kept(shape, heads, lines)
        score = shape_score(kept)
        if score > best[1]:
            best = (kept, score)
    return best


def shape_score(heads: list[Head]) -> float:
    """Sum of name-likeness, more for numbered heads in order; 0 below three heads."""
    if len(heads) < _MIN_HEADS:
        return 0.0
    names = [h.name.lower() for h in heads]
    if len(set(names)) < 0.7 * len(names):
        return 0.0  # the same few words again and again: answer options, not fields
    total = sum(h.likeness for h in heads)
    if total / len(heads) < 0.4:
        return 0.0
    return total * (1.3 if heads[0].number is not None else 1.0)


def _kept(shape: tuple[str, str], heads: list[Head], lines: list[str]) -> list[Head]:
    """The heads of one shape that count: in numbering runs, with bodies where needed."""
    if not shape[0].lstrip(">").startswith(("N", "(N")):
        if shape[1] == "none":
            return heads if _headings_ok(heads, lines) else []
        return [h for h in heads if h.likeness > 0]
    runs = [r for r in _number_runs(heads) if _run_ok(r, lines)]
    if not runs:
        return []
    best = max(runs, key=lambda r: sum(h.likeness for h in r))
    mean = sum(h.likeness for h in best) / len(best)
    kept = [r for r in runs if r is best or len(r) >= _MIN_HEADS
            and sum(h.likeness for h in r) / len(r) >= mean - 0.2]
    return sorted((h for r in kept for h in r), key=lambda h: h.line)


def _headings_ok(heads: list[Head], lines: list[str]) -> bool:
    """Unnumbered headings (`### age`, `**age**`) are fields when their names are variable
    names (lower case or coded like `wt_kg`; not `Overview` or `API`) and their bodies short."""
    if len(heads) < _MIN_HEADS:
        return False
    variable_like = sum(1 for h in heads if is_identifier(h.name) and (
        h.name.islower() or _CODED_NAME.search(h.name) or h.rest and h.name.isupper()
        or h.shape[0] == "plain" and _upper_name(h.name)))
    if variable_like < 0.8 * len(heads) or not _upper_names_ok(heads, lines):
        return False
    sizes = sorted(_body_size(h.line, nxt.line, lines) for h, nxt in zip(heads, heads[1:]))
    filled = sum(1 for size in sizes if size)
    # a bare name on its line is a weaker sign than a heading: its entries must be short
    most = _PLAIN_BODY_LINES if heads[0].shape[0] == "plain" else _LABEL_BODY_LINES
    return filled >= _BODY_SHARE * len(sizes) and sizes[len(sizes) // 2] <= most


def _upper_names_ok(heads: list[Head], lines: list[str]) -> bool:
    """Upper-case words alone on their lines (`SEX`, `MARST`) may be section titles: they head
    variables when a third of them are coded (`INC_NET`) or have code lines below them."""
    upper = [h for h in heads if h.shape[0] == "plain" and h.name.isupper()
             and not _CODED_NAME.search(h.name)]
    if len(upper) * 2 <= len(heads):
        return True
    ends = [h.line for h in heads[1:]] + [min(len(lines), heads[-1].line + _LABEL_BODY_LINES)]
    coded = sum(1 for h, end in zip(heads, ends) if _CODED_NAME.search(h.name) or any(
        parse_code_line(x) is not None for x in lines[h.line + 1:end]))
    return coded * 3 >= len(heads)


def _number_runs(heads: list[Head]) -> list[list[Head]]:
    """Heads split into runs numbered 1, 2, 3 ... (a number may repeat or one be skipped)."""
    runs: list[list[Head]] = []
    for h in heads:
        last = runs[-1][-1].number if runs else None
        if last is not None and h.number is not None and h.number > 1 \
                and 0 <= h.number - last <= 2:
            runs[-1].append(h)
        else:
            runs.append([h])
    return runs


def _run_ok(run: list[Head], lines: list[str]) -> bool:
    """Headings need bodies; label headings need short ones (a survey, not a paper)."""
    headings = sum(1 for h in run if h.shape[1] == "none")
    if len(run) < _MIN_HEADS or headings * 2 <= len(run):
        return len(run) >= _MIN_HEADS
    sizes = [_body_size(h.line, nxt.line, lines) for h, nxt in zip(run, run[1:])]
    if sum(1 for s in sizes if s) < _BODY_SHARE * len(sizes):
        return False  # a table of contents, a list of steps
    labels = sum(1 for h in run if not is_identifier(h.name))
    if labels * 2 > len(run):
        sizes.sort()
        return sizes[len(sizes) // 2] <= _LABEL_BODY_LINES
    return True


def _body_size(start: int, end: int, lines: list[str]) -> int:
    return sum(1 for line in lines[start + 1:end] if line.strip())
