"""XML codebooks in no standard schema, recognised from the shape of their content.

Two shapes are read:

- records: many elements with the same tag, each carrying a name among its properties
  (`<variable name="age" label="Age"><value code="1">..</value></variable>`, `<field><name>
  ..</name><description>..</description></field>`, EML `<attribute>`).  The record tag is the
  one whose elements hold a key with distinct, identifier-like values; nested repeated
  elements that hold codes are the records' code lists (`xml_props.py`), never records.
- tags as names: an element whose leaf children each occur once in the document and hold
  text (`<codebook><sentyear>Year Sentenced</sentyear><Offense>Offense Code</Offense>`): the
  tag is the field's name, the text its description.

The keys' roles (label, description, type, unit, bounds, missing values) are read from their
words in the languages of the table reader's headers; the name is decided by the values.
The reading with more fields wins.  Standard formats (DDI, ODM) have their own parsers.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from typing import Iterator

from ...model import Category, Field
from .. import NotThisFormat, ParseContext
from ..codes import parse_inline_codes
from ..tabular.cells import type_word
from ._common import code_text, coded_type, load_xml, local, move_missing, number, plain, roles
from ._common import root_name
from .ddi import sniff_ddi
from .xml_props import TEXT, Props, code_groups, deep_props, is_leaf, key_order, own_props
from .xml_props import shallow_props

_OTHER_ROOTS = {"ODM", "codeBook", "html", "svg", "Workbook", "worksheet", "rss", "feed"}
_IDENT = re.compile(r"^[^\W\d][\w.$#@\-]{0,79}$")
_LETTER = re.compile(r"[^\W\d_]")
_MIN_RECORDS = 2
_SAMPLE = 400                     # elements of a tag looked at to find its name key
_MIN_TAGGED = 3
_FIELD_ROLES = ("title", "description", "type", "unit", "min", "max", "missing", "values",
                "required")
_MIN_ROLE_SCORE = 45
# tags read as document metadata, not as fields, in the tags-as-names shape
_METADATA_ROLES = ("title", "description", "source")
_YES = {"y", "yes", "true", "1"}


def sniff_xml(ctx: ParseContext) -> bool:
    """Any XML document that no standard-format parser claims."""
    root = root_name(ctx.head)
    return root is not None and root not in _OTHER_ROOTS and not sniff_ddi(ctx)


def parse_xml(ctx: ParseContext) -> Iterator[Field]:
    """Fields of an ad-hoc XML codebook: records or tags as names, whichever finds more."""
    root = load_xml(ctx.data, ctx.filename)
    records = list(_record_fields(root))
    tagged = list(_tagged_fields(root))
    best = records if len(records) >= len(tagged) else tagged
    if len(best) < (_MIN_RECORDS if best is records else _MIN_TAGGED):
        raise NotThisFormat("no repeated records or named elements")
    yield from best


# ---- records ----------------------------------------------------------------------------------
def _record_fields(root: ET.Element) -> Iterator[Field]:
    """One field per record element (see `_records`)."""
    found = _records(root)
    if found is None:
        return
    records, name_key = found
    stop = {id(r) for r in records}
    read = []
    for r in records:
        groups = list(code_groups(r, stop))
        skip = stop | {id(m) for members, _, _ in groups for m in members}
        read.append((deep_props(r, skip - {id(r)}), groups))
    key_roles = _assign_roles([p for p, _ in read], name_key)
    for props, groups in read:
        if props.get(name_key):
            yield _record_field(props[name_key], props, key_roles, groups)


def _records(root: ET.Element) -> tuple[list[ET.Element], str] | None:
    """(record elements, the key holding their names): the most numerous tag with a name key,
    unless it lies inside another one and reads as codes (`value`, `category`)."""
    by_tag: dict[str, list[ET.Element]] = {}
    for el in root.iter():
        if el is not root and (el.attrib or len(el)):
            by_tag.setdefault(local(el.tag), []).append(el)
    valid: dict[str, tuple[list[ET.Element], str]] = {}
    for tag, els in by_tag.items():
        if len(els) >= _MIN_RECORDS:
            step = -(-len(els) // _SAMPLE)          # a spread sample bounds the work
            key = _name_key([shallow_props(e) for e in els[::step]])
            if key is not None:
                valid[tag] = (els, key)
    if not valid:
        return None
    order = sorted(valid, key=lambda t: -len(valid[t][0]))
    best = order[0]
    if _code_like(best, valid[best][1]):
        outer = _enclosing(root, valid, best)
        if outer is not None:
            best = outer
    return valid[best]


def _code_like(tag: str, key: str) -> bool:
    """Elements that read as codes of a list: a code word on the tag or the key, or the name
    in the element's text."""
    words = {**roles(tag), **roles(key)}
    return key == TEXT or any(r in words for r in ("code", "values", "code_label"))


def _enclosing(root: ET.Element, valid: dict, inner: str) -> str | None:
    """The most numerous other record tag whose elements contain `inner`'s elements."""
    parents = {c: p for p in root.iter() for c in p}
    first = valid[inner][0][0]
    ancestors = set()
    node = parents.get(first)
    while node is not None:
        ancestors.add(local(node.tag))
        node = parents.get(node)
    outer = [t for t in valid if t != inner and t in ancestors]
    return max(outer, key=lambda t: len(valid[t][0])) if outer else None


def _name_key(rows: list[Props]) -> str | None:
    """The key whose values are names: in most rows, identifier-like, mostly distinct.  Of
    several, a name word wins; a label or description word loses."""
    best: tuple[float, str] | None = None
    for k in key_order(rows):
        values = [r[k] for r in rows if k in r]
        if len(values) < 0.8 * len(rows) or len(values) < _MIN_RECORDS:
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


def _assign_roles(rows: list[Props], name_key: str) -> dict[str, list[str]]:
    """role -> its keys, best-scoring first; a key has one role (its best).  Without a label
    or description word, the key most often holding several words describes."""
    keys = key_order(rows)
    out: dict[str, list[str]] = {}
    used: set[str] = set()
    for i, k in enumerate(keys):
        words = {r: s for r, s in roles(k).items() if r in _FIELD_ROLES and s >= _MIN_ROLE_SCORE}
        if k != name_key and words:
            best = max(words, key=words.get)
            out.setdefault(best, []).append((words[best], i, k))
            used.add(k)
    if "title" not in out and "description" not in out:
        spaced = {k: sum(" " in r.get(k, "") for r in rows) for k in keys
                  if k not in used and k != name_key}
        best = max(spaced, key=spaced.get, default=None)
        if best is not None and spaced[best] * 2 >= len(rows):
            out["description"] = [(0, 0, best)]
    return {role: [k for _, _, k in sorted(found, key=lambda p: (-p[0], p[1]))]
            for role, found in out.items()}


def _record_field(name: str, props: Props, key_roles: dict[str, list[str]], groups: list
                  ) -> Field:
    """A field from one record's properties and code lists."""
    f = Field(name=name)
    _apply_props(f, props, key_roles)
    cats: list[Category] = []
    missing: list[Category] = []
    for _, codes, all_missing in groups:
        for cat, flagged in codes:
            (missing if all_missing or flagged else cats).append(cat)
    listed = _first(props, key_roles, "values")
    if not cats and not missing and listed:
        cats = parse_inline_codes(listed)
    if cats or missing:
        f.categories, more = move_missing(cats, missing)
        f.missing_values = f.missing_values + [m for m in more if m not in f.missing_values]
        if f.type == "any":
            f.type = coded_type(f.categories, f.missing_values, "string")
    return f


def _first(props: Props, key_roles: dict[str, list[str]], role: str) -> str | None:
    """The value of the best key of this role that the record holds."""
    return next((props[k] for k in key_roles.get(role, ()) if props.get(k)), None)


def _apply_props(f: Field, props: Props, key_roles: dict[str, list[str]]) -> None:
    """Texts, type, unit, bounds, missing values and required flag from the keys' roles."""
    get = {role: _first(props, key_roles, role) for role in key_roles}
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


# ---- tags as names ----------------------------------------------------------------------------
def _tagged_fields(root: ET.Element) -> Iterator[Field]:
    """Leaf elements named once in the document whose text describes them, under parents
    made mostly of such elements."""
    counts = Counter(local(e.tag) for e in root.iter())
    for parent in root.iter():
        kids = list(parent)
        named = [c for c in kids if is_leaf(c) and counts[local(c.tag)] <= 3 and _describes(c)]
        if len(named) >= _MIN_TAGGED and len(named) >= 0.6 * len(kids):
            for c in named:
                yield _tagged_field(c)


def _describes(el: ET.Element) -> bool:
    """A leaf whose text has words and whose tag is no document metadata (`title`)."""
    text = plain("".join(el.itertext()))
    words = roles(local(el.tag))
    return bool(text and _LETTER.search(text)) and not any(
        words.get(r, 0) >= 90 for r in _METADATA_ROLES)


def _tagged_field(el: ET.Element) -> Field:
    """The tag as the name, the text as the description, attributes by their words."""
    f = Field(name=local(el.tag))
    props = {k: v for k, v in own_props(el).items() if k != TEXT}
    key_roles = {r: k for r, k in _assign_roles([props], "").items() if r != "description"}
    _apply_props(f, props, key_roles)
    text = plain("".join(el.itertext()))
    f.title = f.description if f.description != text else None
    f.description = text
    return f
