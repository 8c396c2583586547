"""FHIR Questionnaire resources (JSON): one field per answerable item, groups flattened."""

from __future__ import annotations

import re
from typing import Any, Iterator

from ...model import Category, Field
from .. import NotThisFormat, ParseContext
from ._common import clean, load_json

_SNIFF = re.compile(r'"resourceType"\s*:\s*"Questionnaire"')
_TYPES = {
    "boolean": "boolean", "decimal": "number", "integer": "integer", "date": "date",
    "dateTime": "datetime", "time": "time", "string": "string", "text": "string",
    "url": "string", "choice": "string", "open-choice": "string", "coding": "string",
    "reference": "string", "attachment": "object", "quantity": "number",
}
_NOT_DATA = {"group", "display"}   # structure and static text, no answer in the data
_EXT = "http://hl7.org/fhir/StructureDefinition/"
_UNIT_EXT = (_EXT + "questionnaire-unit",)


def sniff_fhir(ctx: ParseContext) -> bool:
    """A JSON resource whose resourceType is Questionnaire."""
    return _SNIFF.search(ctx.head) is not None


def parse_fhir(ctx: ParseContext) -> Iterator[Field]:
    """Fields of every answerable item, in questionnaire order."""
    doc = load_json(ctx.text, ctx.filename)
    if not isinstance(doc, dict) or doc.get("resourceType") != "Questionnaire":
        raise NotThisFormat
    yield from _items(doc.get("item") or [], group=None, ctx=ctx)


def _items(items: list[Any], group: str | None, ctx: ParseContext) -> Iterator[Field]:
    """Items depth-first; a group's text is kept on its members."""
    for item in items:
        if not isinstance(item, dict) or not item.get("linkId"):
            continue
        kind = item.get("type", "")
        if kind not in _NOT_DATA:
            yield _field(item, group, ctx)
        if item.get("item"):
            inner = clean(item.get("text")) if kind == "group" else group
            yield from _items(item["item"], inner or group, ctx)


def _field(item: dict, group: str | None, ctx: ParseContext) -> Field:
    """One answerable item as a field."""
    kind = item.get("type", "")
    f = Field(name=str(item["linkId"]), description=clean(item.get("text")))
    f.categories = _options(item, f.name, ctx)
    f.type = _TYPES.get(kind) or "string"
    if f.categories and all(re.fullmatch(r"-?\d+", c.value) for c in f.categories):
        f.type = "integer"
    if item.get("required"):
        f.constraints["required"] = True
    if isinstance(item.get("maxLength"), int):
        f.constraints["maxLength"] = item["maxLength"]
    _extensions(f, item.get("extension") or [])
    f.extras["sourceType"] = kind
    if item.get("enableWhen"):
        f.extras["enableWhen"] = item["enableWhen"]
        if item.get("enableBehavior"):
            f.extras["enableBehavior"] = item["enableBehavior"]
    if item.get("repeats"):
        f.extras["repeats"] = True
    if group:
        f.extras["group"] = group
    return f


def _options(item: dict, name: str, ctx: ParseContext) -> list[Category]:
    """answerOption (R4) or option (STU3) values as categories."""
    out = []
    for opt in item.get("answerOption") or item.get("option") or []:
        cat = _option(opt)
        if cat is not None:
            out.append(cat)
    if not out and (item.get("answerValueSet") or item.get("options")):
        ref = item.get("answerValueSet") or (item.get("options") or {}).get("reference")
        ctx.warn(f"Item '{name}' takes its answers from the value set {ref}, which is not "
                 "included in the file; its codes are not listed.")
    return out


def _option(opt: Any) -> Category | None:
    """valueCoding code/display, or a plain valueString/valueInteger/valueDate."""
    if not isinstance(opt, dict):
        return None
    coding = opt.get("valueCoding")
    if isinstance(coding, dict) and coding.get("code") is not None:
        return Category(str(coding["code"]), clean(coding.get("display")))
    for key, value in opt.items():
        if key.startswith("value") and not isinstance(value, (dict, list)):
            return Category(str(value).lower() if isinstance(value, bool) else str(value))
    return None


def _extensions(f: Field, extensions: list[Any]) -> None:
    """minValue/maxValue/unit/regex extensions."""
    for ext in extensions:
        if not isinstance(ext, dict):
            continue
        url = str(ext.get("url", ""))
        value = next((v for k, v in ext.items() if k.startswith("value")), None)
        if url == _EXT + "minValue" and isinstance(value, (int, float)):
            f.constraints["minimum"] = value
        elif url == _EXT + "maxValue" and isinstance(value, (int, float)):
            f.constraints["maximum"] = value
        elif url == _EXT + "regex" and isinstance(value, str):
            f.constraints["pattern"] = value
        elif url in _UNIT_EXT and isinstance(value, dict):
            f.unit = clean(value.get("display") or value.get("code"))
