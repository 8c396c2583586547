"""DDI 3.x Lifecycle: variables resolved through references to code schemes and categories.

DDI 3.1 identifies elements by an `id` attribute; 3.2+ by `r:URN` or `r:ID` children.  A
reference (`...Reference`) carries `r:ID` or `r:URN`.  Both are indexed so a variable's
CodeScheme/CodeList, its categories and its question can be looked up.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Iterator

from ...model import Category, Field
from ._common import bounds, code_text, coded_type, kid, kids, local, move_missing, number
from ._common import text_of

_NUMERIC_WHOLE = {"integer", "long", "short", "biginteger", "int", "incremental"}
_DATE_TYPES = {"date": "date", "datetime": "datetime", "time": "time", "year": "year",
               "yearmonth": "yearmonth", "gyear": "year", "gyearmonth": "yearmonth"}
_CODE_REFS = ("CodeSchemeReference", "CodeListReference")


def variables(root: ET.Element) -> Iterator[Field]:
    """Every `Variable` of the document, in document order."""
    index = _index(root)
    positions = _positions(root, index)
    for el in root.iter():
        if local(el.tag) == "Variable" and kid(el, "VariableName", "Label") is not None:
            yield _variable(el, index, positions)


def _index(root: ET.Element) -> dict[str, ET.Element]:
    """Identifiable elements by id attribute, then by URN/ID child (references excluded)."""
    index: dict[str, ET.Element] = {el.get("id"): el for el in root.iter() if el.get("id")}
    for el in root.iter():
        name = local(el.tag)
        if "Reference" in name or name in ("Scheme", "ID", "URN") or el.get("id"):
            continue
        for key in ("ID", "URN"):
            ident = text_of(kid(el, key))
            if ident:
                index.setdefault(ident, el)
    return index


def _resolve(ref: ET.Element | None, index: dict[str, ET.Element]) -> ET.Element | None:
    """The element a reference points to (by ID, by URN, or by the id inside a URN)."""
    if ref is None:
        return None
    for key in ("ID", "URN"):
        ident = text_of(kid(ref, key))
        if ident and ident in index:
            return index[ident]
        if ident and key == "URN" and ident.count(":") >= 3:
            found = index.get(ident.split(":")[3])
            if found is not None:
                return found
    return None


def _string(el: ET.Element | None) -> str | None:
    """Text of a DDI string: 3.2 wraps it in r:String/r:Content (first language wins)."""
    if el is None:
        return None
    inner = kid(el, "String", "Content")
    return text_of(inner if inner is not None else el)


def _variable(el: ET.Element, index: dict, positions: dict) -> Field:
    """One Variable: name, label, question, representation."""
    name = _string(kid(el, "VariableName")) or _string(kid(el, "Label")) or el.get("id") or ""
    f = Field(name=name)
    label = _label(el)
    longer = [t for t in (_question(el, index), _string(kid(el, "Description"))) if t]
    if label and longer and label not in longer:
        f.title, f.description = label, "\n".join(longer)
    else:
        f.description = label or ("\n".join(longer) or None)
    rep = _representation(el, index)
    _apply_representation(f, rep, index)
    pos = positions.get(el.get("id") or text_of(kid(el, "ID")) or "")
    if pos:
        f.extras["position"] = pos
    return f


def _label(el: ET.Element) -> str | None:
    """The variable label: 3.1 writes the name again as `<r:Label type="name">`; skip that."""
    labels = [lab for lab in kids(el, "Label") if (lab.get("type") or "").lower() != "name"]
    return _string(labels[0]) if labels else None


def _question(el: ET.Element, index: dict) -> str | None:
    """Literal text of the question the variable came from, if referenced."""
    q = _resolve(kid(el, "QuestionReference", "SourceQuestionReference"), index)
    if q is None:
        return None
    text = next((t for t in q.iter() if local(t.tag) == "QuestionText"), None)
    return text_of(text)


def _representation(el: ET.Element, index: dict) -> ET.Element | None:
    """The concrete `...Representation` element (3.2 managed ones followed by reference)."""
    holder = kid(el, "Representation", "VariableRepresentation")
    if holder is None:
        return None
    for child in holder:
        name = local(child.tag)
        if name.endswith("Representation"):
            return child
        if name.startswith("Managed") and name.endswith("Reference"):
            return _resolve(child, index)
    return None


def _apply_representation(f: Field, rep: ET.Element | None, index: dict) -> None:
    """Type, codes, range and missing values from the representation."""
    if rep is None:
        return
    kind = local(rep.tag).replace("Managed", "")
    missing = [Category(code_text(v)) for v in (rep.get("missingValue") or "").split()]
    if kind == "CodeRepresentation":
        cats = _codes(rep, index)
        f.categories, f.missing_values = move_missing(cats, missing)
        f.type = coded_type(f.categories, f.missing_values, "string")
        return
    f.missing_values = missing
    code = rep.get("type") or text_of(kid(rep, "NumericTypeCode", "DateTypeCode")) or ""
    if kind == "NumericRepresentation":
        f.type = "integer" if code.lower() in _NUMERIC_WHOLE else "number"
        _number_range(f, kid(rep, "NumberRange"))
    elif kind == "TextRepresentation":
        f.type = "string"
        if number(rep.get("maxLength")) is not None:
            f.constraints["maxLength"] = number(rep.get("maxLength"))
    elif kind == "DateTimeRepresentation":
        f.type = _DATE_TYPES.get(code.lower(), "string")
    f.extras["sourceType"] = code or kind.replace("Representation", "").lower()


def _codes(rep: ET.Element, index: dict) -> list[Category]:
    """Codes of the referenced CodeScheme/CodeList, labelled by their categories."""
    ref = next((e for e in rep.iter() if local(e.tag) in _CODE_REFS), None)
    scheme = _resolve(ref, index)
    if scheme is None:
        return []
    out = []
    for code in (e for e in scheme.iter() if local(e.tag) == "Code"):
        value = text_of(kid(code, "Value"))
        if value is None:
            continue
        category = _resolve(kid(code, "CategoryReference"), index)
        label = _string(kid(category, "Label")) if category is not None else None
        out.append(Category(code_text(value), label))
    return out


def _number_range(f: Field, rng: ET.Element | None) -> None:
    """`r:NumberRange` Low/High -> minimum/maximum."""
    if rng is not None:
        found = bounds(text_of(kid(rng, "Low")), text_of(kid(rng, "High")))
        f.constraints.update(found)


def _positions(root: ET.Element, index: dict) -> dict[str, dict]:
    """Variable id -> {"start", "end"} from RecordLayout DataItems that give positions."""
    out: dict[str, dict] = {}
    for item in (e for e in root.iter() if local(e.tag) == "DataItem"):
        ref = kid(item, "VariableReference")
        loc = kid(item, "PhysicalLocation")
        if ref is None or loc is None:
            continue
        start = number(text_of(kid(loc, "StartPosition")))
        end = number(text_of(kid(loc, "EndPosition")))
        width = number(text_of(kid(loc, "Width")))
        if start is None:
            continue
        if end is None and width is not None:
            end = start + width - 1
        var = _resolve(ref, index)
        key = (var.get("id") or text_of(kid(var, "ID"))) if var is not None else None
        if key:
            out[key] = {"start": start, "end": end} if end is not None else {"start": start}
    return out
