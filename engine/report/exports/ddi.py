"""The dictionary as DDI Codebook 2.5 XML (`<codeBook>`, one `<var>` per field).

Each `<var>` holds, in the order the 2.5 schema wants: `labl` (the title, else the
description), `valrng` (minimum/maximum), `txt` (the description when there is a title too),
`catgry` per code and per missing-value code (`missing="Y"`), and `varFormat` (`numeric`,
with `dcml="0"` on the var for integers, or `character`).  Names are attributes and texts are
element content, both escaped by the XML writer; characters XML 1.0 cannot hold are dropped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from ...model import Category, Field, Schema
from .rules import number

NAMESPACE = "ddi:codebook:2_5"
SCHEMA_LOCATION = ("ddi:codebook:2_5 http://www.ddialliance.org/Specification/DDI-Codebook/"
                   "2.5/XMLSchema/codebook.xsd")
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NUMERIC = ("integer", "number", "year")


def ddi_xml(schema: Schema, *, title: str | None = None) -> str:
    """The DDI Codebook 2.5 document as text."""
    ET.register_namespace("", NAMESPACE)
    ET.register_namespace("xsi", _XSI)
    root = ET.Element(_q("codeBook"), {"version": "2.5", f"{{{_XSI}}}schemaLocation":
                                       SCHEMA_LOCATION})
    stdy = _sub(_sub(_sub(_sub(root, "stdyDscr"), "citation"), "titlStmt"), "titl")
    stdy.text = _text(title or str(schema.extras.get("title") or "Codebook"))
    data = _sub(root, "dataDscr")
    for i, f in enumerate(schema.fields, 1):
        _var(data, f, f"V{i}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") \
        + "\n"


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _sub(parent: ET.Element, tag: str, attrib: dict[str, str] | None = None) -> ET.Element:
    return ET.SubElement(parent, _q(tag), attrib or {})


def _text(value: Any) -> str:
    return _NOT_XML.sub("", str(value))


def _var(parent: ET.Element, f: Field, var_id: str) -> None:
    attrib = {"ID": var_id, "name": _text(f.name)}
    if f.type in _NUMERIC:
        attrib["intrvl"] = "discrete" if f.categories or f.type == "integer" else "contin"
    if f.type in ("integer", "year"):
        attrib["dcml"] = "0"
    var = _sub(parent, "var", attrib)
    label = f.title or f.description
    if label:
        _sub(var, "labl").text = _text(label)
    _valrng(var, f)
    if f.title and f.description:
        _sub(var, "txt").text = _text(f.description)
    for c in f.categories:
        _catgry(var, c, missing=False)
    for c in f.missing_values:
        _catgry(var, c, missing=True)
    kind = "numeric" if f.type in _NUMERIC else "character" if f.type == "string" else None
    if kind:
        _sub(var, "varFormat", {"type": kind, "schema": "other"})


def _valrng(var: ET.Element, f: Field) -> None:
    bounds = {}
    for key, attr in (("minimum", "min"), ("maximum", "max")):
        value = f.constraints.get(key)
        x = number(value) if f.type in _NUMERIC else None
        if x is not None:
            bounds[attr] = str(x)
        elif value is not None and f.type in ("date", "datetime"):
            bounds[attr] = _text(value)
    if bounds:
        _sub(_sub(var, "valrng"), "range", bounds)


def _catgry(var: ET.Element, c: Category, missing: bool) -> None:
    cat = _sub(var, "catgry", {"missing": "Y"} if missing else {})
    _sub(cat, "catValu").text = _text(c.value)
    if c.label:
        _sub(cat, "labl").text = _text(c.label)
