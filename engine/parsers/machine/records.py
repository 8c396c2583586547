"""Records of a codebook in no standard schema (XML elements, JSON objects) read as fields.

A record is a set of properties: key -> text.  Which key holds the name is decided from the
values (in most records, identifier-like, mostly distinct); the other keys' roles (label,
description, type, unit, bounds, missing values) from their words, in the languages of the
table reader's headers.  A code list is a group of records of its own, each with a short
distinct code and a label; words on its keys, tag or parent only break ties.
"""

from __future__ import annotations

import re
from collections import Counter

from ...model import Category, Field
from ..codes import parse_inline_codes
from ..tabular.cells import type_word
from ._common import code_text, coded_type, move_missing, number, roles

Props = dict[str, str]
TEXT = "#text"                           # an element's own text
MIN_RECORDS = 2
_IDENT = re.compile(r"^[^\W\d][\w.$#@\-]{0,79}$")
_LETTER = re.compile(r"[^\W\d_]")
_FIELD_ROLES = ("title", "description", "type", "unit", "min", "max", "missing", "values",
                "required")
_MIN_ROLE_SCORE = 45
_DEFINING = ("title", "description", "type", "unit", "values", "min", "max", "missing")
_MAX_CODE_CHARS = 16
_YES = {"y", "yes", "true", "1"}
Coded = list[tuple[Category, bool]]      # (code, flagged missing)


def key_order(rows: list[Props]) -> list[str]:
    """Keys by how many rows hold them, then by first appearance."""
    counts = Counter(k for r in rows for k in r)
    first = {k: i for i, k in enumerate(dict.fromkeys(k for r in rows for k in r))}
    return sorted(counts, key=lambda k: (-counts[k], first[k]))


def name_key(rows: list[Props]) -> str | None:
    """The key whose values are names: in most rows, identifier-like, mostly distinct.  Of
    several, a name word wins; a label or description word loses."""
    best: tuple[float, str] | None = None
    for k in key_order(rows):
        values = [r[k] for r in rows if k in r]
        if len(values) < 0.8 * len(rows) or len(values) < MIN_RECORDS:
            break                               # keys are ordered by how many rows hold them
        if sum(bool(_IDENT.match(v)) for v in values) < 0.9 * len(values):
            continue
        if len(set(values)) < 0.6 * len(values):
            continue
        words = roles(k)
        score = words.get("name", 0) or (
            -1 if any(r in words for r in ("title", "description", "code_label")) else 0)
        if best is None or score > best[0]:
            best = (score, k)
    return best[1] if best else None


def assign_roles(rows: list[Props], name: str) -> dict[str, list[str]]:
    """role -> its keys, best-scoring first; a key has one role (its best).  Without a label
    or description word, the key most often holding several words describes."""
    keys = key_order(rows)
    out: dict[str, list[tuple[float, int, str]]] = {}
    used: set[str] = set()
    for i, k in enumerate(keys):
        words = {r: s for r, s in roles(k).items() if r in _FIELD_ROLES and s >= _MIN_ROLE_SCORE}
        if k != name and words:
            best = max(words, key=words.get)
            out.setdefault(best, []).append((words[best], i, k))
            used.add(k)
    if "title" not in out and "description" not in out:
        spaced = {k: sum(" " in r.get(k, "") for r in rows) for k in keys
                  if k not in used and k != name}
        best = max(spaced, key=spaced.get, default=None)
        if best is not None and spaced[best] * 2 >= len(rows):
            out["description"] = [(0, 0, best)]
    return {role: [k for _, _, k in sorted(found, key=lambda p: (-p[0], p[1]))]
            for role, found in out.items()}


def defines_fields(read: list[tuple[Props, list]], key_roles: dict[str, list[str]]) -> bool:
    """Records that define fields, not data rows: half hold a label, description, type or
    bound, or a third hold a code list ((props, code lists) pairs)."""
    defining = [k for role in _DEFINING for k in key_roles.get(role, ())]
    described = sum(any(p.get(k) for k in defining) for p, _ in read)
    coded = sum(bool(lists) for _, lists in read)
    return described * 2 >= len(read) or coded * 3 >= len(read)


def first(props: Props, key_roles: dict[str, list[str]], role: str) -> str | None:
    """The value of the best key of this role that the record holds."""
    return next((props[k] for k in key_roles.get(role, ()) if props.get(k)), None)


def apply_props(f: Field, props: Props, key_roles: dict[str, list[str]]) -> None:
    """Texts, type, unit, bounds, missing values and required flag from the keys' roles."""
    get = {role: first(props, key_roles, role) for role in key_roles}
    title, text = get.get("title"), get.get("description")
    if text and not _LETTER.search(text):
        text = None
    if title and text and title != text:
        f.title, f.description = title, text
    else:
        f.description = text or title
    source = get.get("type")
    if source:
        f.type = type_word(source) or "any"
        f.extras["sourceType"] = source
    if get.get("unit"):
        f.unit = get["unit"]
    for role, key in (("min", "minimum"), ("max", "maximum")):
        value = number(get.get(role))
        if value is not None:
            f.constraints[key] = value
    if get.get("missing"):
        f.missing_values = [Category(code_text(v))
                            for v in re.split(r"[,;\s]+", get["missing"]) if v]
    if (get.get("required") or "").lower() in _YES:
        f.constraints["required"] = True


def record_field(name: str, props: Props, key_roles: dict[str, list[str]],
                 lists: list[tuple[Coded, bool]]) -> Field:
    """A field from one record's properties and code lists ((codes, all missing) pairs)."""
    f = Field(name=name)
    apply_props(f, props, key_roles)
    cats: list[Category] = []
    missing: list[Category] = []
    for codes, all_missing in lists:
        for cat, flagged in codes:
            (missing if all_missing or flagged else cats).append(cat)
    listed = first(props, key_roles, "values")
    if not cats and not missing and listed:
        cats = parse_inline_codes(listed)
    if cats or missing:
        f.categories, more = move_missing(cats, missing)
        f.missing_values = f.missing_values + [m for m in more if m not in f.missing_values]
        if f.type == "any":
            f.type = coded_type(f.categories, f.missing_values, "string")
    return f


# ---- code lists -------------------------------------------------------------------------------
def says_missing(key: str) -> bool:
    """A key, tag or list named for missing values."""
    return "missing" in roles(key)


def codes_from_rows(rows: list[Props], tag: str, parent: str) -> Coded | None:
    """(code, flagged missing) of a group of records (`tag` their name, `parent` the name of
    what holds them), or None when they are no code list."""
    if any("stat" in roles(t) for t in (tag, parent)):
        return None                       # observed statistics by kind (`<stat type="mean">`)
    keys = list(dict.fromkeys(k for r in rows for k in r))
    code_key, worded = _code_key(keys, rows, tag, parent)
    if code_key is None:
        return None
    label_key = _label_key([k for k in keys if k != code_key], rows)
    labels = [r[label_key] for r in rows if label_key in r] if label_key else []
    if not worded and sum(bool(_LETTER.search(v)) for v in labels) * 2 < len(rows):
        return None                       # unnamed pairs need labels in words
    flags = [k for k in keys if k not in (code_key, label_key) and says_missing(k)]
    out = []
    for r in rows:
        code = r.get(code_key)
        if code is None:
            continue
        cat = Category(code_text(code), r.get(label_key) if label_key else None)
        out.append((cat, any((r.get(k) or "").lower() in _YES for k in flags)))
    return out or None


def _code_key(keys: list[str], rows: list[Props], tag: str, parent: str
              ) -> tuple[str | None, bool]:
    """(the key holding short codes, distinct in the group, present in most members; whether
    words say so).  Without a code word on the key, the tag or its parent, a label beside
    the codes is needed."""
    worded = any(r in roles(t) for t in (tag, parent) for r in ("code", "values", "missing"))
    best: tuple[float, str] | None = None
    for k in keys:
        values = [r[k] for r in rows if k in r]
        if len(values) < 0.8 * len(rows) or k == TEXT and len(keys) > 1 and not worded:
            continue
        if any(len(v) > _MAX_CODE_CHARS for v in values) or len(set(values)) < len(values):
            continue
        score = roles(k).get("code", 0) + (50 if worded else 0)
        if score == 0 and len(keys) < 2:
            continue
        if best is None or score > best[0]:
            best = (score, k)
    if best is None:
        return None, False
    return best[1], best[0] > 0


def _label_key(keys: list[str], rows: list[Props]) -> str | None:
    """The key of the codes' labels: `#text` or a label word, else the longest texts."""
    if not keys:
        return None
    if TEXT in keys:
        return TEXT

    def weight(k: str) -> tuple[float, float]:
        r = roles(k)
        worded = max(r.get("code_label", 0), r.get("title", 0), r.get("description", 0))
        lengths = [len(row[k]) for row in rows if k in row]
        return worded, sum(lengths) / max(len(lengths), 1)
    return max(keys, key=weight)
