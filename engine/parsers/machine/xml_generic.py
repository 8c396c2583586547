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

How a record's properties become a field is shared with the JSON reader (`records.py`).
The reading with more fields wins.  Standard formats (DDI, ODM) have their own parsers.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from typing import Iterator

from ...model import Field
from .. import NotThisFormat, ParseContext
from ._common import load_xml, local, plain, roles, root_name
from .ddi import sniff_ddi
from .records import MIN_RECORDS, TEXT, apply_props, assign_roles, defines_fields, name_key
from .records import record_field
from .xml_props import code_groups, deep_props, is_leaf, own_props, shallow_props

_OTHER_ROOTS = {"ODM", "codeBook", "html", "svg", "Workbook", "worksheet", "rss", "feed"}
_LETTER = re.compile(r"[^\W\d_]")
_MIN_TAGGED = 3
_SAMPLE = 400                     # elements of a tag looked at to find its name key
# tags read as document metadata, not as fields, in the tags-as-names shape
_METADATA_ROLES = ("title", "description", "source")


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
    if len(best) < (MIN_RECORDS if best is records else _MIN_TAGGED):
        raise NotThisFormat("no repeated records or named elements")
    yield from best


# ---- records ----------------------------------------------------------------------------------
def _record_fields(root: ET.Element) -> Iterator[Field]:
    """One field per record element (see `_records`)."""
    found = _records(root)
    if found is None:
        return
    records, key = found
    stop = {id(r) for r in records}
    read = []
    for r in records:
        groups = list(code_groups(r, stop))
        skip = stop | {id(m) for members, _, _ in groups for m in members}
        read.append((deep_props(r, skip - {id(r)}), [(c, m) for _, c, m in groups]))
    key_roles = assign_roles([p for p, _ in read], key)
    if not defines_fields(read, key_roles):
        return                            # records of data, not of a dictionary
    for props, lists in read:
        if props.get(key):
            yield record_field(props[key], props, key_roles, lists)


def _records(root: ET.Element) -> tuple[list[ET.Element], str] | None:
    """(record elements, the key holding their names): the most numerous tag with a name key,
    unless it lies inside another one and reads as codes (`value`, `category`)."""
    by_tag: dict[str, list[ET.Element]] = {}
    for el in root.iter():
        if el is not root and (el.attrib or len(el)):
            by_tag.setdefault(local(el.tag), []).append(el)
    valid: dict[str, tuple[list[ET.Element], str]] = {}
    for tag, els in by_tag.items():
        if len(els) >= MIN_RECORDS:
            step = -(-len(els) // _SAMPLE)          # a spread sample bounds the work
            key = name_key([shallow_props(e) for e in els[::step]])
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
    key_roles = {r: k for r, k in assign_roles([props], "").items() if r != "description"}
    apply_props(f, props, key_roles)
    text = plain("".join(el.itertext()))
    f.title = f.description if f.description != text else None
    f.description = text
    return f
