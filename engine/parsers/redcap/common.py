"""What every REDCap source says about a field, and how it becomes a `Field`.

The data dictionary (CSV/XLSX), the instrument PDF and the codebook PDF all describe the
same things: a variable name, a field type (`text`, `radio`, `checkbox`, `calc`, ...), a
validation (`date_ymd`, `integer`, ...), choices, flags and branching logic.  Each reader
fills a `RedcapItem`; `to_field` applies REDCap's semantics once.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field as dc_field
from typing import Any

from ...model import Category, Field
from ..codes import find_unit, infer_type_from_codes, split_missing

FIELD_TYPES = ("text", "notes", "textarea", "radio", "dropdown", "select", "checkbox", "yesno",
               "truefalse", "calc", "slider", "file", "sql", "descriptive")
_CHOICE_TYPES = {"radio", "dropdown", "select", "checkbox", "yesno", "truefalse", "sql"}
_DEFAULT_CHOICES = {
    "yesno": [Category("1", "Yes"), Category("0", "No")],
    "truefalse": [Category("1", "True"), Category("0", "False")],
}


@dataclass
class RedcapItem:
    """One row of a REDCap dictionary, as its source wrote it (texts, not yet typed)."""

    name: str
    field_type: str
    label: str = ""                      # question text (HTML already stripped)
    description: str | None = None
    choices: list[Category] = dc_field(default_factory=list)
    choices_text: str = ""               # calc formula, slider labels, SQL
    validation: str = ""
    minimum: str = ""
    maximum: str = ""
    required: bool = False
    identifier: bool = False
    branching: str = ""
    form: str = ""
    section: str = ""
    unit: str = ""
    extras: dict[str, Any] = dc_field(default_factory=dict)


# ---- REDCap item -> Field ------------------------------------------------------------------
def to_field(item: RedcapItem) -> Field:
    """The Table Schema field a REDCap item describes."""
    ftype = item.field_type.lower()
    f = Field(name=item.name, title=item.label or None, description=item.description or None)
    f.extras["sourceType"] = ftype
    if item.validation:
        f.extras["validation"] = item.validation
    _set_type(f, ftype, item)
    _set_range(f, item.minimum, item.maximum)
    if ftype == "slider":  # REDCap's default scale unless the dictionary sets one
        f.constraints.setdefault("minimum", 0)
        f.constraints.setdefault("maximum", 100)
    if item.required:
        f.constraints["required"] = True
    _set_extras(f, item)
    if item.unit:
        f.unit = item.unit
    elif f.type in ("integer", "number") and not f.categories:
        f.unit = find_unit(item.label) or _note_unit(item.description)
    return f


_TIME_WORD = re.compile(r"^\(?\s*(year|month|week|day|hour|minute|second)s?\b", re.I)


def _note_unit(note: str | None) -> str | None:
    """The unit a field note states: REDCap prints the note beside the box (`kg`, `days`)."""
    if not note:
        return None
    m = _TIME_WORD.match(note.strip())
    return m.group(1).lower() + "s" if m else find_unit(note)


def _set_type(f: Field, ftype: str, item: RedcapItem) -> None:
    """Type, format, codes and type-specific extras from the REDCap field type."""
    if ftype in _CHOICE_TYPES:
        _set_choices(f, ftype, item.choices or _DEFAULT_CHOICES.get(ftype, []))
        if ftype == "sql" and item.choices_text:
            f.extras["sql"] = item.choices_text  # the codes come from the project's database
    elif ftype == "calc":
        f.type = "number"
        if item.choices_text:
            f.extras["calculation"] = item.choices_text
    elif ftype == "slider":
        f.type = "integer"
        labels = [p.strip() for p in item.choices_text.split("|") if p.strip()]
        if labels:
            f.extras["sliderLabels"] = labels
    elif ftype == "text":
        f.type, f.format, pattern = validation_type(item.validation)
        if pattern:
            f.constraints["pattern"] = pattern
    else:  # notes, textarea, file, unknown types: free text
        f.type = "string"


def _set_choices(f: Field, ftype: str, choices: list[Category]) -> None:
    """Codes of a categorical field; missing-value codes apart (not for checkboxes)."""
    if ftype == "checkbox":
        # each choice is its own 0/1 column in exported data: none of them is a missing code
        f.categories = list(choices)
        f.extras["checkbox"] = True
        f.extras["columns"] = [checkbox_column(f.name, c.value) for c in choices]
    else:
        f.categories, f.missing_values = _split_missing(choices)
    f.type = infer_type_from_codes(choices) if choices else "string"
    if f.type == "number":  # `1.5` codes are still codes written as text
        f.type = "string"


_WHO = re.compile(r"^(?:patient|participant|respondent|subject)\s+(?=\w)", re.I)


def _split_missing(choices: list[Category]) -> tuple[list[Category], list[Category]]:
    """(valid, missing) codes; `Patient Refused` is as missing as `Refused`."""
    valid: list[Category] = []
    missing: list[Category] = []
    for c in choices:
        probe = Category(c.value, _WHO.sub("", c.label or "") or None)
        (missing if split_missing([probe])[1] else valid).append(c)
    return valid, missing


def checkbox_column(name: str, code: str) -> str:
    """The export column of one checkbox choice: `race___1`, `race____1` for code -1."""
    return f"{name}___{re.sub(r'[^0-9A-Za-z_]', '_', code).lower()}"


def _set_range(f: Field, lo: str, hi: str) -> None:
    """Validation min/max: numbers for numeric fields, text for dates and times."""
    for key, raw in (("minimum", lo), ("maximum", hi)):
        raw = (raw or "").strip()
        if not raw:
            continue
        if f.type in ("integer", "number"):
            value = _number(raw)
            if value is not None:
                f.constraints[key] = value
        elif f.type in ("date", "datetime", "time") and re.match(r"^\d", raw):
            f.constraints[key] = raw  # `today`/`now` are not fixed bounds


def _set_extras(f: Field, item: RedcapItem) -> None:
    if item.branching:
        f.extras["branchingLogic"] = item.branching
    if item.identifier:
        f.extras["identifier"] = True
    if item.form:
        f.extras["form"] = item.form
    if item.section:
        f.extras["section"] = item.section
    f.extras.update(item.extras)


def _number(text: str) -> int | float | None:
    try:
        x = float(text.replace(",", "."))
    except ValueError:
        return None
    return int(x) if x.is_integer() else x


# ---- validation -> type ---------------------------------------------------------------------
_DATETIME_FORMATS = {"datetime": "%Y-%m-%d %H:%M", "datetime_seconds": "%Y-%m-%d %H:%M:%S"}
_PATTERNS = {
    "zipcode": r"\d{5}(-\d{4})?",
    "phone": r"\(?\d{3}\)?[-. ]?\d{3}[-. ]?\d{4}",
    "alpha_only": r"[A-Za-z]*",
    "ssn": r"\d{3}-\d{2}-\d{4}",
    "time_mm_ss": r"[0-5]\d:[0-5]\d",
}


def validation_type(validation: str) -> tuple[str, str | None, str | None]:
    """(type, format, pattern) of a text field with this REDCap validation."""
    v = validation.strip().lower()
    if not v:
        return "string", None, None
    if v.startswith("datetime_seconds"):
        return "datetime", _DATETIME_FORMATS["datetime_seconds"], None
    if v.startswith("datetime"):
        return "datetime", _DATETIME_FORMATS["datetime"], None
    if v.startswith("date"):
        return "date", None, None  # REDCap exports dates as YYYY-MM-DD whatever the entry format
    if v in ("time", "time_hh_mm"):
        return "time", "%H:%M", None
    if v == "time_hh_mm_ss":
        return "time", "%H:%M:%S", None
    if v in ("integer", "int"):
        return "integer", None, None
    if v.startswith("number") or v == "float":
        return "number", None, None
    if v == "email":
        return "string", "email", None
    return "string", None, _PATTERNS.get(v)


# ---- texts --------------------------------------------------------------------------------
_BLOCK_TAG = re.compile(r"<\s*(?:br|/?div|/?p|/?h[1-6]|/?li|/?ul|/?ol|/?tr|/?table)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


def strip_html(text: str) -> str:
    """Text of an HTML snippet with block breaks kept as newlines and blanks collapsed."""
    return "\n".join(_label_blocks(text))


def _label_blocks(text: str) -> list[str]:
    text = _BLOCK_TAG.sub("\n\n", text or "")
    text = html.unescape(_TAG.sub("", text)).replace("\xa0", " ")
    blocks = re.split(r"\n\s*\n", text)
    return [b for b in (re.sub(r"\s+", " ", b).strip() for b in blocks) if b]


def split_label(label: str) -> tuple[str, str | None]:
    """(title, description) of a Field Label: a `<div>` subtitle becomes the description."""
    if not _BLOCK_TAG.search(label or ""):
        return re.sub(r"\s+", " ", html.unescape(_TAG.sub("", label or ""))).strip(), None
    blocks = _label_blocks(label)
    if not blocks:
        return "", None
    return blocks[0], " ".join(blocks[1:]) or None


def parse_choices(text: str) -> list[Category]:
    """REDCap choices `1, Yes | 2, No`: the code is what precedes the first comma."""
    text = (text or "").strip()
    if not text:
        return []
    parts = re.split(r"\s*\|\s*", text)
    if len(parts) == 1 and "\n" in text:  # very old dictionaries put one choice per line
        parts = text.splitlines()
    out: list[Category] = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        code, sep, label = part.partition(",")
        code, label = code.strip(), re.sub(r"\s+", " ", strip_html(label)).strip()
        out.append(Category(code, label if sep and label else None))
    return out


def join_description(*parts: str | None) -> str | None:
    """Non-empty parts on their own lines, or None."""
    kept = [p.strip() for p in parts if p and p.strip()]
    return "\n".join(kept) or None
