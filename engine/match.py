"""Pair dataset columns with dictionary fields.

Order of evidence, strongest first: the user's mapping; the exact name; the name ignoring case,
spaces and punctuation; REDCap checkbox columns (`race___3` belongs to the checkbox field
`race`); a fuzzy score (rapidfuzz) on names and on titles; finally, for a headerless file whose
columns are just numbered, position.  Each column gets at most one field and each field at most
one column (checkbox fields excepted).  Fuzzy pairs carry their score as the confidence so the
user can see which pairings to check.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field as dc_field
from typing import Any, Iterable, Mapping

import numpy as np
from rapidfuzz import fuzz, process

from .errors import InputError
from .model import Field, Schema

FUZZY_THRESHOLD = 0.85         # below this a fuzzy pair is not proposed ('weight'~'height')
_MIN_CONTAIN = 4               # shorter names never match by containment ('id' in 'sid')
_GENERIC_COLUMN = re.compile(r"(?i)(col(umn)?|field|var|v|x|f|c|unnamed:?)?[ _.-]*\d+")
_CHECKBOX_COLUMN = re.compile(r"(.+?)___([A-Za-z0-9_-]+)")


@dataclass
class ColumnMatch:
    """One pairing: a data column, the field it holds, how it was found and how sure we are."""

    column: str
    field: str
    method: str                # mapping | exact | normalized | checkbox | fuzzy | title | position
    confidence: float
    code: str | None = None    # the checkbox option a `name___code` column holds

    def to_dict(self) -> dict[str, Any]:
        d = {"column": self.column, "field": self.field, "method": self.method,
             "confidence": round(self.confidence, 3)}
        if self.code is not None:
            d["code"] = self.code
        return d


@dataclass
class Matching:
    """All pairings plus what is left over on either side."""

    pairs: list[ColumnMatch] = dc_field(default_factory=list)
    unmatched_columns: list[str] = dc_field(default_factory=list)
    unmatched_fields: list[str] = dc_field(default_factory=list)
    warnings: list[str] = dc_field(default_factory=list)

    def columns_of(self, field_name: str) -> list[ColumnMatch]:
        """The pairings of one field (several for a REDCap checkbox field)."""
        return [p for p in self.pairs if p.field == field_name]

    def field_of(self, column: str) -> str | None:
        """The field paired with `column`, or None."""
        return next((p.field for p in self.pairs if p.column == column), None)

    def mapping(self) -> dict[str, str]:
        """The pairings as {column: field}, the form a user edits and sends back."""
        return {p.column: p.field for p in self.pairs}

    def to_dict(self) -> dict[str, Any]:
        return {"pairs": [p.to_dict() for p in self.pairs],
                "unmatched_columns": list(self.unmatched_columns),
                "unmatched_fields": list(self.unmatched_fields)}


def normalize_name(name: str) -> str:
    """Lower case, accents and everything but letters and digits removed ('Warren Endorsed? ')."""
    text = unicodedata.normalize("NFKD", str(name)).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    squeezed = re.sub(r"[\W_]+", "", text)
    return squeezed or text.strip()


def parse_mapping(mapping: Any) -> dict[str, str | None]:
    """A user mapping from a dict, a JSON object text, or a list of [column, field] pairs."""
    if mapping is None or mapping == "" or mapping == {}:
        return {}
    if isinstance(mapping, str):
        try:
            mapping = json.loads(mapping)
        except json.JSONDecodeError as exc:
            raise InputError("The column mapping is not valid JSON: give an object like "
                             '{"data column": "dictionary field"}.') from exc
    if isinstance(mapping, list):
        try:
            mapping = {str(c): f for c, f in mapping}
        except (TypeError, ValueError) as exc:
            raise InputError("The column mapping list must hold [column, field] pairs.") from exc
    if not isinstance(mapping, Mapping):
        raise InputError('The column mapping must be an object like {"column": "field"}.')
    return {str(k): (None if v in (None, "") else str(v)) for k, v in mapping.items()}


def match_columns(columns: Iterable[str], schema: Schema, mapping: Any = None, *,
                  threshold: float = FUZZY_THRESHOLD) -> Matching:
    """Pair each column with a field; a user `mapping` {column: field or None} wins."""
    cols = [str(c) for c in columns]
    state = _State(cols, schema)
    _apply_mapping(state, parse_mapping(mapping))
    _match_exact(state)
    _match_normalized(state)
    _match_checkboxes(state)
    _match_fuzzy(state, threshold)
    _match_position(state)
    return state.result()


class _State:
    """The pairing under construction: which columns and fields are still free."""

    def __init__(self, columns: list[str], schema: Schema):
        self.columns = columns
        self.fields = schema.fields
        self.by_name = {f.name: f for f in schema.fields}
        self.pairs: list[ColumnMatch] = []
        self.done_cols: set[str] = set()
        self.done_fields: set[str] = set()
        self.set_aside: set[str] = set()          # columns the user said hold no field
        self.warnings: list[str] = []

    def free_columns(self) -> list[str]:
        return [c for c in self.columns if c not in self.done_cols and c not in self.set_aside]

    def free_fields(self) -> list[Field]:
        return [f for f in self.fields if f.name not in self.done_fields]

    def pair(self, column: str, field: str, method: str, confidence: float,
             code: str | None = None) -> None:
        self.pairs.append(ColumnMatch(column, field, method, confidence, code))
        self.done_cols.add(column)
        if code is None:
            self.done_fields.add(field)

    def result(self) -> Matching:
        order = {c: i for i, c in enumerate(self.columns)}
        pairs = sorted(self.pairs, key=lambda p: order[p.column])
        paired = {p.field for p in pairs}
        return Matching(pairs, [c for c in self.columns if c not in self.done_cols],
                        [f.name for f in self.fields if f.name not in paired], self.warnings)


def _apply_mapping(state: _State, mapping: dict[str, str | None]) -> None:
    targets: dict[str, str] = {}
    for column, field in mapping.items():
        if column not in state.columns:
            raise InputError(f"The mapping names the column {column!r}, which is not in the "
                             f"data{_suggest(column, state.columns)}. Use the data's header as "
                             "written.")
        if field is None:                          # the user says: leave this column alone
            state.set_aside.add(column)
            continue
        if field not in state.by_name:
            raise InputError(f"The mapping pairs {column!r} with {field!r}, which is not a "
                             f"field of the dictionary"
                             f"{_suggest(field, list(state.by_name))}.")
        if field in targets and not _is_checkbox(state.by_name[field]):
            raise InputError(f"The mapping pairs both {targets[field]!r} and {column!r} with the "
                             f"field {field!r}; pair each field with one column.")
        targets[field] = column
        code = _checkbox_code(column, state.by_name[field])
        state.pair(column, field, "mapping", 1.0, code)


def _suggest(name: str, choices: list[str]) -> str:
    best = process.extractOne(name, choices, scorer=fuzz.WRatio) if choices else None
    return f" (did you mean {best[0]!r}?)" if best and best[1] >= 60 else ""


def _match_exact(state: _State) -> None:
    for column in state.free_columns():
        if column in state.by_name and column not in state.done_fields:
            state.pair(column, column, "exact", 1.0)


def _match_normalized(state: _State) -> None:
    fields: dict[str, list[str]] = {}
    for f in state.free_fields():
        fields.setdefault(normalize_name(f.name), []).append(f.name)
    for column in state.free_columns():
        names = [n for n in fields.get(normalize_name(column), []) if n not in state.done_fields]
        if names:
            state.pair(column, names[0], "normalized", 0.98)


def _is_checkbox(f: Field) -> bool:
    source = str(f.extras.get("sourceType", "")).lower()
    return bool(f.extras.get("checkbox")) or source == "checkbox"


def _checkbox_code(column: str, f: Field) -> str | None:
    m = _CHECKBOX_COLUMN.fullmatch(column)
    if not (m and _is_checkbox(f) and normalize_name(m.group(1)) == normalize_name(f.name)):
        return None
    return m.group(2).replace("_", "-") if m.group(2).startswith("_") else m.group(2)


def _match_checkboxes(state: _State) -> None:
    boxes = {normalize_name(f.name): f for f in state.fields if _is_checkbox(f)}
    if not boxes:
        return
    for column in state.free_columns():
        m = _CHECKBOX_COLUMN.fullmatch(column)
        f = boxes.get(normalize_name(m.group(1))) if m else None
        if f is None:
            continue
        code = _checkbox_code(column, f)
        state.pair(column, f.name, "checkbox", 1.0, code)
        state.done_fields.add(f.name)
        known = {c.value for c in f.categories}
        if known and code not in known:
            state.warnings.append(f"Column {column!r} is a checkbox of {f.name!r}, but "
                                  f"{code!r} is not one of its choices.")


def _match_fuzzy(state: _State, threshold: float) -> None:
    cols, fields = state.free_columns(), state.free_fields()
    if not cols or not fields:
        return
    scores, how = _fuzzy_scores(cols, fields)
    order = np.argsort(-scores, axis=None, kind="stable")
    for flat in order:
        i, j = divmod(int(flat), len(fields))
        score = float(scores[i, j])
        if score < threshold:
            break
        if cols[i] in state.done_cols or fields[j].name in state.done_fields:
            continue
        state.pair(cols[i], fields[j].name, str(how[i, j]), score)


def _fuzzy_scores(cols: list[str], fields: list[Field]) -> tuple[np.ndarray, np.ndarray]:
    """Score matrix (columns x fields) in 0..1, and which evidence gave each score."""
    cn = [normalize_name(c) for c in cols]
    fn = [normalize_name(f.name) for f in fields]
    name = process.cdist(cn, fn, scorer=fuzz.ratio, dtype=np.float32) / 100
    name = np.maximum(name, _containment(cn, fn))
    # two- and three-letter names are too easily alike ('sid' ~ 'id'): exact or nothing
    col_len = np.array([len(c) for c in cn])[:, None]
    field_len = np.array([len(f) for f in fn])[None, :]
    name[np.minimum(col_len, field_len) < _MIN_CONTAIN] = 0
    titles = [normalize_name(f.title) if f.title else "" for f in fields]
    title = process.cdist(cn, titles, scorer=fuzz.ratio, dtype=np.float32) / 100 * 0.95
    title[:, [i for i, t in enumerate(titles) if len(t) < _MIN_CONTAIN]] = 0
    how = np.where(title > name, "title", "fuzzy")
    return np.maximum(name, title), how


def _containment(cn: list[str], fn: list[str]) -> np.ndarray:
    """0.75-1.0 where one name starts or ends with the other ('Bedroom' in 'BedroomAbvGr')."""
    partial = process.cdist(cn, fn, scorer=fuzz.partial_ratio, dtype=np.float32,
                            score_cutoff=100)
    out = np.zeros(partial.shape, dtype=np.float32)
    for i, j in zip(*np.nonzero(partial >= 100)):
        a, b = sorted((cn[i], fn[j]), key=len)
        if len(a) >= _MIN_CONTAIN and (b.startswith(a) or b.endswith(a)):
            out[i, j] = 0.75 + 0.25 * len(a) / len(b)
    return out


def _match_position(state: _State) -> None:
    """Headerless data (`column_1`, `0`, ...) with nothing matched: pair by position."""
    if state.pairs or not state.columns or not state.fields:
        return
    if not all(_GENERIC_COLUMN.fullmatch(c.strip()) for c in state.columns):
        return
    for column, f in zip(state.columns, state.fields):
        state.pair(column, f.name, "position", 0.5)
    if len(state.columns) != len(state.fields):
        state.warnings.append(
            f"The data has no header: its {len(state.columns)} columns were paired with the "
            f"dictionary's {len(state.fields)} fields in order. Check the pairing.")
