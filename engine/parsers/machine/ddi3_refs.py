"""DDI 3.x identities and references, and the texts DDI wraps in language elements.

DDI 3.1 identifies an element by an `id` attribute; 3.2+ by an `r:URN` child or by `r:Agency`,
`r:ID` and `r:Version` children.  A reference (`...Reference`) carries the same children, and
often `r:TypeOfObject`.  The index is built once (one pass over the tree); resolving is a dict
look-up, never a walk, so references cannot recurse.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ._common import attr, kid, kids, local, text_of

_NOT_IDENTIFIABLE = {"ID", "URN", "Agency", "Version", "Scheme", "TypeOfObject"}
_TAG = re.compile(r"<[^>]+>")


class Index:
    """Identifiable elements by id, URN and ID, and by (type, id) for typed references."""

    def __init__(self, root: ET.Element) -> None:
        self.by_id: dict[str, ET.Element] = {}
        self.typed: dict[tuple[str, str], ET.Element] = {}
        for el in root.iter():
            name = local(el.tag)
            if "Reference" in name or name in _NOT_IDENTIFIABLE:
                continue
            for ident in identities(el):
                self.by_id.setdefault(ident, el)
                self.typed.setdefault((name, ident), el)

    def resolve(self, ref: ET.Element | None) -> ET.Element | None:
        """The element a reference points to: typed first, then by URN, ID, or a URN's ID."""
        if ref is None:
            return None
        kind = text_of(kid(ref, "TypeOfObject"))
        for ident in identities(ref):
            found = (self.typed.get((kind, ident)) if kind else None) or self.by_id.get(ident)
            if found is not None:
                return found
        return None


def identities(el: ET.Element) -> list[str]:
    """The keys an element (or a reference to it) is known by, most exact first: its URN
    (written, or made of Agency/ID/Version), its id, its ID, the ID inside its URN."""
    out = []
    urn = text_of(kid(el, "URN"))
    ident = text_of(kid(el, "ID"))
    agency, version = text_of(kid(el, "Agency")), text_of(kid(el, "Version"))
    if urn:
        out.append(urn)
    if ident and agency and version:
        out.append(f"urn:ddi:{agency}:{ident}:{version}")
    if el.get("id"):
        out.append(el.get("id"))
    if ident:
        out.append(ident)
    if urn:
        parts = urn.split(":")
        if len(parts) >= 4:                     # urn:ddi:agency:id:version
            out.append(parts[3])
    return out


def own_id(el: ET.Element | None) -> str:
    """The key an element is first known by (to match it with what references it)."""
    keys = identities(el) if el is not None else []
    return keys[0] if keys else ""


def short_id(el: ET.Element) -> str:
    """The plainest id of an element (a name of last resort): id, ID, or the ID in its URN."""
    keys = identities(el)
    plain_keys = [k for k in keys if not k.startswith("urn:")]
    return plain_keys[0] if plain_keys else (keys[0] if keys else "")


def preferred(elements: list[ET.Element]) -> ET.Element | None:
    """Of texts in several languages, the English one (else the first)."""
    if not elements:
        return None
    english = [e for e in elements if (attr(e, "lang") or "").lower().startswith("en")]
    return (english or elements)[0]


def string(el: ET.Element | None) -> str | None:
    """Text of a DDI string: 3.2 wraps it in r:String/r:Content, one per language."""
    if el is None:
        return None
    inner = preferred(list(kids(el, "String", "Content")))
    return plain(text_of(inner if inner is not None else el))


def dynamic_text(el: ET.Element | None) -> str | None:
    """A question or statement text: its literal parts (conditional expressions left out)."""
    if el is None:
        return None
    parts = [text_of(t) for t in el.iter() if local(t.tag) == "Text"]
    text = " ".join(p for p in parts if p) or text_of(el)
    return plain(text)


def plain(text: str | None) -> str | None:
    """Text with HTML markup written as escaped text removed."""
    if text and "<" in text:
        text = re.sub(r"\s+", " ", _TAG.sub(" ", text)).strip() or None
    return text
