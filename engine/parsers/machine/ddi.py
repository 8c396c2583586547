"""DDI XML: DDI 2.x `codeBook` (var/catgry) and DDI 3.x Lifecycle (Variable -> CodeScheme).

Namespaces differ between versions (`ddi:codebook:2_5`, `ddi:logicalproduct:3_1`,
`http://www.ddialliance.org/.../3.2/...`), so elements are matched by local name.  Surveys list
"Don't know"/"Refused"/"Not applicable" as ordinary categories; their labels move them to the
missing values.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Iterator

from ...model import Category, Field
from .. import NotThisFormat, ParseContext
from ..codes import infer_type_from_codes
from . import ddi3
from .ddi3_questions import questions
from .ddi3_refs import Index
from ._common import bounds, code_text, coded_type, kid, kids, load_xml, move_missing, number
from ._common import local, root_name, spell_range, text_of

_DDI3_ROOTS = {"DDIInstance", "FragmentInstance", "Fragment", "StudyUnit", "LogicalProduct",
               "VariableScheme", "ResourcePackage", "DataCollection", "QuestionScheme",
               "CodeListScheme", "Group"}
# a DDI 3 namespace: `ddi:instance:3_2`, `http://www.ddialliance.org/Specification/DDI-Lifecycle`
_DDI3_NAMESPACE = re.compile(r"xmlns(?::\w+)?\s*=\s*[\"'](?:ddi:|[^\"']*ddialliance)", re.I)


def sniff_ddi(ctx: ParseContext) -> bool:
    """A DDI 2 codeBook or a DDI 3 instance/fragment (root element and namespace)."""
    root = root_name(ctx.head)
    if root == "codeBook":
        return True
    return root in _DDI3_ROOTS and _DDI3_NAMESPACE.search(ctx.head[:8000]) is not None


def parse_ddi(ctx: ParseContext) -> Iterator[Field]:
    """Variables of a DDI 2 or DDI 3 document."""
    root = load_xml(ctx.data, ctx.filename)
    if local(root.tag) == "codeBook":
        yield from _codebook(root)
    elif local(root.tag) in _DDI3_ROOTS:
        yield from _ddi3(root)
    else:
        raise NotThisFormat


def _ddi3(root: ET.Element) -> Iterator[Field]:
    """The variables of a DDI 3 document; its questions when it defines no variables."""
    index = Index(root)
    found = False
    for f in ddi3.variables(root, index):
        found = True
        yield f
    if not found:
        yield from questions(root, index)


# ---- DDI 2 ------------------------------------------------------------------------------


def _codebook(root: ET.Element) -> Iterator[Field]:
    """`<var>` elements of every `<dataDscr>`."""
    for data in (e for e in root.iter() if local(e.tag) == "dataDscr"):
        for var in data.iter():
            if local(var.tag) == "var" and (var.get("name") or var.get("ID")):
                yield _var(var)


def _var(var: ET.Element) -> Field:
    """One `<var>`: label, question text, codes, missing codes, position, format."""
    f = Field(name=var.get("name") or var.get("ID") or "")
    _texts(f, var)
    fmt = kid(var, "varFormat")
    cats, missing = _catgries(var, fmt is not None and fmt.get("type") == "character")
    more_missing, ranges = _invalid(var)
    missing += [m for m in more_missing if m.value not in {c.value for c in missing}]
    f.categories, f.missing_values = move_missing(cats, missing)
    f.type = _type(var, f.categories, f.missing_values)
    _valid_range(var, f)
    if ranges:
        f.extras["missingRanges"] = ranges
    position = _location(var)
    if position:
        f.extras["position"] = position
    return f


def _texts(f: Field, var: ET.Element) -> None:
    """`labl` is the title when a question text or `txt` describes the variable too."""
    label = text_of(kid(var, "labl"))
    qstn = kid(var, "qstn")
    question = text_of(kid(qstn, "qstnLit"))
    if question is None and qstn is not None and len(qstn) == 0:
        question = text_of(qstn)  # `<qstn>` holding the text itself
    longer = [t for t in (question, text_of(kid(var, "txt"))) if t]
    if label and longer:
        f.title, f.description = label, "\n".join(longer)
    else:
        f.description = label or ("\n".join(longer) or None)


def _catgries(var: ET.Element, character: bool = False
              ) -> tuple[list[Category], list[Category]]:
    """(categories, categories flagged missing="Y"); the codes of a character variable are
    text as written ('1.0' stays '1.0'), numeric ones as the data writes numbers."""
    cats, missing = [], []
    for c in kids(var, "catgry"):
        value = text_of(kid(c, "catValu"))
        if value is None:
            continue
        cat = Category(value.strip() if character else code_text(value),
                       text_of(kid(c, "labl")))
        (missing if (c.get("missing") or "").upper() == "Y" else cats).append(cat)
    return cats, missing


def _invalid(var: ET.Element) -> tuple[list[Category], list[dict]]:
    """`<invalidrng>`: single missing codes, and ranges too wide to spell out."""
    codes: list[Category] = []
    ranges: list[dict] = []
    for rng in kids(var, "invalidrng"):
        for item in kids(rng, "item"):
            if item.get("VALUE") is not None:
                codes.append(Category(code_text(item.get("VALUE"))))
        for r in kids(rng, "range"):
            spelled = spell_range(r.get("min"), r.get("max"))
            if spelled is not None:
                codes += [Category(v) for v in spelled]
            else:
                ranges.append(bounds(r.get("min"), r.get("max")))
    return codes, ranges


def _type(var: ET.Element, cats: list[Category], missing: list[Category]) -> str:
    """From `<varFormat type=...>` and `dcml`, refined by the codes."""
    fmt = kid(var, "varFormat")
    kind = (fmt.get("type") if fmt is not None else "") or ""
    if kind == "character":
        return "string"
    if kind == "numeric":
        return "integer" if var.get("dcml") == "0" else coded_type(cats, missing, "number")
    if cats or missing:
        return infer_type_from_codes(cats + missing)
    return "any"


def _valid_range(var: ET.Element, f: Field) -> None:
    """`<valrng><range min max>` -> minimum/maximum."""
    r = kid(kid(var, "valrng"), "range")
    if r is not None:
        for key, value in bounds(r.get("min"), r.get("max")).items():
            f.constraints[key] = value


def _location(var: ET.Element) -> dict | None:
    """`<location StartPos EndPos width RecSegNo>` -> {"start", "end", "record"}."""
    loc = kid(var, "location")
    if loc is None:
        return None
    start, end, width = (number(loc.get(k)) for k in ("StartPos", "EndPos", "width"))
    if start is None:
        return None
    if end is None and width is not None:
        end = start + width - 1
    out = {"start": start, "end": end}
    if number(loc.get("RecSegNo")) not in (None, 1):
        out["record"] = number(loc.get("RecSegNo"))
    return {k: v for k, v in out.items() if v is not None}
