"""A field being assembled from its row of a dictionary table and the rows that continue it.

Cells are taken by role: the label and description (code lists written inside them come out
as codes; lines starting with `*` are notes), a code and its label on rows of their own, a
values cell (`1=Yes; 2=No`, one code per line, bare labels, or a `1 - 7` range), and the
type, unit, range, missing and flag columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field

from rapidfuzz import fuzz

from ...model import Category, Field
from ..codes import find_bounds, find_range, find_unit, infer_type_from_codes, parse_inline_codes
from . import cells as C
from . import codecells as CC
from . import remarks as R

_PERCENT = {"%", "percent", "percentage", "pct"}
_NO_UNIT = {"", "n/a", "na", "none", "-", "–", "no unit", "unitless", "dimensionless"}
_VALUE_ROLES = ("values", "values2")     # a table may have two (`Values`, `Value labels`)
_MAX_CODE_WORDS = 3          # a code cell of more words is a remark on the values
# a code cell that says the cell is empty or filled (`Blank`, `Not blank`), or writes a date's
# format (`YYYY`, `AAAA-MM-DD`): a remark on the values, no code a data cell holds
_NOT_A_CODE = re.compile(
    r"(?i)(?:not |non-?)?(?:blank|empty)|(?:en )?blanco|vac[ií]o|(?:em )?branco|vazio|vide"
    r"|(?:nicht )?leer|(?-i:YYYY|AAAA|JJJJ)|(?-i:[YAJ]{2,4}|MM|DD|JJ|TT)(?:[-/.](?-i:[YAJ]{2,4}|MM|DD|JJ|TT)){1,2}")
_LABELLED_ROWS = 0.5         # share of unlabelled codes with a text beside them to be labels
_EXTRA_ROLES = {"notes": "notes", "source": "source", "alias": "alias", "example": "example",
                "branching": "branchingLogic", "section": "section"}


@dataclass
class Draft:
    """A field being assembled from its row and the continuation rows below it."""

    names: list[str]
    joiner: str
    table: str = ""                                          # the table-name column's value
    prose: list[str] = dc_field(default_factory=list)
    codes: list[Category] = dc_field(default_factory=list)
    notes: list[str] = dc_field(default_factory=list)
    cells: dict[str, str] = dc_field(default_factory=dict)   # first non-empty cell per role
    # what values cells state besides codes, a range or a type (`Free input, 0 to 31`): the
    # description when there is none (the enrichment pass reads ranges and units there), else
    # a note
    stated: list[str] = dc_field(default_factory=list)
    title: str | None = None
    value_range: tuple[float, float] | None = None
    seen: set[tuple[str, str]] = dc_field(default_factory=set)  # (role, cell) taken in
    # description cells on rows of unlabelled codes: each code's label when they differ
    # from row to row, else (the same text filled down a merged cell) the description
    beside: list[tuple[Category, str]] = dc_field(default_factory=list)
    rows: int = 0                                            # rows taken in
    spans: list[tuple[str, str, tuple[float, float]]] = dc_field(default_factory=list)

    def add(self, row: dict[str, str]) -> None:
        """Take in one row (the first or a continuation) of this field."""
        self._add_title(row.get("title", ""))
        code, text = row.get("code", ""), row.get("description", "")
        first, self.rows = not self.rows, self.rows + 1
        if code and first and not self.codes and "type" not in row and C.type_word(code):
            # the field's own row of a code column: its type, and its label beside it
            self.cells["type"] = code
            self._add_title(row.get("code_label", ""))
            code = ""
        if code:
            self._add_code(code, row.get("code_label", ""))
        if code and text and not row.get("code_label") and self.codes \
                and self.codes[-1].value == code:
            self.beside.append((self.codes[-1], text))   # the code's label, or the field's
        else:
            self._add_description(text)
        read = {role for role in _VALUE_ROLES if row.get(role) and self._add_values(row[role])}
        for role, text in row.items():
            if text and role not in self.cells and role not in read:
                self.cells[role] = text

    def _add_code(self, code: str, label: str) -> None:
        """A code row: a code and its label; in the code's place a range (`01 a 14`, the
        valid values the next column names) or words (`6 dígitos e 8 casas decimais`) are no
        code: the range is the field's, the words say something about the values."""
        span = C.cell_range(code) if C.number(code) is None else None
        if span is not None and span[1] - span[0] >= 2:
            self.spans.append((code, label, span))      # one: a range; several: bands
            return
        if len(code.split()) > _MAX_CODE_WORDS or _NOT_A_CODE.fullmatch(code.strip()):
            said = " ".join(x for x in (code, label) if x)
        else:
            self.codes.append(Category(code, label or None))
            return
        if said not in self.stated:
            self.stated.append(said)

    def _add_values(self, text: str) -> bool:
        """Codes (or a range) of a values cell; whether any were found."""
        if ("values", text) in self.seen:
            return True
        self.seen.add(("values", text))
        kept = []
        for line in text.split("\n"):
            (self.notes if line.strip().startswith("*") else kept).append(line.strip(" *"))
        text = "\n".join(x for x in kept if x)
        span = CC.bands(text)
        if span is not None:
            self.notes.append(text)
            self.value_range = self.value_range or span
            return True
        found = CC.cell_codes(text) or CC.values_codes(text)
        lead, listed = R.lead_in(text)
        if not found and lead:
            found = CC.values_codes(listed)      # `Multiple choice: Red, Green, Blue`
            if found and lead not in self.stated:
                self.stated.append(lead)
        span = R.scale_ends(text, found)
        if span is not None:                    # the labelled ends of a scale: a range
            self.value_range = self.value_range or span
            found = []
            if text not in self.stated:
                self.stated.append(text)
            return True
        if found:
            self.codes.extend(found)
            rest = R.uncoded_lines(text, found)
            if rest and R.says_more(rest) and rest not in self.stated:
                self.stated.append(rest)     # `Asked of all respondents` under the codes
            return True
        if R.says_more(text) and text not in self.stated:
            self.stated.append(text)
        rng = C.cell_range(text)
        if rng is not None and self.value_range is None:
            self.value_range = rng
            return True
        return False

    def _add_title(self, text: str) -> None:
        if not text or ("title", text) in self.seen:
            return
        self.seen.add(("title", text))
        text = self._take_notes(text)
        first, _, rest = text.partition("\n")
        if self.joiner == " " and rest.strip():
            # lines wrapped by the layout (PDF): one label, unless code lines follow it
            prose, codes = CC.split_codes(rest)
            if not codes:
                first, rest = " ".join(text.split()), ""
        if self.title is None:
            self.title = first.strip()
        if rest.strip():  # a label cell holding the code list after a line break
            prose, codes = CC.split_codes(rest)
            self.codes.extend(codes)
            self.prose.extend(prose)

    def _add_description(self, text: str) -> None:
        if not text or ("description", text) in self.seen:
            return
        self.seen.add(("description", text))
        prose, codes = CC.split_codes(self._take_notes(text))
        self.prose.extend(prose)
        self.codes.extend(codes)

    def _take_notes(self, text: str) -> str:
        """The cell without its note lines (`* only when ...` after the first line)."""
        lines = text.split("\n")
        keep = lines[:1]
        for line in lines[1:]:
            (self.notes if line.strip().startswith("*") else keep).append(line)
        self.notes[:] = [n.strip(" *") for n in self.notes]
        return "\n".join(keep)

    def _labels_beside(self) -> None:
        """Texts beside unlabelled codes, a different one on each row, label the codes;
        the same text on every row (a merged cell) describes the field."""
        texts = [t for _, t in self.beside]
        if len(texts) >= 2 and len(set(texts)) == len(texts) \
                and len(texts) >= _LABELLED_ROWS * sum(c.label is None for c in self.codes):
            for cat, text in self.beside:
                cat.label = " ".join(text.split())
        else:
            for text in texts:
                self._add_description(text)
        self.beside = []

    def _spans(self) -> None:
        """A range in a field's code column is its valid range, said by the label beside it;
        ranges on several code rows are codes (age bands `18-24`, `25-34`)."""
        if len(self.spans) == 1:
            code, label, span = self.spans[0]
            self.value_range = self.value_range or span
            if (label or code) not in self.stated:
                self.stated.append(label or code)
        else:
            self.codes.extend(Category(code, label or None) for code, label, _ in self.spans)
        self.spans = []

    def finish(self, table_has_unit: bool) -> Field:
        """The finished Field."""
        self._spans()
        self._labels_beside()
        self.prose, named = named_codes(self.prose, self.names[0])
        self.codes.extend(named)
        description = self.joiner.join(self.prose).strip() or None
        if description and not self.codes:
            description = unwrap_brackets(description)
        codes = self.codes or (parse_inline_codes(description) if description else [])
        if codes and not self.codes:
            description = before_codes(description, codes)
        if self.stated and description is None:
            description = self.joiner.join(self.stated)
        elif self.stated:   # beside a description: a remark on the values, kept as a note
            self.notes.extend(x for x in self.stated if x not in self.notes)
        missing_col = C.missing_codes(self.cells.get("missing", ""))
        valid, missing = C.split_na(_dedupe(codes))
        f = Field(name=self.names[0], title=self.title or None, description=description,
                  categories=valid, missing_values=_dedupe(missing + missing_col))
        f.type, f.unit = _type_and_unit(self, f, table_has_unit)
        _constraints(self, f)
        _extras(self, f)
        return f


# a bracketed group the cell wraps onto a new line (`(J=…, S=… alle 500 jäsenen\nosuuskunta)`)
_WRAPPED_GROUP = re.compile(r"[(\[][^()\[\]]*\n[^()\[\]]*[)\]]")


def unwrap_brackets(text: str) -> str:
    """The text with line breaks inside brackets turned into blanks: a cell's wrapping, not
    the end of a code's label."""
    return _WRAPPED_GROUP.sub(lambda m: " ".join(m.group(0).split()), text)


_CLOSING_GROUP = re.compile(r"[(\[]([^()\[\]]+)[)\]][\s.;]*$")
_WORD = re.compile(r"[^\W\d_]{2,}")
_MAX_LABEL_WORDS = 5


def before_codes(text: str, codes: list[Category]) -> str:
    """The description without the list of short labels in brackets that closes it
    (`Status (1=Village, 2=Town)`) when that list holds every code read from it and words
    stand before it; else the description as written (codes explained at length, or woven
    into the sentence, are part of what it says)."""
    m = _CLOSING_GROUP.search(text)
    if not m or len(parse_inline_codes(m.group(1))) != len(codes):
        return text
    if any(len(str(c.label).split()) > _MAX_LABEL_WORDS for c in codes):
        return text
    head = text[:m.start()].rstrip(" ,;:–-\n")
    return head if _WORD.search(head) else text


# `phase_d=1 if person took part`, `x = 2 : label`, `x=3` (the name, the code, its label)
_NAMED_CODE = re.compile(r"^([A-Za-z_][\w.]*)\s*==?\s*([-+]?\d{1,6})(?![\d.,]\d)\s*[:.\-–)]?\s*(.*)$")
# the word that opens a condition written as a code's label (`if the person ...`)
_IF = re.compile(r"^(?:if|when|si|cuando|se|quando|lorsque|wenn|falls)\s+(?=\S)", re.I)
_NAME_LIKE = 60      # similarity of a code line's name to the field's (`civicorg` by `civicorg_d`)


def named_codes(prose: list[str], name: str) -> tuple[list[str], list[Category]]:
    """(the other lines, codes) of code lines that restate a variable's name (`time=1 if
    the survey was in 2017`, `time=2 ...`): two or more with one name, the field's own or
    one written like it (a typo, a suffix left off)."""
    lines = [x.strip() for p in prose for x in p.split("\n") if x.strip()]
    found: dict[str, list[tuple[int, re.Match[str]]]] = {}
    for i, line in enumerate(lines):
        m = _NAMED_CODE.match(line)
        if m:
            found.setdefault(m.group(1), []).append((i, m))
    if not found:
        return prose, []
    best = max(found, key=lambda k: (k == name, fuzz.ratio(k.lower(), name.lower()), len(found[k])))
    if len(found[best]) < 2 or (best != name and len(found) > 1
                                and fuzz.ratio(best.lower(), name.lower()) < _NAME_LIKE):
        return prose, []
    codes = [Category(m.group(2), _IF.sub("", m.group(3).strip()) or None)
             for _, m in found[best]]
    taken = {i for i, _ in found[best]}
    return [x for i, x in enumerate(lines) if i not in taken], codes


_WHOLE = re.compile(r"^([-+]?\d+)\.0+$")
_FRACTION = re.compile(r"^[-+]?\d*\.\d*[1-9]\d*$")


def _dedupe(codes: list[Category]) -> list[Category]:
    """One category per value; a later label fills an empty one.  Whole numbers written
    with decimals (`-9.00`) are the same codes as without (`-9`) unless a code has a
    fraction."""
    if not any(_FRACTION.match(c.value.strip()) for c in codes):
        codes = [Category(_WHOLE.sub(r"\1", c.value.strip()), c.label) for c in codes]
    out: dict[str, Category] = {}
    for c in codes:
        if c.value not in out:
            out[c.value] = Category(c.value, c.label)
        elif not out[c.value].label and c.label:
            out[c.value].label = c.label
    return list(out.values())


def _type_and_unit(d: Draft, f: Field, table_has_unit: bool) -> tuple[str, str | None]:
    """The field's type (type column, else values, else a type word in the unit column, else
    its codes) and unit (unit column, `%` as a type, or stated in the description)."""
    type_text = d.cells.get("type", "")
    unit_text = d.cells.get("unit", "").strip()
    if type_text:
        f.extras["sourceType"] = type_text
    unit = None if _not_a_unit(unit_text) else unit_text
    if unit is None and {unit_text.lower(), type_text.strip().lower()} & _PERCENT:
        unit = "%"
    # the type column, else a type word in the values or the unit column
    ftype = (C.type_word(type_text) or C.type_word(d.cells.get("values", ""))
             or C.type_word(d.cells.get("values2", "")) or C.type_word(unit_text))
    if ftype == "year" and not _mentions_year(f):
        ftype, unit = "number", unit or "years"   # `median age` measured in years
    if ftype is None:
        ftype = infer_type_from_codes(f.categories) if f.categories else "any"
    if unit is None and not table_has_unit:
        unit = (C.name_unit(f.name) or find_unit(" ".join(x for x in (
            f.title, f.description, *d.stated) if x)) or C.name_unit(d.cells.get("alias", "")))
    return ftype, unit


def _not_a_unit(text: str) -> bool:
    """Blank, `n/a`, a type word (`text`, `integer`) or a kind of name (`country name`); a
    unit that holds a type word (`decimal degrees`, `percent`) is a unit."""
    low = text.lower()
    if low in _NO_UNIT or re.search(r"\bnames?$", low) is not None:
        return True
    if not C.type_word(text) or find_unit(text):
        return False
    bare = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", low)
    return len(re.findall(r"[^\W\d_]+", bare)) == 1


def _mentions_year(f: Field) -> bool:
    text = " ".join(x for x in (f.name, f.title, f.description) if x)
    return re.search(r"year|\byr\b|yyyy", text, re.I) is not None


def _constraints(d: Draft, f: Field) -> None:
    """Range from min/max or range columns, a range in the values or type cell (else the
    description), required flag."""
    lo = C.number(d.cells.get("min", ""))
    hi = C.number(d.cells.get("max", ""))
    if lo is not None and lo == hi:
        lo = hi = None          # `0 | 0`: a catalog's placeholder, no range of one value
    if lo is None and hi is None:
        found = None
        if d.cells.get("range"):
            found = find_range(d.cells["range"]) or _bare_range(d.cells["range"])
        elif d.value_range is not None and not f.categories:
            found = d.value_range
        elif d.cells.get("type") and not f.categories and C.cell_range(d.cells["type"]):
            found = C.cell_range(d.cells["type"])
        elif not f.categories and f.type in ("number", "integer", "any") and f.description:
            found = find_range(f.description)
        if not found and not f.categories and f.type in ("number", "integer", "any"):
            found = next(filter(None, (find_range(x) or find_bounds(x) for x in d.stated)), None)
        if found:
            lo, hi = found
    if lo is not None:
        f.constraints["minimum"] = _whole(lo)
    if hi is not None:
        f.constraints["maximum"] = _whole(hi)
    values = d.cells.get("values", "").lower()
    if lo is None and re.search(r"\b(?:positive|non-?negative)\b", values):
        f.constraints["minimum"] = 0
    if C.flag(d.cells.get("required", "")):
        f.constraints["required"] = True


def _whole(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def _bare_range(text: str) -> tuple[float, float] | None:
    """`5-90`, `1..99`, `$1.20-$4765.20` (an amount's range, the currency sign on each end)."""
    m = re.fullmatch(r"\s*[$€£¥]?\s*(-?\d+(?:\.\d+)?)\s*(?:-|–|to|\.\.)\s*[$€£¥]?\s*"
                     r"(-?\d+(?:\.\d+)?)\s*", text)
    return (float(m.group(1)), float(m.group(2))) if m else None


def _extras(d: Draft, f: Field) -> None:
    for role, key in _EXTRA_ROLES.items():
        if d.cells.get(role):
            f.extras[key] = d.cells[role]
    if d.notes:
        f.extras["notes"] = "\n".join(x for x in (f.extras.get("notes"), *d.notes) if x)
    pos = C.position(d.cells.get("position", ""))
    if pos:
        f.extras["position"] = pos
