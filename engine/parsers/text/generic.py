"""The generic free-text scanner: `NAME: description` lines and their indented code lists.

Recognised field heads, in order of trust:

* `NAME: description` (also Markdown `- **name**: ...`, ``1. `name`: ...``, `name (type): ...`);
* `NAME<TAB or 2+ spaces>description` and `NAME - description`, kept only when at least three
  lines of the file have that form (one such line is more likely a table row or prose); a
  type in parentheses may stand after the name (`BillID (string)<TAB>...`), and a type word
  there parts name and text by itself (`Cosponsors (numeric) Number of ...`);
* `NAME` alone on its line with an indented description below, kept when it occurs twice;
* below a `Field Name  Description` header (a table flattened to text, as PDF text gives it),
  `NAME description` with one space, when NAME looks like a variable (`Trip_distance`,
  `VendorID`) or is a capitalised word followed by a capitalised word (`Extra Miscellaneous`).

Everything indented below a head belongs to it (description, codes, wrapped labels); a blank
line followed by unindented prose, a heading or a table closes it.  Preamble keys
(`Title: ...`, `Source: ...`, `Date: July, 1988`) and `Key: 303` metadata are not fields,
unless one stands between two `NAME: text` entries (`Date: Date of the first of the month`).
"""

from __future__ import annotations

import re

from ..codes import parse_code_line
from ..codes.measures import is_unit_name
from .entries import Entry, indent_of, type_words
from .typewords import type_of

_NAME = r"[A-Za-z0-9_][\w.\-/]{0,63}(?:\[\w{1,8}\])?"  # `item[1]`; not `NECESSARY]`
_FORMATTED = r"`(?P<tick>[^`]{1,64})`|\*\*(?P<bold>[^*]{1,64})\*\*|__(?P<under>[^_]{1,64})__"
_PREFIX = r"(?:[-*+•]\s+|\d{1,3}[.)]\s+)?"
_TYPE = r"(?:\s*\((?P<type>[^()]{1,24})\))?"
# `a_1, a_2, a_3 (type: int): …`: coded names (an underscore or a digit each) sharing a text
_CODED_NAME = r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+|\d)[\w.]*"
_NAME_LIST = rf"{_CODED_NAME}(?:,\s*{_CODED_NAME})+"
_COLON_HEAD = re.compile(
    rf"^{_PREFIX}(?:{_FORMATTED}|(?P<plain>{_NAME_LIST}|{_NAME})){_TYPE}\s*:(?!//)\s*(?P<rest>.*)$")
_DASH_HEAD = re.compile(rf"^{_PREFIX}(?:{_FORMATTED}){_TYPE}\s+[-–—]\s+(?P<rest>\S.*)$")
_SPACED_HEAD = re.compile(rf"^(?P<plain>{_NAME}){_TYPE}(?:\t+\s*|\s{{2,}}|\s+[-–—]\s+)"
                          r"(?P<rest>\S.*)$")
# `Cosponsors (numeric) Number of ...`: a type word parts the name from its text, whatever
# the gap (a PDF's narrow gap is a space, or nothing where the name overran its column)
_TYPED_HEAD = re.compile(rf"^(?P<plain>{_NAME})\s*\((?P<type>[^()]{{1,24}})\)\s*(?P<rest>\S.*)$")
# `bills spons n (numeric)<TAB>text`: a few words, a type in brackets, a tab
_WORDS_TYPED_HEAD = re.compile(r"^(?P<plain>[A-Za-z_][\w.-]*(?: [A-Za-z_][\w.-]*){1,3})\s*"
                               r"\((?P<type>[^()]{1,24})\)\s*\t\s*(?P<rest>\S.*)$")
# a coded name alone on a table's line (`NUM_TITULO_ELEITORAL_CANDIDATO`, `q12_b`)
_ROW_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+$")
# `Household Composition (huishouden):` above its codes: a label, the name in brackets
_LABELLED_HEAD = re.compile(r"^(?P<title>[^\W\d_][^():=]{0,60}?)\s*\((?P<plain>[A-Za-z_][\w.]{0,63})\)"
                            r"\s*:\s*$")
# `Migration background:` above its codes: a few words and a colon
_WORDS_HEAD = re.compile(r"^(?P<plain>[^\W\d_][^\W_]*(?:[ -][^\W_]+){1,3})\s*:\s*$")
# `Welvaart = SES: financial prosperity ...`: a name, `=`, then text (after a blank line)
_EQUALS_HEAD = re.compile(rf"^(?P<plain>{_NAME})\s+=\s+(?P<rest>\S.*)$")
_EQUALS_WORDS = 5
# words of a heading over a list of codes, not over a variable
_LIST_WORDS = {"values", "value", "codes", "code", "categories", "category", "options",
               "option", "responses", "response", "answers", "answer", "labels", "levels",
               "valores", "códigos", "codigos", "categorías", "opciones", "respuestas",
               "valeurs", "modalités", "réponses", "werte", "kategorien", "antworten",
               "categorias", "opções", "respostas", "legend", "key", "note", "notes"}
# `UNIT NUM: text`: two or three upper-case words before a colon
_SPACED_NAME = re.compile(r"^(?P<plain>[A-Z][A-Z0-9]*(?: [A-Z][A-Z0-9]*){1,2})\s*:\s+(?P<rest>\S.*)$")
_ALONE_HEAD = re.compile(rf"^(?P<plain>{_NAME})\s*:?$")
_TABLE_HEADER = re.compile(r"^(?:field|variable|column|var|element)s?(?:\s*name)?\s+"
                           r"(?:description|definition|label|meaning|explanation)\b", re.I)
_TABLE_HEAD = re.compile(r"^(?P<plain>[A-Za-z_][A-Za-z0-9_]{0,63}) (?P<rest>\S.*)$")
_SENTENCE_START = {"this", "the", "a", "an", "it", "these", "those", "that", "note", "see",
                   "if", "when", "for", "in", "on", "at", "and", "or", "but", "each", "all",
                   "values", "currently", "only", "not", "also", "includes", "does", "do"}
_HEADING = re.compile(r"^(?:#{1,6}\s|[=\-*_]{3,}\s*$|<h\d)")
_PREAMBLE = {
    "title", "source", "sources", "donor", "date", "dates", "author", "authors", "creator",
    "creators", "note", "notes", "nb", "summary", "abstract", "description", "version",
    "contact", "email", "e-mail", "url", "website", "homepage", "license", "licence",
    "citation", "cite", "reference", "references", "keywords", "created", "updated",
    "modified", "publisher", "copyright", "address", "phone", "tel", "fax", "doi", "isbn",
    "results", "result", "example", "examples", "warning", "caution", "important", "tip",
    "disclaimer", "acknowledgements", "acknowledgments", "funding", "database", "file",
    "files", "filename", "format", "dataset", "data", "purpose", "see", "eg", "ie", "http",
    "https", "ftp", "mailto", "attention", "update", "revised", "prepared", "organization",
    "institution", "project", "study", "universe", "question", "answer", "q", "a",
}
_BOLD_COLON = re.compile(r"\*\*([^*]+?):\*\*")
_VARIABLE_LIKE = re.compile(r"_|\d|[a-z][A-Z]|[A-Z]{2}[a-z]")
_LETTER = re.compile(r"[^\W\d_]")
_METADATA_VALUE = re.compile(r"^[\d\s.,:;%/#()+-]*$")
_WEAK_MINIMUM = {"colon": 1, "spaced": 3, "alone": 2, "table": 3}
_RUN_GAP = 4  # non-blank lines between one weak entry's end and the next head
# the words of a table's header row flattened to text (`Name  Label  Type  Values / units`)
_HEADER_WORDS = {
    "description", "label", "definition", "meaning", "explanation", "type", "name", "names",
    "variable", "variables", "field", "column", "var", "values", "value", "units", "unit",
    "format", "notes", "note", "codes", "code", "range", "length", "width", "position",
    "level", "measure", "missing", "categories", "comments", "source", "example", "examples",
    "descripción", "descripcion", "etiqueta", "tipo", "valores", "nombre", "unidad", "campo",
    "libellé", "libelle", "nom", "valeurs", "unité", "modalités", "beschreibung",
    "bezeichnung", "typ", "werte", "einheit", "descrição", "descricao", "rótulo", "rotulo",
    "nome", "of", "and", "or", "de", "data", "allowed", "possible", "posibles", "possíveis",
    "print", "write", "decimals", "columns", "align", "role", "measurement", "storage",
    "display",
}
_NUMERIC = re.compile(r"^[-+]?\d[\d.,]*$")
_HEADER_TOKEN = re.compile(r"[^\W\d_]+")


def scan(lines: list[str]) -> list[Entry]:
    """The field entries of a free-text dictionary, in document order."""
    found: list[tuple[Entry, str, int]] = []
    ends: dict[int, int] = {}  # head line -> last line of its entry
    current: Entry | None = None
    gap = table = False
    spaced = 0  # `name<TAB>text` heads so far: after a few, `name text` is one where the
    # name looks like a variable (a tab lost in typing)
    parts: set[str] | None = None  # the words of the document's coded names, when needed
    for i, raw in enumerate(lines):
        text = raw.strip()
        if not text:
            gap = True
            continue
        indent = indent_of(raw)
        first = text[0]  # (which rules out most lines before a regex is tried)
        if first in "#=-*_<|`" and (_HEADING.match(text) or first == "|"
                                     or text.startswith("```")):
            current = None
        elif first in "cefvCEFV" and _TABLE_HEADER.match(text):
            current, table = None, True
        elif current is not None and indent > current.indent:
            current.add_text(text, indent)
            ends[found[-1][2]] = i
        else:
            head = _head(text, lines, i, indent) \
                or (_table_head(text, table) if table or spaced >= _WEAK_MINIMUM["spaced"]
                    and indent == 0 else None) \
                or (_words_typed_head(text) if spaced >= _WEAK_MINIMUM["spaced"]
                    and indent == 0 else None) \
                or _code_list_head(text, lines, i) or (_equals_head(text) if gap else None)
            if head is None and indent == 0 and _SPACED_NAME.match(text):
                parts = _name_parts(lines) if parts is None else parts
                head = _spaced_name_head(text, parts)
            if head is None and found and found[-1][1] == "colon" and not gap:
                head = _field_among_fields(text, lines, i, ends.get(found[-1][2], found[-1][2]))
            if head is None and current is not None and indent == 0 \
                    and spaced >= _WEAK_MINIMUM["spaced"]:
                head = _name_below_text(text, lines, i, current)
            if head and not _is_code_of(current, text, head[0].name, gap, indent):
                spaced += head[1] == "spaced"
                current = head[0]
                current.line = i
                found.append((*head, i))
            elif current is not None and _belongs(current, text, gap):
                current.add_text(text, indent)
                ends[found[-1][2]] = i
            else:
                current = None
        gap = False
    kept = _in_runs(found, ends, lines)
    return [e for e, _, i in found if e.has_content and i in kept]


def _in_runs(found: list[tuple[Entry, str, int]], ends: dict[int, int],
             lines: list[str]) -> set[int]:
    """Line numbers of the heads to keep: every colon head; weak heads only in runs.

    A run is a group of heads of one kind, each starting at most _RUN_GAP lines after the
    previous entry ends, at least _WEAK_MINIMUM long: a dictionary lists its fields
    together, prose has strays.
    """
    kept = {i for _, kind, i in found if kind == "colon"}
    filled = [0]  # non-blank lines before each line: empty paragraphs part no run
    for line in lines:
        filled.append(filled[-1] + bool(line.strip()))
    for kind in ("spaced", "alone", "table"):
        run: list[int] = []
        for i in [i for _, k, i in found if k == kind] + [-1]:
            last = ends.get(run[-1], run[-1]) if run else 0
            if run and (i < 0 or filled[i] - filled[last] > _RUN_GAP):
                if len(run) >= _WEAK_MINIMUM[kind]:
                    kept.update(run)
                run = []
            run.append(i)
    return kept


def _head(text: str, lines: list[str], i: int, indent: int) -> tuple[Entry, str] | None:
    """A field head on this line: the new entry and its kind, or None."""
    if "**" in text:
        text = _BOLD_COLON.sub(r"**\1**:", text)  # `**name:**` -> `**name**:`
    for pattern, kind in ((_COLON_HEAD, "colon"), (_DASH_HEAD, "colon"),
                          (_SPACED_HEAD, "spaced"), (_TYPED_HEAD, "spaced")):
        m = pattern.match(text)
        if m and (kind != "spaced" or indent == 0):
            entry = _entry(m, indent)
            if entry is not None and (pattern is not _TYPED_HEAD or entry.source_type):
                return entry, kind
    m = _ALONE_HEAD.match(text)
    if m and _indented_below(lines, i, indent):
        entry = _entry(m, indent)
        if entry is not None:
            return entry, "alone"
    return None


def _name_parts(lines: list[str]) -> set[str]:
    """The words of the document's `NAME: text` heads: whole names and the parts of coded ones
    (`STUB_NAME_NUM` -> STUB, NAME, NUM); empty when fewer than two names are coded."""
    names = [m.group("plain") for line in lines for m in [_COLON_HEAD.match(line.strip())]
             if m and m.group("plain")]
    coded = [n for n in names if "_" in n.strip("_")]
    if len(coded) < 2:
        return set()
    return set(names) | {p for n in coded for p in n.split("_") if p}


def _spaced_name_head(text: str, parts: set[str]) -> tuple[Entry, str] | None:
    """`UNIT NUM: text` among `STUB_NAME_NUM:` heads: an upper-case name written with a space
    where the others have an underscore, each word a name or a part of a coded name."""
    m = _SPACED_NAME.match(text)
    words = m.group("plain").split() if m else []
    if not words or not all(w in parts for w in words) or not m.group("rest").strip():
        return None
    entry = Entry(name=" ".join(words))
    entry.type_hint, entry.source_type, entry.head = type_words(m.group("rest").strip())
    return entry, "colon"


def _words_typed_head(text: str) -> tuple[Entry, str] | None:
    """`bills spons n (numeric)<TAB>text` among `BillID (string)<TAB>text` heads: a name whose
    underscores a PDF's text lost, known by its type word and the tab after it."""
    m = _WORDS_TYPED_HEAD.match(text)
    if not m:
        return None
    type_hint, source_type, _ = type_words(f"({m.group('type')})")
    if source_type is None:
        return None
    entry = Entry(name=" ".join(m.group("plain").split()), head=m.group("rest").strip())
    entry.type_hint, entry.source_type = type_hint, source_type
    return entry, "spaced"


def _field_among_fields(text: str, lines: list[str], i: int,
                        last: int) -> tuple[Entry, str] | None:
    """`Date: Date of the first of the month` right after one `NAME: text` entry and right
    before another: a preamble word (`Date`, `Title`) names a field among fields."""
    m = _COLON_HEAD.match(text)
    name = (m.group("plain") or "") if m else ""
    if name.lower() not in _PREAMBLE or len(m.group("rest").split()) < 3 \
            or _previous_filled(lines, i) != last:
        return None
    below = next((x.strip() for x in lines[i + 1:] if x.strip()), "")
    n = _COLON_HEAD.match(below)
    if not n or not n.group("plain") or n.group("plain").lower() in _PREAMBLE:
        return None
    entry = Entry(name=name)
    entry.type_hint, entry.source_type, entry.head = type_words(m.group("rest").strip())
    return entry, "colon"


def _name_below_text(text: str, lines: list[str], i: int,
                     current: Entry) -> tuple[Entry, str] | None:
    """`NUM_TITULO_ELEITORAL` alone on its line in a `NAME<TAB>text` table, right above the
    next row: a field whose name a PDF printed below its one line of text (a cell's lines are
    centred), so that line, read as the entry above's last line, is its text."""
    below = next((x for x in lines[i + 1:] if x.strip()), "")
    if not _ROW_NAME.match(text) or text.isupper() != current.name.isupper() \
            or "\t" not in below or not _SPACED_HEAD.match(below.strip()):
        return None
    entry = Entry(name=text)
    above = lines[_previous_filled(lines, i)].strip()
    if current.head and current.lines and current.lines[-1] == above and above[:1].isupper():
        entry.head = current.lines.pop()
    return entry, "spaced"


def _previous_filled(lines: list[str], i: int) -> int:
    """The index of the last non-blank line before line i (-1: none)."""
    return next((j for j in range(i - 1, -1, -1) if lines[j].strip()), -1)


def _code_list_head(text: str, lines: list[str], i: int) -> tuple[Entry, str] | None:
    """`Household Composition (huishouden):` or `Migration background:` alone on a line with
    code lines right below: a variable whose codes follow (the bracketed name, else the words)."""
    if not text.endswith(":") or not _codes_below(lines, i):
        return None
    m = _LABELLED_HEAD.match(text)
    if m and not type_of(m.group("plain")) and not is_unit_name(m.group("plain")):
        entry = Entry(name=m.group("plain"), title=" ".join(m.group("title").split()))
        return entry, "colon"
    m = _WORDS_HEAD.match(text)
    words = m.group("plain").lower().split() if m else []
    if m and not _LIST_WORDS.intersection(words) and words[0] not in _PREAMBLE:
        return Entry(name=" ".join(m.group("plain").split())), "colon"
    return None


def _codes_below(lines: list[str], i: int) -> bool:
    """Whether the next two non-blank lines are code lines."""
    below = [x for x in lines[i + 1:i + 4] if x.strip()][:2]
    return len(below) == 2 and all(parse_code_line(x) is not None for x in below)


def _equals_head(text: str) -> tuple[Entry, str] | None:
    """`Welvaart = SES: financial prosperity ...` after a blank line: a name and its text, not
    a code (a label of many words)."""
    m = _EQUALS_HEAD.match(text)
    if not m or _NUMERIC.match(m.group("plain")) or len(m.group("rest").split()) < _EQUALS_WORDS:
        return None
    entry = _entry(m, 0)
    return (entry, "colon") if entry is not None else None


def _table_head(text: str, table: bool = True) -> tuple[Entry, str] | None:
    """`Trip_distance The elapsed trip distance ...` below a `Field Name Description` header
    (elsewhere, only a name that looks like a variable: `otherrace_text Text if ...`)."""
    m = _TABLE_HEAD.match(text)
    if not m or parse_code_line(text) is not None:
        return None
    name, rest = m.group("plain"), m.group("rest")
    variable_like = _VARIABLE_LIKE.search(name) is not None
    word_pair = (name[0].isupper() and rest[0].isupper()
                 and name.lower() not in _SENTENCE_START and name.lower() not in _PREAMBLE)
    if not (variable_like or word_pair and table):
        return None
    entry = _entry(m, 0)
    return (entry, "table" if table else "spaced") if entry is not None else None


def _entry(m: re.Match[str], indent: int) -> Entry | None:
    """The entry a head match describes, or None when the head is not a field."""
    groups = m.groupdict()
    formatted = groups.get("tick") or groups.get("bold") or groups.get("under")
    name = (formatted or groups.get("plain") or "").strip().rstrip(":").strip()
    rest = (groups.get("rest") or "").strip()
    hinted = groups.get("type")
    typed = type_words(f"({hinted})") if hinted else (None, None, "")
    # `Title (string)`: a preamble word with a type is a variable
    if not _name_ok(name, formatted is not None or typed[1] is not None) \
            or _METADATA_VALUE.match(rest) and rest:
        return None
    if _header_row(name, rest):
        return None  # `Variable    Description`: a header row
    entry = Entry(name=name, indent=indent)
    if hinted:
        entry.type_hint, entry.source_type, _ = typed
        if entry.source_type is None:
            rest = f"({hinted}) {rest}".strip()  # `(sp?)`, `(in mm)`: part of the text
    if not entry.source_type:
        entry.type_hint, entry.source_type, rest = type_words(rest)
    entry.head = rest
    return entry


def _header_row(name: str, rest: str) -> bool:
    """`Variable   Description`, `Name  Label  Type  Values / units`: every word names a column."""
    words = _HEADER_TOKEN.findall(f"{name} {rest}".lower())
    return bool(rest) and len(words) >= 2 and all(w in _HEADER_WORDS for w in words)


def _name_ok(name: str, formatted: bool) -> bool:
    """Whether a head's name can be a variable name (not a number, URL or preamble key)."""
    if not name or not _LETTER.search(name) or len(name) > 64:
        return False
    # `Title:`, `Date: July, 1988` are preamble; `date:` and `DATE:` are variable names
    if not formatted and (name.lower() in _PREAMBLE and name == name.capitalize()
                          or name.lower() in ("http", "https", "ftp", "mailto")):
        return False
    return formatted or " " not in name or re.fullmatch(_NAME_LIST, name) is not None


def _indented_below(lines: list[str], i: int, indent: int) -> bool:
    """Whether the next non-blank line is indented deeper than line i."""
    for nxt in lines[i + 1:i + 4]:
        if nxt.strip():
            return indent_of(nxt) > indent and not nxt.strip().startswith("|")
    return False


def _is_code_of(current: Entry | None, text: str, name: str, gap: bool, indent: int) -> bool:
    """`M: Male` right below `sex:` or its other codes is a code, not a field called M."""
    if current is None or gap or len(name) > 3 or parse_code_line(text) is None:
        return False
    return not current.head if not current.codes else current.code_indent == indent


def _belongs(current: Entry, text: str, gap: bool) -> bool:
    """An unindented line that still belongs to the open field (a code, a wrapped line)."""
    if gap and current.codes and _equals_head(text) is not None:
        return False  # a name and its text after the codes: the next variable
    if parse_code_line(text) is not None:
        return bool(current.codes) or not gap
    return not gap and not current.codes
