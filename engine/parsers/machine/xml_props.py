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

import re
import xml.etree.ElementTree as ET
from collections import Counter
from typing import Iterator

from ...model import Category
from ._common import code_text, local, plain, roles

Props = dict[str, str]
TEXT = "#text"
_LANG = {"lang", "language", "xmllang"}
_MAX_CODE_CHARS = 16
_YES = {"y", "yes", "true", "1"}
_LETTER = re.compile(r"[^\W\d_]")


def _english(el: ET.Element) -> bool:
    lang = next((v for k, v in el.attrib.items() if local(k).lower() in _LANG), "")
    return lang.lower().startswith("en")


def _has_lang(el: ET.Element) -> bool:
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
                ) -> Iterator[tuple[list[ET.Element], list[tuple[Category, bool]], bool]]:
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
            missing = _says_missing(tag) or _says_missing(local(node.tag))
            codes = read_codes(members, tag, node) if len(members) > 1 or missing else None
            if codes is not None:
                yield members, codes, missing
            else:
                stack.extend(m for m in members if not is_leaf(m))


def _says_missing(tag: str) -> bool:
    return "missing" in roles(tag)


def read_codes(members: list[ET.Element], tag: str, parent: ET.Element
               ) -> list[tuple[Category, bool]] | None:
    """(code, flagged missing) of a group of sibling elements, or None when they are no
    code list."""
    if all(_has_lang(m) for m in members) and len(members) > 1:
        return None                       # one text in several languages
    rows = [shallow_props(m) for m in members]
    keys = list(dict.fromkeys(k for r in rows for k in r))
    if any("stat" in roles(t) for t in (tag, local(parent.tag))):
        return None                       # observed statistics by kind (`<stat type="mean">`)
    code_key, worded = _code_key(keys, rows, tag, local(parent.tag))
    if code_key is None:
        return None
    label_key = _label_key([k for k in keys if k != code_key], rows)
    labels = [r[label_key] for r in rows if label_key in r] if label_key else []
    if not worded and sum(bool(_LETTER.search(v)) for v in labels) * 2 < len(rows):
        return None                       # unnamed pairs need labels in words
    flags = [k for k in keys if k not in (code_key, label_key) and "missing" in roles(k)]
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
    if best is None or (best[0] == 0 and len(keys) < 2):
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


def key_order(rows: list[Props]) -> list[str]:
    """Keys by how many rows hold them, then by first appearance."""
    counts = Counter(k for r in rows for k in r)
    first = {k: i for i, k in enumerate(dict.fromkeys(k for r in rows for k in r))}
    return sorted(counts, key=lambda k: (-counts[k], first[k]))
