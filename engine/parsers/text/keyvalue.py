"""Dictionaries written as repeated key-value blocks, one block per variable.

    Variable: age                    Nom : age
    Label: Age of the respondent     Libellé : Âge du répondant
    Type: numeric                    Type : numérique
    Values: 18-99                    Valeurs :
                                       1 = oui
                                       2 = non

Keys are recognised because the same keys come back block after block, whatever they are
called and in whatever language; blocks start where the first repeating key of the document
comes back.  Which key carries what is decided from the values, not from key words:

* the name: values that are identifiers (one token), nearly all different;
* a type: short values that are type words (`numeric`, `varchar(20)`) for most blocks;
* codes: values that hold code lines (`1 = yes`) in many blocks;
* the label and the description: the text keys, the shorter one the title;
* any other key is kept in the description as `Key: value`.

The same reading applies to documents that give each variable a small two-column table
(`blocks_from_tables`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...model import Field
from ..codes import map_type, parse_code_line, parse_inline_codes
from .entries import Entry, build_field, join_text
from .names import is_identifier, name_likeness

_KEY_LINE = re.compile(r"^(?:[-*•]\s+)?(?:\*\*|__)?(?P<key>[^\W\d_][^:=\t|]{0,39}?)(?:\*\*|__)?"
                       r"\s*(?::|\t|\s=\s)(?:\*\*|__)?\s*(?P<value>.*)$")
_MIN_BLOCKS = 3
_MAX_KEY_WORDS = 5

Block = list[tuple[str, str]]      # (key as written, value) in order


@dataclass
class KeyRoles:
    """Which key plays which part (normalised keys; None when no key does)."""

    name: str
    title: str | None = None
    description: str | None = None
    type: str | None = None
    codes: str | None = None


def blocks_from_lines(lines: list[str]) -> list[Block]:
    """The key-value blocks of a text, or [] when no keys repeat block after block."""
    pairs = _key_lines(lines)
    counts: dict[str, int] = {}
    for _, key, _ in pairs:
        counts[_norm(key)] = counts.get(_norm(key), 0) + 1
    repeating = {k for k, n in counts.items() if n >= _MIN_BLOCKS}
    if len(repeating) < 2:
        return []
    # a block starts where the first repeating key comes back; other keys join the block
    start = next(_norm(key) for _, key, _ in pairs if _norm(key) in repeating)
    blocks: list[Block] = []
    for k, (i, key, value) in enumerate(pairs):
        if _norm(key) == start:
            blocks.append([])
        if blocks:
            end = pairs[k + 1][0] if k + 1 < len(pairs) else len(lines)
            blocks[-1].append((key, _with_continuation(value, lines, i + 1, end)))
    return blocks


def blocks_from_tables(tables) -> list[Block]:
    """Two-column tables read as one key-value block each (a table per variable)."""
    blocks = []
    for table in tables:
        rows = [r for r in table.rows if any(c.strip() for c in r)]
        if 2 <= len(rows) <= 30 and rows and len(rows[0]) == 2:
            blocks.append([(r[0].strip(), r[1].strip()) for r in rows if r[0].strip()])
    return blocks


def _key_lines(lines: list[str]) -> list[tuple[int, str, str]]:
    """(line, key, value) of every `Key: value` line whose key is short."""
    out = []
    for i, raw in enumerate(lines):
        if not raw.strip() or raw[:1] in " \t":
            continue
        m = _KEY_LINE.match(raw.strip())
        if not m:
            continue
        key = m.group("key").strip().rstrip("*_ ").strip()
        if key and len(key.split()) <= _MAX_KEY_WORDS and not key.endswith((".", ",")):
            out.append((i, key, m.group("value").strip().strip("*_").strip()))
    return out


def _with_continuation(value: str, lines: list[str], start: int, end: int) -> str:
    """A value with the lines that continue it (until a blank line before unindented text)."""
    parts = [value] if value else []
    gap = False
    for raw in lines[start:end]:
        text = raw.strip()
        if not text:
            gap = True
            continue
        if gap and raw[:1] not in " \t" and parse_code_line(text) is None:
            break
        parts.append(text)
        gap = False
    return "\n".join(parts)


def _norm(key: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", key.lower()).split())


# ---- roles ----------------------------------------------------------------------------------
def assign_roles(blocks: list[Block]) -> KeyRoles | None:
    """The part each key plays, from its values; None when no key holds names."""
    values: dict[str, list[str]] = {}
    for block in blocks:
        for key, value in block:
            values.setdefault(_norm(key), []).append(value)
    name = max(values, key=lambda k: _name_score(values[k], len(blocks)), default=None)
    if name is None or _name_score(values[name], len(blocks)) < 0.6:
        return None
    roles = KeyRoles(name=name)
    rest = {k: v for k, v in values.items() if k != name and len(v) >= 2}
    roles.type = _best(rest, _type_share, 0.7)
    rest.pop(roles.type, None)
    roles.codes = _best(rest, _code_share, 0.4)
    rest.pop(roles.codes, None)
    texts = sorted((k for k, v in rest.items() if _text_share(v) >= 0.6),
                   key=lambda k: _mean_words(rest[k]))
    if len(texts) >= 2:
        roles.title, roles.description = texts[0], texts[-1]
    elif texts:
        roles.description = texts[0]
    return roles


def _name_score(values: list[str], blocks: int) -> float:
    """Identifier-shaped, different in every block, present in (nearly) every block."""
    if len(values) < 0.8 * blocks:
        return 0.0
    idents = [v for v in values if "\n" not in v and is_identifier(v)]
    if len(idents) < 0.8 * len(values):
        return 0.0
    unique = len(set(idents)) / len(idents)
    return unique * sum(name_likeness(v) for v in idents) / len(idents)


def _best(candidates: dict[str, list[str]], share, minimum: float) -> str | None:
    scored = [(share(v), k) for k, v in candidates.items()]
    scored = [s for s in scored if s[0] >= minimum]
    return max(scored)[1] if scored else None


def _type_share(values: list[str]) -> float:
    """Share of values that are type words, when the key has few different values."""
    short = [v.strip() for v in values if v.strip() and len(v.split()) <= 3 and "\n" not in v]
    distinct = {v.lower() for v in short}
    if len(distinct) > max(8, len(values) // 3):
        return 0.0
    return sum(1 for v in short if type_of(v)) / len(values)


# type words of other languages (codes.map_type reads the English ones)
_TYPE_WORDS = {
    "integer": ("entier", "entera", "entero", "inteiro", "ganzzahl", "ganzzahlig", "integer"),
    "number": ("réel", "reel", "numérique", "numerique", "numérico", "numerico", "decimal",
               "décimal", "número", "numero", "nombre", "zahl", "numerisch", "real", "flottant"),
    "string": ("texte", "caractère", "caractere", "chaîne", "chaine", "texto", "cadena",
               "carácter", "caracter", "alfanumérico", "alfanumerico", "zeichenkette",
               "alphanumérique"),
    "date": ("fecha", "data", "datum"),
    "boolean": ("booléen", "booleen", "booleano", "logisch"),
}
_TYPE_LOOKUP = {w: t for t, words in _TYPE_WORDS.items() for w in words}


def type_of(value: str) -> str | None:
    """The Table Schema type a type word means, in English or another language."""
    word = value.strip().strip("()[].:;,").lower()
    return map_type(word) or _TYPE_LOOKUP.get(word)


def _code_share(values: list[str]) -> float:
    """Share of non-empty values that hold two codes or more."""
    filled = [v for v in values if v.strip()]
    coded = [v for v in filled if len(_codes_in(v)) >= 2]
    return len(coded) / len(filled) if filled else 0.0


def _codes_in(value: str):
    lines = [x for x in value.split("\n") if x.strip()]
    line_codes = [c for c in map(parse_code_line, lines) if c is not None]
    return line_codes if len(line_codes) >= 2 else parse_inline_codes(value)


def _text_share(values: list[str]) -> float:
    """Share of values that are words (not numbers or single codes)."""
    filled = [v for v in values if v.strip()]
    words = [v for v in filled if len(re.findall(r"[^\W\d_]{2,}", v)) >= 1]
    return len(words) / len(values) if values else 0.0


def _mean_words(values: list[str]) -> float:
    return sum(len(v.split()) for v in values) / max(1, len(values))


# ---- fields ---------------------------------------------------------------------------------
def read_key_value_blocks(blocks: list[Block]) -> tuple[list[Field], float]:
    """(fields, score) of key-value blocks; ([], 0.0) when they do not describe variables."""
    if len(blocks) < _MIN_BLOCKS:
        return [], 0.0
    roles = assign_roles(blocks)
    if roles is None:
        return [], 0.0
    fields = [f for f in (_field(block, roles) for block in blocks) if f is not None]
    names = list(dict.fromkeys(f.name for f in fields))
    return fields, 1.2 * sum(name_likeness(n) for n in names)


def _field(block: Block, roles: KeyRoles) -> Field | None:
    """The field of one block."""
    by_role: dict[str, str] = {}
    extra: list[str] = []
    role_of = {roles.name: "name", roles.title: "title", roles.description: "description",
               roles.type: "type", roles.codes: "codes"}
    for key, value in block:
        role = role_of.get(_norm(key))
        if role and role not in by_role:
            by_role[role] = value
        elif "codes" not in by_role and len(_codes_in(value)) >= 2:
            by_role["codes"] = value  # a key only some variables have (`Values:`)
        elif value:
            extra.append(f"{key}: {' '.join(value.split())}")
    name = by_role.get("name", "").strip()
    if not name or not is_identifier(name):
        return None
    title = " ".join(by_role.get("title", "").split()) or None
    entry = Entry(name=name, title=title,
                  head=join_text([by_role.get("description", ""), *extra]))
    if "type" in by_role:
        entry.type_hint, entry.source_type = type_of(by_role["type"]), by_role["type"].strip()
    for line in by_role.get("codes", "").split("\n"):
        entry.add_line(line)
    if entry.lines and not entry.codes:  # codes written inline (`1 = yes, 2 = no`)
        entry.head = join_text([entry.head, *entry.lines])
        entry.lines = []
    field = build_field(entry)
    if not field.description and title:
        field.description = title
    return field
