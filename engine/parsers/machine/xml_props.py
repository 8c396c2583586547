"""What an XML element says about itself: its properties and the code lists inside it.

A property is a key and a text: an attribute (`name="age"`), the element's own text (`#text`),
or a leaf element below it (`<label>Age</label>`, `<unit name="kg"/>`, mixed content such as
`<description>Depth of <i>sample</i></description>` read whole).  Of texts in several
languages the English one is kept.  A code list is a group of repeated sibling elements, each
with a short distinct code and a label (`<value code="1">Male</value>`, `<category><code>1
</code><label>Male</label></category>`, EML `codeDefinition`): decided from the values, with
the keys' words (any of the table header languages) breaking ties.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Iterator

from ._common import local, plain
from .records import TEXT, Coded, Props, codes_from_rows, says_missing

_LANG = {"lang", "language", "xmllang"}


def _english(el: ET.Element) -> bool:
    """Written in English (an `xml:lang`/`lang` attribute starting with `en`)."""
    lang = next((v for k, v in el.attrib.items() if local(k).lower() in _LANG), "")
    return lang.lower().startswith("en")


def _has_lang(el: ET.Element) -> bool:
    """The element says its language."""
    return any(local(k).lower() in _LANG for k in el.attrib)


def is_leaf(el: ET.Element) -> bool:
    """No child elements, or text of its own around them (inline markup)."""
    return len(el) == 0 or bool((el.text or "").strip())


def leaf_value(el: ET.Element) -> str | None:
    """A leaf's text; an empty one with a single attribute says it there (`<unit name="m"/>`)."""
    text = plain("".join(el.itertext()))
    if text:
        return text
    values = [v for k, v in el.attrib.items() if local(k).lower() not in _LANG]
    return plain(values[0]) if len(values) == 1 else None


def own_props(el: ET.Element) -> Props:
    """Attributes and the element's own text (when it has no child elements)."""
    out: Props = {}
    for k, v in el.attrib.items():
        key, value = local(k), plain(v)
        if value and key.lower() not in _LANG:
            out.setdefault(key, value)
    if len(el) == 0:
        text = plain(el.text)
        if text:
            out[TEXT] = text
    return out


def shallow_props(el: ET.Element) -> Props:
    """Own properties and direct leaf children (a tag repeated without languages is not one)."""
    out = own_props(el)
    _add_leaves(out, [c for c in el if is_leaf(c)])
    return out


def _add_leaves(out: Props, leaves: list[ET.Element]) -> None:
    """Leaf children as properties: one per tag, the English one of several languages."""
    by_tag: dict[str, list[ET.Element]] = {}
    for c in leaves:
        by_tag.setdefault(local(c.tag), []).append(c)
    for tag, group in by_tag.items():
        if len(group) > 1 and not all(_has_lang(c) for c in group):
            continue
        chosen = next((c for c in group if _english(c)), group[0])
        value = leaf_value(chosen)
        if value and tag not in out:
            out[tag] = value


def deep_props(el: ET.Element, skip: set[int]) -> Props:
    """Own properties and every leaf below (first of a tag wins), except in `skip` subtrees."""
    out = shallow_props(el)
    stack = [c for c in reversed(el) if not is_leaf(c) and id(c) not in skip]
    while stack:
        node = stack.pop()
        _add_leaves(out, [c for c in node if is_leaf(c) and id(c) not in skip])
        stack.extend(c for c in reversed(node) if not is_leaf(c) and id(c) not in skip)
    return out


# ---- code lists -------------------------------------------------------------------------------
def code_groups(record: ET.Element, stop: set[int]
                ) -> Iterator[tuple[list[ET.Element], Coded, bool]]:
    """(members, codes, all missing) of each code list inside a record; `stop` elements
    (other records) are not entered."""
    stack = [record]
    while stack:
        node = stack.pop()
        groups: dict[str, list[ET.Element]] = {}
        for c in node:
            if id(c) not in stop:
                groups.setdefault(local(c.tag), []).append(c)
        for tag, members in groups.items():
            missing = says_missing(tag) or says_missing(local(node.tag))
            codes = read_codes(members, tag, node) if len(members) > 1 or missing else None
            if codes is not None:
                yield members, codes, missing
            else:
                stack.extend(m for m in members if not is_leaf(m))


def read_codes(members: list[ET.Element], tag: str, parent: ET.Element) -> Coded | None:
    """(code, flagged missing) of a group of sibling elements, or None when they are no
    code list."""
    if all(_has_lang(m) for m in members) and len(members) > 1:
        return None                       # one text in several languages
    return codes_from_rows([shallow_props(m) for m in members], tag, local(parent.tag))
