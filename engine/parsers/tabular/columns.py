"""What each column of a dictionary table means, found from its header by meaning.

A header cell is normalised (`Variable / Field Name` -> `variable field name`) and matched
against a synonym table: exactly, as a phrase inside a longer header (`Variable Name (in
data)`), or fuzzily for typos (`Desription`).  Each (column, role) candidate has a score; the
best-scoring pairs are taken first, one column per role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

# role -> {phrase: weight}.  Weights rank the phrases of one role and settle conflicts:
# `VARIABLE NAME` (name 100) beats `NAME OF DATA ELEMENT` (title 90) for the name column.
SYNONYMS: dict[str, dict[str, int]] = {
    "name": {"variable name": 100, "field name": 100, "column name": 100, "var name": 95,
             "varname": 95, "variable field name": 100, "data element name": 95,
             "attribute name": 95, "item name": 90, "element name": 85, "variable": 95,
             "field": 90, "column": 90, "var": 85, "name": 80, "attribute": 80,
             "variable id": 90, "field id": 85, "column header": 90, "header": 75,
             "parameter": 65, "short name": 75, "variable code": 85, "item": 60},
    "title": {"title": 95, "variable label": 95, "field label": 90, "name of data element": 90,
              "data element": 80, "long name": 85, "full name": 80, "display name": 85,
              "label": 75},
    "description": {"description": 100, "variable description": 100, "field description": 100,
                    "column description": 100, "definition": 95, "variable definition": 100,
                    "desc": 90, "descr": 90, "explanation": 90, "question text": 90,
                    "question": 80, "meaning": 80, "details": 70, "text": 55, "content": 55,
                    "purpose": 60, "label": 60, "notes": 55},
    "type": {"data type": 100, "datatype": 100, "field type": 95, "variable type": 95,
             "type of variable": 95, "api data type": 95, "value type": 90, "storage type": 90,
             "type": 90, "data format": 80, "storage": 75, "format": 70},
    "values": {"allowed values": 100, "valid values": 100, "permissible values": 100,
               "possible values": 100, "value labels": 100, "code list": 95, "codelist": 95,
               "response options": 90, "answer options": 90, "values": 90, "codes": 90,
               "categories": 90, "value set": 90, "choices": 85, "coding": 85,
               "enumeration": 85, "levels": 80, "options": 75, "responses": 75, "domain": 65},
    "code": {"code value": 95, "value code": 90, "response code": 90, "value": 90, "code": 90},
    "code_label": {"value label": 95, "code label": 95, "code description": 95,
                   "value description": 95, "code meaning": 95},
    "unit": {"unit": 100, "units": 100, "measurement unit": 100, "unit of measure": 100,
             "unit of measurement": 100, "units of measure": 100, "uom": 90},
    "min": {"minimum": 100, "min": 95, "min value": 100, "minimum value": 100,
            "lower bound": 95, "lower limit": 95},
    "max": {"maximum": 100, "max": 95, "max value": 100, "maximum value": 100,
            "upper bound": 95, "upper limit": 95},
    "range": {"range": 95, "valid range": 100, "value range": 95, "allowed range": 100},
    "missing": {"missing data": 100, "missing values": 100, "missing value": 100,
                "missing codes": 100, "missing value codes": 100, "missing": 90,
                "na values": 90, "null values": 90},
    "required": {"required": 100, "mandatory": 100, "is required": 100, "required field": 100,
                 "obligatory": 90},
    "notes": {"notes": 80, "note": 80, "comments": 80, "comment": 80, "remarks": 80},
    "source": {"data source": 95, "source": 90, "sources": 90, "provenance": 85},
    "alias": {"developer friendly name": 90, "alias": 90, "alternative name": 85,
              "api name": 85, "other names": 80},
    "example": {"example": 90, "examples": 90, "example value": 95, "sample value": 85},
    "branching": {"branching logic": 100, "skip logic": 90, "show if": 85},
    "position": {"position": 85, "column position": 95, "columns in file": 90},
    "section": {"section": 90, "form name": 90, "form": 70, "instrument": 80, "module": 70,
                "group": 60, "category": 60, "topic": 60},
}
# without one of these besides the name, a table is a list of names, not a dictionary
DEFINING_ROLES = {"description", "title", "type", "values", "code", "unit", "min", "max",
                  "range", "missing", "required", "notes"}


def _phrase_index() -> dict[str, tuple[tuple[str, int], ...]]:
    """phrase -> its (role, weight) readings (`label` is a title and a description)."""
    index: dict[str, list[tuple[str, int]]] = {}
    for role, table in SYNONYMS.items():
        for phrase, weight in table.items():
            index.setdefault(phrase, []).append((role, weight))
    return {p: tuple(r) for p, r in index.items()}


_PHRASES = _phrase_index()
_ALL_PHRASES = list(_PHRASES)
_FUZZY_CUTOFF = 88
# weaker readings are noise: `text` inside a long header; `Region Name` in a data file
_MIN_SCORE = {"*": 45, "name": 75}
_MAX_HEADER_CHARS = 60
_HEADER_SCAN_ROWS = 25
_CHECK_ROWS = 200           # rows looked at to check that the columns hold what they say
_WORDS = re.compile(r"[^\W\d_]{2,}")


@dataclass
class Header:
    """A table's header row and the role of each of its columns."""

    row: int                      # index of the header row in the table
    roles: dict[str, int]         # role -> column index
    score: float


def normalize(text: str) -> str:
    """`Variable / Field Name` -> `variable field name`."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text.strip())      # camelCase -> camel case
    return " ".join(re.findall(r"[a-z0-9%]+", text.lower()))


@lru_cache(maxsize=4096)
def candidates(cell: str) -> tuple[tuple[str, float], ...]:
    """(role, score) readings of one header cell, best first."""
    norm = normalize(cell)
    if not norm or len(cell) > _MAX_HEADER_CHARS:
        return ()
    found: dict[str, float] = {}
    for role, w in _PHRASES.get(norm, ()):
        found[role] = float(w)
    tokens = norm.split()
    padded = f" {norm} "
    for phrase, readings in _PHRASES.items():
        if phrase != norm and f" {phrase} " in padded:
            extra = len(tokens) - len(phrase.split())
            for role, w in readings:
                found[role] = max(found.get(role, 0.0), w * 0.9 - 3 * extra)
    if norm not in _PHRASES:   # a typo (`Varible Name`) may still read better than a part
        best = process.extractOne(norm, _ALL_PHRASES, scorer=fuzz.ratio,
                                  score_cutoff=_FUZZY_CUTOFF)
        for role, w in _PHRASES[best[0]] if best else ():
            found[role] = max(found.get(role, 0.0), w * 0.85)
    return tuple(sorted(found.items(), key=lambda kv: -kv[1]))


def map_header(cells: list[str]) -> tuple[dict[str, int], float]:
    """Assign roles to columns, best scores first; returns (role -> column, total score)."""
    read = [{r for r, _ in candidates(c)} for c in cells]
    code_col = any("code" in r for r in read)
    # LABEL beside VALUE is the code's label, unless another column says `value label`
    label_is_code = code_col and not any("code_label" in r for r in read)
    pairs = []
    for j, cell in enumerate(cells):
        for role, score in candidates(cell):
            pairs.append((score, j, role))
        if label_is_code and normalize(cell) in ("label", "labels", "meaning"):
            pairs.append((96.0, j, "code_label"))
    roles: dict[str, int] = {}
    taken: set[int] = set()
    total = 0.0
    for score, j, role in sorted(pairs, key=lambda p: (-p[0], p[1])):
        if j in taken or role in roles or score < _MIN_SCORE.get(role, _MIN_SCORE["*"]):
            continue
        roles[role] = j
        taken.add(j)
        total += score
    if "code_label" in roles and "code" not in roles:
        del roles["code_label"]
    return _promote(roles), total


def _promote(roles: dict[str, int]) -> dict[str, int]:
    """Without a description or title column, a notes column describes the field."""
    if "description" not in roles and "title" not in roles and "notes" in roles:
        roles["description"] = roles.pop("notes")
    return roles


def find_header(rows: list[list[str]]) -> Header | None:
    """The row among the first ones that reads best as a dictionary header, if any."""
    best: Header | None = None
    for i, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        filled = [c for c in row if c]
        if len(filled) < 2 or sum(len(c) > _MAX_HEADER_CHARS for c in filled) > len(filled) / 2:
            continue
        roles, score = map_header(row)
        if "name" not in roles or not DEFINING_ROLES & roles.keys():
            continue
        roles = _plausible(roles, rows[i + 1:i + 1 + _CHECK_ROWS])
        if DEFINING_ROLES & roles.keys() and (best is None or score > best.score):
            best = Header(row=i, roles=roles, score=score)
    return best


def _plausible(roles: dict[str, int], body: list[list[str]]) -> dict[str, int]:
    """Roles whose cells look the part: a type column names types, text columns hold words.

    A data file whose header happens to read `Area_Type` is not a dictionary.
    """
    from .cells import type_word

    def cells(j: int) -> list[str]:
        return [r[j] for r in body if j < len(r) and r[j]]

    out = dict(roles)
    if "type" in out:
        values = cells(out["type"])
        if values and sum(bool(type_word(v)) for v in values) < 0.5 * len(values):
            del out["type"]
    for role in ("description", "title"):
        values = cells(out[role]) if role in out else []
        if values and sum(bool(_WORDS.search(v)) for v in values) < 0.6 * len(values):
            del out[role]
    return out


_IDENTIFIER = re.compile(r"^`?[A-Za-z_][\w.$]{0,63}`?$")


def guess_header(rows: list[list[str]]) -> Header | None:
    """For a table without a header row: identifiers in the first column, prose beside them."""
    body = [r for r in rows if any(r)]
    if len(body) < 3 or not 2 <= len(body[0]) <= 4:
        return None
    names = [r[0] for r in body if r[0]]
    if len(names) < 0.8 * len(body) or len(set(names)) < 0.9 * len(names):
        return None
    if sum(bool(_IDENTIFIER.match(n)) for n in names) < 0.8 * len(names):
        return None
    lengths = [sum(len(r[j]) for r in body) / len(body) for j in range(1, len(body[0]))]
    desc = 1 + max(range(len(lengths)), key=lambda j: lengths[j])
    if lengths[desc - 1] < 15:
        return None
    return Header(row=-1, roles={"name": 0, "description": desc}, score=0.0)
