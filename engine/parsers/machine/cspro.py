"""CSPro data dictionaries (.dcf), the format census and survey offices (MICS, DHS, national
statistical institutes) write their questionnaires' data files in.

Two forms: the text form of CSPro 7 and earlier, sections of `Key=value` lines
(`[Dictionary]`, `[Level]`, `[Record]`, `[Item]` with `Label=`, `Name=`, `Start=`, `Len=`,
`DataType=Alpha`, `Decimal=`, each item followed by its `[ValueSet]`s of `Value=code;label`
and `Value=low:high` lines), and the JSON form of CSPro 8 (`"fileType": "dictionary"`, levels
holding id items and records holding items with `valueSets`).  Labels in several languages are
written `first|second`: the first is read.  A value set's labelled values are codes, its ranges
the stated range of the item; the enrichment pass moves codes labelled as missing (`NSP`,
`NON REPONSE`) to the missing values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
from typing import Any, Iterator

from ...model import Category, Field
from .. import NotThisFormat, ParseContext
from ._common import bounds, clean, load_json, number

_SECTION = re.compile(r"^\[([A-Za-z]+)\]\s*$")
_TEXT_SNIFF = re.compile(r"^\ufeff?\s*\[Dictionary\]\s*$", re.M)
_JSON_SNIFF = re.compile(r'"fileType"\s*:\s*"dictionary"')
# CSPro's special values: not data values, the keyword says which kind of blank they mark
_SPECIAL = {"missing", "refused", "notappl", "default"}


@dataclass
class _Item:
    """One item (variable) of the dictionary, as its lines describe it."""

    name: str = ""
    label: str | None = None
    alpha: bool = False
    decimals: int = 0
    start: int | None = None
    length: int | None = None
    notes: list[str] = dc_field(default_factory=list)
    codes: dict[str, str | None] = dc_field(default_factory=dict)
    special: dict[str, str | None] = dc_field(default_factory=dict)
    last: list[str] = dc_field(default_factory=list)     # the codes of the last value read
    last_ranges: int = 0                                  # and how many ranges it added
    ranges: list[tuple[float, float]] = dc_field(default_factory=list)


def sniff_cspro(ctx: ParseContext) -> bool:
    """A `[Dictionary]` section line, or a CSPro 8 JSON dictionary."""
    head = ctx.head
    return _TEXT_SNIFF.search(head) is not None or (
        _JSON_SNIFF.search(head) is not None and "CSPro" in head)


def parse_cspro(ctx: ParseContext) -> Iterator[Field]:
    """The dictionary's items (id items first), in the order written."""
    text = ctx.text.lstrip("\ufeff")
    items = _json_items(load_json(text, ctx.filename)) if text.lstrip().startswith("{") \
        else _text_items(text)
    items = [i for i in items if i.name]
    if not items:
        raise NotThisFormat
    for item in items:
        yield _field(item)


# ---- the text form -------------------------------------------------------------------------
def _text_items(text: str) -> list[_Item]:
    """Items of the `[Section]` / `Key=value` form; a value set belongs to the item above.  A
    value set linked to one written before (`Link=id`) has no values of its own: CSPro writes
    them once, with the first set of that link."""
    items: list[_Item] = []
    item: _Item | None = None
    section = ""
    linked: dict[str, list[tuple[str, str]]] = {}     # link id -> its value-set lines
    recording: list[tuple[str, str]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        m = _SECTION.match(line)
        if m:
            section, recording = m.group(1).lower(), None
            if section == "item":
                item = _Item()
                items.append(item)
            elif section != "valueset":
                item = None          # a record or level: its keys are no item's
            continue
        key, sep, value = line.partition("=")
        key = key.strip().lower()
        if not sep or item is None:
            continue
        if section == "item":
            _item_key(item, key, value)
        elif section == "valueset" and key == "link":
            recording = _link(item, value.strip(), linked)
        elif section == "valueset":
            _value_set_key(item, key, value)
            if recording is not None:
                recording.append((key, value))
    return items


def _link(item: _Item, link: str, linked: dict[str, list[tuple[str, str]]]
          ) -> list[tuple[str, str]] | None:
    """A linked value set: the values of its link's first set replayed, or a new record."""
    if link in linked:
        for key, value in linked[link]:
            _value_set_key(item, key, value)
        return None
    linked[link] = []
    return linked[link]


def _item_key(item: _Item, key: str, value: str) -> None:
    """One `Key=value` line of an `[Item]` section."""
    if key == "name":
        item.name = value.strip()
    elif key == "label":
        item.label = _first_language(value)
    elif key == "datatype":
        item.alpha = value.strip().lower() == "alpha"
    elif key == "decimal":
        item.decimals = _int(value) or 0
    elif key == "start":
        item.start = _int(value)
    elif key == "len":
        item.length = _int(value)
    elif key == "note":          # a note's lines end with a written `\r\n`
        item.notes.append(value.replace("\\r\\n", " ").strip())


def _value_set_key(item: _Item, key: str, value: str) -> None:
    """`Value=pairs;label` (pairs: `1`, `1:5`, `'A'`, several separated by spaces);
    `Name=MISSING,Special` (or NOTAPPL, REFUSED, DEFAULT) after a value marks that value a
    special one, a blank: a missing value."""
    if key == "value":
        pairs, label = _split_value(value)
        _add_pairs(item, pairs, _first_language(label) if label else None)
    elif key == "name" and value.lower().rstrip().endswith(",special"):
        _make_special(item)


def _add_pairs(item: _Item, pairs: list[str], label: str | None) -> None:
    """One value's pairs: beside a range, a single value is part of that span."""
    spans = any(":" in p for p in pairs)
    before, ranges = set(item.codes), len(item.ranges)
    for pair in pairs:
        _add_value(item, f"{pair}:{pair}" if spans and ":" not in pair and
                   pair[:1] not in "'\"" else pair, label)
    item.last = [c for c in item.codes if c not in before]
    item.last_ranges = len(item.ranges) - ranges


def _make_special(item: _Item) -> None:
    """The codes of the last value read are special ones: missing values."""
    for code in item.last:
        item.special[code] = item.codes.pop(code, None)
    if item.last_ranges:           # a special span is no valid range
        del item.ranges[-item.last_ranges:]
    item.last, item.last_ranges = [], 0


_PAIR = re.compile(r"'[^']*'|\"[^\"]*\"|[^\s;'\"]+")


def _split_value(value: str) -> tuple[list[str], str]:
    """The value's pairs and its label: the `;` after the pairs starts the label (a `;` inside
    a quoted alpha code does not)."""
    pairs: list[str] = []
    pos, value = 0, value.strip()
    while pos < len(value):
        if value[pos] == ";":
            return pairs, value[pos + 1:]
        if value[pos].isspace():
            pos += 1
            continue
        m = _PAIR.match(value, pos)
        if not m:
            break
        pairs.append(m.group())
        pos = m.end()
    return pairs, ""


def _add_value(item: _Item, code: str, label: str | None) -> None:
    """A code, a range, or a special value of the item's value set."""
    code = code.strip()
    if code[:1] in "'\"" and code[-1:] == code[:1] and len(code) >= 2:
        code = code[1:-1]
        if code.strip():
            item.codes.setdefault(code.strip(), label)
        return
    if code.lower() in _SPECIAL:
        return            # a keyword, not a value the data holds
    lo, sep, hi = code.partition(":")
    if sep:
        low, high = number(_decimal(lo)), number(_decimal(hi))
        if low is not None and high is not None:
            item.ranges.append((low, high))
        return
    if code:
        item.codes.setdefault(_decimal(code), label)


def _decimal(text: str) -> str:
    """A number written with a decimal comma (`9999,000`) as `9999.000`."""
    text = text.strip()
    return text.replace(",", ".") if re.fullmatch(r"-?\d+,\d+", text) else text


def _first_language(text: str) -> str | None:
    """The first of the labels a multilingual dictionary writes `first|second`."""
    parts = [p for p in text.split("|") if p.strip()]
    return clean(parts[0]) if parts else None


def _int(text: str) -> int | None:
    value = number(text.strip())
    return value if isinstance(value, int) else None


# ---- the JSON form (CSPro 8) -----------------------------------------------------------------
def _json_items(doc: Any) -> list[_Item]:
    """Items of the levels' ids and records, sub-items after their item."""
    if not isinstance(doc, dict):
        return []
    items: list[_Item] = []
    linked: dict[str, list] = {}          # link -> the values of its first set
    for level in _list(doc.get("levels")):
        if not isinstance(level, dict):
            continue
        ids = level.get("ids")
        _json_list(ids.get("items") if isinstance(ids, dict) else ids, items, linked)
        for record in _list(level.get("records")):
            if isinstance(record, dict):
                _json_list(record.get("items"), items, linked)
    return items


def _json_list(entries: Any, items: list[_Item], linked: dict[str, list]) -> None:
    for entry in _list(entries):
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            items.append(_json_item(entry, linked))
            _json_list(entry.get("subitems"), items, linked)


def _json_item(d: dict, linked: dict[str, list]) -> _Item:
    """One item object: name, labels, content type, position, value sets (a linked set
    without values has those of its link's first set)."""
    kind = str(d.get("contentType") or d.get("type") or d.get("dataType") or "").lower()
    item = _Item(name=d["name"].strip(), label=_json_label(d), alpha=kind == "alpha",
                 decimals=_int(str(d.get("decimals", d.get("decimal", 0)))) or 0,
                 start=_int(str(d.get("start", ""))), length=_int(str(d.get("length", ""))),
                 notes=[d["note"]] if isinstance(d.get("note"), str) else [])
    for value_set in _list(d.get("valueSets")):
        if not isinstance(value_set, dict):
            continue
        values, link = _list(value_set.get("values")), value_set.get("link")
        if link is not None:
            values = linked.setdefault(str(link), values) or values
        for v in values:
            if isinstance(v, dict):
                _json_value(item, v)
    return item


def _json_value(item: _Item, v: dict) -> None:
    """A value entry: its label and its pairs (`{"value": 1}`, `{"range": [1, 50]}`)."""
    pairs = []
    for pair in _list(v.get("pairs")) or [v]:
        if not isinstance(pair, dict):
            continue
        span = pair.get("range")
        if isinstance(span, list) and len(span) == 2:
            pairs.append(f"{span[0]}:{span[1]}")
        elif pair.get("value") is not None:
            code = pair["value"]
            pairs.append(f"'{code}'" if isinstance(code, str) and item.alpha else str(code))
    _add_pairs(item, pairs, _json_label(v))
    if str(v.get("special") or "").lower() in _SPECIAL:
        _make_special(item)


def _json_label(d: dict) -> str | None:
    """`"labels": [{"text": ...}]` (first language) or `"label": "..."`."""
    labels = d.get("labels")
    if isinstance(labels, list):
        for lab in labels:
            text = lab.get("text") if isinstance(lab, dict) else lab
            if isinstance(text, str) and text.strip():
                return _first_language(text)
    label = d.get("label")
    return _first_language(label) if isinstance(label, str) else None


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


# ---- the field ---------------------------------------------------------------------------------
def _field(item: _Item) -> Field:
    """The item as a field: type, codes, special values as missing values, range, position."""
    f = Field(name=item.name, description=item.label)
    f.type = "string" if item.alpha else "number" if item.decimals else "integer"
    f.categories = [Category(code, label) for code, label in item.codes.items()]
    f.missing_values = [Category(code, label) for code, label in item.special.items()]
    if item.ranges and not item.alpha:
        f.constraints.update(bounds(repr(min(lo for lo, _ in item.ranges)),
                                    repr(max(hi for _, hi in item.ranges))))
    note = clean(" ".join(item.notes))
    if note:
        f.extras["notes"] = note
    if item.start is not None and item.length:
        f.extras["position"] = {"start": item.start, "end": item.start + item.length - 1}
    return f
