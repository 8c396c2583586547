"""The dictionary as a REDCap data dictionary (CSV), ready for REDCap's Data Dictionary import,
and read back by Codebook's REDCap parser as the same fields.

- names: REDCap wants lower-case letters, digits and `_`, a letter first; another name is
  rewritten (engine.report.exports.names) and the Field Annotation keeps the original;
- code lists are `radio`/`dropdown`/`checkbox`/`yesno` fields (`1, Yes | 2, No`), the
  field's missing-value codes appended as choices (REDCap has no other place for them; their
  labels, such as Refused or Unknown, tell Codebook they are missing).  A `|` in a label
  becomes `/`, and a `,` or `|` in a code `_`: REDCap's choice syntax has no escape;
- the missing-value codes of other fields go at the end of the Field Note (`Missing values:
  99 = No answer; 98 = Don't know`), which REDCap shows and Codebook reads;
- other fields are `text` with a validation (integer, number, date_ymd, datetime_seconds_ymd,
  time, email) and its min/max, or `notes`, or `calc` with its formula;
- labels and notes are HTML in REDCap: `<`, `>` and `&` are escaped, line breaks become
  spaces.  A cell a spreadsheet would read as a formula starts with a space (REDCap shows
  HTML, where it is invisible, and Codebook reads it back without it).
"""

from __future__ import annotations

import csv
import html
import io
import re
from typing import Any

from ...cells import neutralise
from ...model import Category, Field, Schema
from .names import target_names
from .rules import number

HEADER = ["Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
          "Choices, Calculations, OR Slider Labels", "Field Note",
          "Text Validation Type OR Show Slider Number", "Text Validation Min",
          "Text Validation Max", "Identifier?", "Branching Logic (Show field only if...)",
          "Required Field?", "Custom Alignment", "Question Number (surveys only)",
          "Matrix Group Name", "Matrix Ranking?", "Field Annotation"]
_YESNO = [("1", "Yes"), ("0", "No")]
_TRUEFALSE = [("1", "True"), ("0", "False")]
_VALIDATIONS = {"integer": "integer", "number": "number", "year": "integer",
                "date": "date_ymd", "time": "time"}


def redcap_csv(schema: Schema, *, form: str = "codebook") -> str:
    """The REDCap data dictionary CSV text."""
    names = target_names(schema.names, "redcap")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    section = None
    for f, name in zip(schema.fields, names):
        row = _row(f, name, _form(f, form))
        sec = str(f.extras.get("section") or "")
        row["Section Header"] = _html(sec) if sec and sec != section else ""
        section = sec or section
        w.writerow([_safe(row.get(h, "")) for h in HEADER])
    return buf.getvalue()


def _row(f: Field, name: str, form: str) -> dict[str, str]:
    ftype, choices, validation = _kind(f)
    label = f.title or f.description or f.name
    note = f.description if f.title and f.description else ""
    if f.missing_values and ftype not in ("radio", "dropdown"):
        note = _missing_note(note, f.missing_values)
    row = {"Variable / Field Name": name, "Form Name": form, "Field Type": ftype,
           "Field Label": _html(label), "Field Note": _html(note or ""),
           "Choices, Calculations, OR Slider Labels": choices,
           "Text Validation Type OR Show Slider Number": validation,
           "Identifier?": "y" if f.extras.get("identifier") else "",
           "Branching Logic (Show field only if...)": _one_line(
               str(f.extras.get("branchingLogic") or "")),
           "Required Field?": "y" if f.constraints.get("required") else "",
           "Matrix Group Name": _one_line(str(f.extras.get("matrixGroup") or ""))}
    if validation in ("integer", "number", "date_ymd", "datetime_seconds_ymd", "time"):
        row["Text Validation Min"] = _bound(f.constraints.get("minimum"), f)
        row["Text Validation Max"] = _bound(f.constraints.get("maximum"), f)
    notes = [str(f.extras["annotation"])] if f.extras.get("annotation") else []
    if name != f.name:
        notes.append(f"Original name: {f.name}")
    row["Field Annotation"] = _one_line(" ".join(notes))
    return row


def _kind(f: Field) -> tuple[str, str, str]:
    """(field type, choices/calculation cell, validation) of the field."""
    source = str(f.extras.get("sourceType") or "").lower()
    codes = [(c.value, c.label) for c in f.categories]
    if f.extras.get("checkbox") and codes:
        return "checkbox", _choices(f.categories), ""
    if codes:
        pairs = [(v, lab or "") for v, lab in codes]
        if source == "yesno" and pairs == _YESNO and not f.missing_values:
            return "yesno", "", ""
        if source == "truefalse" and pairs == _TRUEFALSE and not f.missing_values:
            return "truefalse", "", ""
        kind = "radio" if source == "radio" else "dropdown"
        return kind, _choices(f.categories + f.missing_values), ""
    if source == "calc" and f.extras.get("calculation"):
        return "calc", _one_line(str(f.extras["calculation"])), ""
    if source in ("notes", "textarea"):
        return "notes", "", ""
    if source == "file":
        return "file", "", ""
    return "text", "", _validation(f)


def _validation(f: Field) -> str:
    if f.type == "datetime":
        return "datetime_seconds_ymd" if "%S" in (f.format or "%S") else "datetime_ymd"
    if f.type == "time":
        return "time_hh_mm_ss" if "%S" in (f.format or "") else "time"
    if f.type == "string" and f.format == "email":
        return "email"
    known = str(f.extras.get("validation") or "")
    if f.type == "string" and known in ("zipcode", "phone", "alpha_only", "ssn", "time_mm_ss"):
        return known
    return _VALIDATIONS.get(f.type, "")


def _missing_note(note: str, missing: list[Category]) -> str:
    """The note with `Missing values: 99 = No answer; 98` after it (REDCap has no slot for
    the missing codes of a field without choices; Codebook reads them back from the note)."""
    codes = "; ".join(c.text().replace("=", " = ", 1) if c.label else c.value for c in missing)
    lead = note.strip()
    if lead and lead[-1] not in ".!?:;":
        lead += "."
    return (lead + " " if lead else "") + f"Missing values: {codes}"


def _choices(cats: list[Category]) -> str:
    """`code, label | code, label` (a code without label labelled by itself)."""
    parts = []
    for c in cats:
        code = re.sub(r"[,|]", "_", c.value.strip())
        label = _html(c.label if c.label not in (None, "") else c.value).replace("|", "/")
        parts.append(f"{code}, {label}")
    return " | ".join(parts)


def _bound(value: Any, f: Field) -> str:
    if value is None:
        return ""
    if f.type in ("integer", "number", "year"):
        x = number(value)
        return "" if x is None else str(x)
    return str(value).strip()


def _form(f: Field, default: str) -> str:
    """REDCap form names: lower-case letters, digits and `_`."""
    form = re.sub(r"[^a-z0-9_]+", "_", str(f.extras.get("form") or default).lower()).strip("_")
    return form if form and form[0].isalpha() else default


def _html(text: str) -> str:
    return html.escape(_one_line(text), quote=False)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _safe(cell: str) -> str:
    """A cell no spreadsheet reads as a formula: a leading space (see the module docstring)."""
    return " " + cell if neutralise(cell) != cell else cell
