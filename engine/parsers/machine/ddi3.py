"""DDI 3.x Lifecycle: variables resolved through references to code lists and categories.

A variable's representation (3.1 `CodeRepresentation` ..., 3.2+ `r:CodeRepresentation` or a
managed representation by reference) gives its type, codes, range and missing values; a
question's response domain (`d:CodeDomain`, `d:NumericDomain` ...) says the same things in the
same words.  An instance without variables (a questionnaire) is read from its questions
(`ddi3_questions.py`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Iterator

from ...model import Category, Field
from ._common import bounds, code_text, coded_type, kid, kids, local, move_missing, number
from ._common import text_of
from .ddi3_refs import Index, dynamic_text, own_id, preferred, short_id, string

_NUMERIC_WHOLE = {"integer", "long", "short", "biginteger", "int", "incremental"}
_DATE_TYPES = {"date": "date", "datetime": "datetime", "time": "time", "year": "year",
               "yearmonth": "yearmonth", "gyear": "year", "gyearmonth": "yearmonth"}
_CODE_REFS = ("CodeSchemeReference", "CodeListReference")
# a domain nested this deep in mixed domains is not followed further
_MAX_DOMAIN_DEPTH = 3


def variables(root: ET.Element, index: Index | None = None) -> Iterator[Field]:
    """Every `Variable` of the document, in document order."""
    index = index or Index(root)
    positions = _positions(root, index)
    for el in root.iter():
        if local(el.tag) == "Variable" and kid(el, "VariableName", "Label") is not None:
            yield _variable(el, index, positions)


def _variable(el: ET.Element, index: Index, positions: dict) -> Field:
    """One Variable: name, label, question, representation (else the question's domain)."""
    name = string(kid(el, "VariableName")) or string(kid(el, "Label")) or short_id(el)
    f = Field(name=name)
    question = index.resolve(kid(el, "QuestionReference", "SourceQuestionReference"))
    label = _label(el)
    longer = [t for t in (question_text(question), string(kid(el, "Description"))) if t]
    if label and longer and label not in longer:
        f.title, f.description = label, "\n".join(longer)
    else:
        f.description = label or ("\n".join(longer) or None)
    rep = _representation(el, index)
    if rep is not None:
        apply_domain(f, rep, index)
    elif question is not None:
        apply_domains(f, question, index)
    _managed_missing(f, el, index)
    pos = positions.get(own_id(el))
    if pos:
        f.extras["position"] = pos
    return f


def _label(el: ET.Element) -> str | None:
    """The variable label: 3.1 writes the name again as `<r:Label type="name">`; skip that."""
    labels = [lab for lab in kids(el, "Label") if (lab.get("type") or "").lower() != "name"]
    return string(labels[0]) if labels else None


def question_text(q: ET.Element | None) -> str | None:
    """Literal text of a question (English when it is written in several languages)."""
    if q is None:
        return None
    texts = list(kids(q, "QuestionText"))
    if not texts:
        texts = [t for t in q.iter() if local(t.tag) == "QuestionText"][:1]
    return dynamic_text(preferred(texts))


def _representation(el: ET.Element, index: Index) -> ET.Element | None:
    """The concrete `...Representation` element (managed ones followed by reference)."""
    holder = kid(el, "Representation", "VariableRepresentation")
    if holder is None:
        return None
    for child in holder:
        name = local(child.tag)
        if name.endswith("Representation"):
            return child
        if name.endswith("RepresentationReference"):
            return index.resolve(child)
    return None


def _managed_missing(f: Field, el: ET.Element, index: Index) -> None:
    """3.2+ `r:MissingValuesReference` to a managed missing-values representation: its
    values (and code labels, where the codes name them) are missing values."""
    holder = kid(el, "Representation", "VariableRepresentation")
    target = index.resolve(kid(holder, "MissingValuesReference")) if holder is not None else None
    if target is None:
        return
    values = [code_text(v) for v in (text_of(e) for e in target.iter()
                                     if local(e.tag) == "Value") if v]
    labels = {c.value: c.label for c in f.categories}
    f.categories = [c for c in f.categories if c.value not in values]
    known = {m.value for m in f.missing_values}
    f.missing_values += [Category(v, labels.get(v)) for v in dict.fromkeys(values)
                         if v not in known]


def _kind(el: ET.Element) -> str:
    """`CodeDomain`, `ManagedCodeRepresentation` ... -> `Code`."""
    name = local(el.tag).replace("Managed", "")
    for suffix in ("RepresentationReference", "DomainReference", "Representation", "Domain"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return ""


def apply_domains(f: Field, holder: ET.Element, index: Index, depth: int = 0) -> None:
    """Every response domain directly inside `holder` (a question or a mixed domain)."""
    for child in holder:
        name = local(child.tag)
        if name == "GridDimension" or not (name.endswith("Domain") or
                                           name.endswith("DomainReference")):
            continue
        if name.endswith("Reference"):
            child = index.resolve(child)
            if child is None:
                continue
        if _kind(child) in ("StructuredMixedResponse", "StructuredMixedGridResponse"):
            if depth < _MAX_DOMAIN_DEPTH:
                for part in child:
                    apply_domains(f, part, index, depth + 1)
            continue
        apply_domain(f, child, index)


def apply_domain(f: Field, rep: ET.Element, index: Index) -> None:
    """Type, codes, range and missing values from one representation or response domain;
    codes add to those already found (a mixed domain lists a number and missing codes)."""
    kind = _kind(rep)
    missing = [Category(code_text(v)) for v in (rep.get("missingValue") or "").split()]
    code = rep.get("type") or text_of(kid(rep, "NumericTypeCode", "DateTypeCode")) or ""
    if kind == "Code":
        cats = f.categories + f.missing_values + _codes(rep, index)
        f.categories, f.missing_values = move_missing(cats, missing)
        if f.type in ("any", "string"):
            f.type = coded_type(f.categories, f.missing_values, "string")
        return
    f.missing_values += missing
    if kind == "Numeric":
        f.type = "integer" if code.lower() in _NUMERIC_WHOLE else "number"
        _number_range(f, kid(rep, "NumberRange"))
    elif kind == "Text":
        f.type = "string"
        if number(rep.get("maxLength")) is not None:
            f.constraints["maxLength"] = number(rep.get("maxLength"))
    elif kind == "DateTime":
        f.type = _DATE_TYPES.get(code.lower(), "string")
    f.extras["sourceType"] = code or kind.lower()


def _codes(rep: ET.Element, index: Index) -> list[Category]:
    """Codes of the referenced CodeScheme/CodeList, labelled by their categories."""
    ref = next((e for e in rep.iter() if local(e.tag) in _CODE_REFS), None)
    scheme = index.resolve(ref)
    if scheme is None:
        return []
    out = []
    for code in (e for e in scheme.iter() if local(e.tag) == "Code"):
        value = text_of(kid(code, "Value"))
        if value is None:
            continue
        category = index.resolve(kid(code, "CategoryReference"))
        label = string(kid(category, "Label")) if category is not None else None
        out.append(Category(code_text(value), label))
    return out


def _number_range(f: Field, rng: ET.Element | None) -> None:
    """`r:NumberRange` Low/High -> minimum/maximum."""
    if rng is not None:
        found = bounds(text_of(kid(rng, "Low")), text_of(kid(rng, "High")))
        f.constraints.update(found)


def _positions(root: ET.Element, index: Index) -> dict[str, dict]:
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
        key = own_id(index.resolve(ref))
        if key:
            out[key] = {"start": start, "end": end} if end is not None else {"start": start}
    return out
