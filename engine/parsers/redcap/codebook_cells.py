"""One codebook row's cells (lines of positioned words) read as a REDCap field.

    name cell    `[name]` (maybe wrapped over lines or pages), then maybe a caption such as
                 `Show the field ONLY if:` and the branching logic
    label cell   `Section Header: ...` above the label, the field note below it (in a smaller
                 font, or after `Field Note:`)
    attr cell    `type (validation, Min: a, Max: b), Required, Identifier`, then the choices
                 (`code  label`, checkboxes `code  name___code  label`) and `Key: value` lines
                 (`Calculation:`, `Field Annotation:`, `Slider labels:`, `Custom alignment:`)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field

from ...model import Category, Field
from .common import FIELD_TYPES, RedcapItem, join_description, to_field
from .pdfpages import Segment

_NAME = re.compile(r"^\[([A-Za-z][A-Za-z0-9_]*)\]")
_KEYS = ("calculation", "slider labels", "field annotation", "custom alignment",
         "question number", "matrix group name", "matrix ranking", "field note")
# the same captions as other REDCap languages may print them (prefixes, lower case)
_KEY_WORDS = {"calculation": ("cálculo", "calculo", "calcul", "berechnung"),
              "field annotation": ("anotación", "anotacion", "anotação", "anotacao",
                                   "annotation", "feldannotation")}
_FORMULAS = {"calculation"}   # wrapped like code; other values wrap at spaces
_KEY = re.compile(r"^([^\W\d_][\w ()/'-]{0,40}?)\s*:\s*(.*)$")
_CHOICE_TYPES = {"radio", "dropdown", "select", "checkbox", "yesno", "truefalse"}
_SMALLER = 0.5       # points: a label-cell word this much smaller than the body is a note


@dataclass
class Line:
    """The words of one printed line inside one cell."""

    page: int
    words: list[Segment]
    wide: float = 8.0          # points: a wider gap between two words separates cells
    right: float = 0.0         # the furthest any line of this column reaches on the page

    @property
    def full(self) -> bool:
        """The line reaches its cell's edge (within a character): it may have cut a word."""
        last = self.words[-1]
        char = (last.x1 - last.x0) / max(len(last.text), 1)
        return last.x1 >= self.right - 1.5 * char

    def split_after(self, i: int) -> bool:
        """A cell boundary (a wide gap) follows word i."""
        return i + 1 < len(self.words) and \
            self.words[i + 1].x0 - self.words[i].x1 > self.wide

    @property
    def text(self) -> str:
        """The line's words, spaced."""
        return " ".join(s.text for s in self.words)


@dataclass
class Row:
    """One numbered codebook row: its cells' lines in reading order."""

    number: int
    page: int
    size: float                               # the body text size (the row number's)
    cells: dict[str, list[Line]] = dc_field(default_factory=dict)


def row_field(row: Row, form: str, section: str,
              warnings: list[str]) -> tuple[Field | None, str]:
    """(the field, the section in force after it); None for descriptive or unnamed rows."""
    name, logic = _name_and_logic(row.cells.get("name", []))
    if name is None:
        warnings.append(f"REDCap codebook: row {row.number} (page {row.page}) has no readable "
                        f"[variable name]; it was not read.")
        return None, section
    head, label, note = _label_cell(row.cells.get("label", []), row.size)
    if head:
        section = head
    note = join_description(note, join_text([ln.text for ln in row.cells.get("note", [])]))
    spec, rest = _type_spec(row.cells.get("attr", []))
    ftype, paren, flags = spec
    if ftype == "descriptive":
        return None, section
    if not ftype:
        warnings.append(f"REDCap codebook: row {row.number} [{name}] (page {row.page}): no "
                        f"field type could be read; it was taken as text.")
    choices, extra = _choices_and_keys(rest, ftype in _CHOICE_TYPES)
    lo = re.search(r"\bMin:\s*([^,)]+)", paren)
    hi = re.search(r"\bMax:\s*([^,)]+)", paren)
    validation = re.split(r",|\b(?:Min|Max):", paren)[0].strip() if ftype == "text" else ""
    note = join_description(note, extra.get("field note"))
    item = RedcapItem(
        name=name, field_type=ftype or "text", label=label, description=note,
        choices=choices,
        choices_text=extra.get("calculation", extra.get("slider labels", "")),
        validation=validation, minimum=lo.group(1).strip() if lo else "",
        maximum=hi.group(1).strip() if hi else "",
        required=any(f.lower() == "required" for f in flags),
        identifier=any(f.lower() == "identifier" for f in flags),
        branching=logic, form=form, section=section, extras={"page": row.page})
    if extra.get("field annotation"):
        item.extras["annotation"] = extra["field annotation"]
    return to_field(item), section


# ---- name and branching logic -----------------------------------------------------------
def _name_and_logic(lines: list[Line]) -> tuple[str | None, str]:
    """The variable name (joined over wrapped lines) and the branching logic below it."""
    text, used = "", 0
    for used, line in enumerate(lines, 1):
        text += line.text.replace(" ", "")
        if "]" in text:
            break
    m = _NAME.match(text)
    if not m:
        return None, ""
    return m.group(1), _logic(lines[used:])


def _logic(lines: list[Line]) -> str:
    """Branching logic from the lines under the name, without its caption."""
    for i, line in enumerate(lines[:3]):   # `Show the field ONLY if:`, maybe wrapped
        if re.search(r"[\[\]=<>'\"()]", line.text):
            break
        if line.text.rstrip().endswith(":"):
            lines = lines[i + 1:]
            break
    return join_wrapped([ln.text for ln in lines], [ln.full for ln in lines])


def join_text(lines: list[str]) -> str:
    """Prose wrapped over lines: joined with spaces, except after a hyphen or slash that ends
    a word (`DD-` / `MM-YYYY`: the browser breaks there without a space)."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if line:
            glue = "" if re.search(r"\w[-/]$", out) else " "
            out = out + glue + line if out else line
    return out


def join_wrapped(parts: list[str], full: list[bool] | None = None) -> str:
    """Logic or a formula wrapped over lines.  A line that stops short of its cell's edge broke
    at a space; one that fills it may have cut a word in two (joined without a space)."""
    out = ""
    for i, part in enumerate(p.strip() for p in parts):
        if not part:
            continue
        short = full is not None and not full[i - 1] if out else False
        out = part if not out else out + _joint(out, part, short) + part
    return out


def _joint(before: str, after: str, short: bool = False) -> str:
    """What goes between two wrapped lines of logic: a space or nothing."""
    a, b = before[-1], after[0]
    ident_a, ident_b = a.isalnum() or a == "_", b.isalnum() or b == "_"
    if before.count("[") > before.count("]"):
        return ""                      # inside a [name]: no spaces there
    call = b == "(" and ident_a and not re.search(r"\b(?:and|or|not)$", before, re.I)
    if call or (a == "]" and b == "["):
        return ""                      # `datediff(`, `[event][field]`
    if short:   # browsers also break after `/` and `-` where there is no space
        return "" if a in "/-" else " "
    if before.count("'") % 2 or before.count('"') % 2:
        return ""                      # a quoted value cut at the cell's edge
    if ident_a and ident_b:
        if re.search(r"(?:^|[^\w])(?:and|or|not)$", before, re.I) or \
                re.match(r"(?:and|or)\b", after, re.I) or \
                (re.search(r"(?:^|[^\w.])\d+(?:\.\d+)?$", before) and b.isalpha()):
            return " "
        return ""
    if a in "([+-*/^" or b in ")],+-*/^" or (a in "<>=!" and b in "<>="):
        return ""                      # brackets, arithmetic, a two-character operator
    return " "


# ---- label cell ---------------------------------------------------------------------------
def _label_cell(lines: list[Line], body: float) -> tuple[str, str, str | None]:
    """(section header, label, note) of the label cell.

    The section header comes first and the note last, both in a smaller font than the label
    (or after their `Section Header:` / `Field Note:` captions).
    """
    parts: dict[str, list[str]] = {"head": [], "label": [], "note": []}
    where = "head"
    if lines and all(s.size < body - _SMALLER for ln in lines for s in ln.words):
        body = max(s.size for ln in lines for s in ln.words)   # the row number is larger
    for line in lines:
        text = line.text
        key = re.match(r"^(Section Header|Field Note)\s*:\s*", text, re.I)
        small = bool(body) and all(s.size < body - _SMALLER for s in line.words)
        if key:
            where = "head" if key.group(1).lower().startswith("section") else "note"
            text = text[key.end():]
        elif small:
            where = "head" if where == "head" and not parts["label"] else "note"
        elif where != "note":
            where = "label"
        parts[where].append(text)
    section = join_text(parts["head"])
    caption = re.match(r"^[^:]{2,30}:\s+", section)
    if caption and caption.group().count(" ") <= 3 and \
            not re.match(r"^Section Header\s*:", lines[0].text, re.I):
        section = section[caption.end():]    # the caption, in another language
    return section, join_text(parts["label"]), join_text(parts["note"]) or None


# ---- attribute cell ---------------------------------------------------------------------
def _type_spec(lines: list[Line]) -> tuple[tuple[str, str, list[str]], list[Line]]:
    """((type, text in parentheses, flags), the lines after the type spec)."""
    if not lines:
        return ("", "", []), []
    used, text = 0, ""
    for used, line in enumerate(lines, 1):
        text = (text + " " + line.text).strip()
        if text.count("(") <= text.count(")") and not text.endswith(","):
            break
    m = re.match(r"^(\w+)\s*(?:\(([^)]*)\)?)?\s*,?\s*(.*)$", text)
    ftype = m.group(1).lower() if m else ""
    if ftype not in FIELD_TYPES:
        return ("", "", []), lines
    flags = [f.strip() for f in m.group(3).split(",") if f.strip()]
    return (ftype, m.group(2) or "", flags), lines[used:]


def _choices_and_keys(lines: list[Line], choice_type: bool):
    """(choices, {key: value}) from the lines after the type.

    A choice is `code | label` (checkboxes `code | name___code | label`) with a cell gap
    after the code; a `Key: value` line has no cell gap before its colon.
    """
    rows: list[list] = []          # [code, label lines, label x]
    keyed: dict[str, list[tuple[str, bool]]] = {}   # key -> (text, line is full) per line
    key = ""
    code_x = None
    for line in lines:
        first = line.words[0]
        new_choice = choice_type and not key and line.split_after(0) and (
            code_x is None or first.x0 <= code_x + 3)
        kv = None if new_choice else _key_line(line)
        if kv:
            key = kv[0]
            keyed[key] = [(kv[1], line.full)]
        elif new_choice:
            code_x = first.x0 if code_x is None else code_x
            rows.append(_choice(line))
        elif key:
            keyed[key].append((line.text, line.full))
        elif rows and first.x0 > code_x + 3:
            _continue_choice(line, rows[-1])
    choices = [Category(code, join_text(parts) or None) for code, parts, _ in rows]
    extra = {k: join_wrapped([t for t, _ in v], [f for _, f in v]) if k in _FORMULAS else
             join_text([t for t, _ in v]) for k, v in keyed.items()}
    return choices, extra


def _key_line(line: Line) -> tuple[str, str] | None:
    """(key, value) of a `Calculation: ...` line (no cell gap before the colon)."""
    m = _KEY.match(line.text)
    if not m:
        return None
    n_words = len(m.group(1).split())
    if any(line.split_after(i) for i in range(min(n_words, len(line.words)))):
        return None
    key = m.group(1).lower()
    key = next((k for k in _KEYS if key.startswith(k)), key)
    key = next((k for k, words in _KEY_WORDS.items() if key.startswith(words)), key)
    return key, m.group(2).strip()


def _choice(line: Line) -> list:
    """[code, label lines, label x] of a choice line; a checkbox's export column
    (`name___code`, the same as REDCap's rule gives) is left out."""
    words = line.words
    rest = words[1:]
    if len(rest) > 1 and "___" in rest[0].text and line.split_after(1):
        rest = rest[1:]
    return [words[0].text, [" ".join(s.text for s in rest)], rest[0].x0 if rest else words[0].x1]


def _continue_choice(line: Line, last: list) -> None:
    """A wrapped choice label under the last choice (a wrapped export column is left out)."""
    last[1].append(" ".join(s.text for s in line.words if s.x0 >= last[2] - 3))
