"""CDISC ODM XML, including REDCap project XML (ItemDef + CodeList + redcap: attributes)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Iterator

from ...model import Category, Field
from .. import NotThisFormat, ParseContext
from ..codes import map_type, parse_inline_codes
from ._common import attr, clean, coded_type, kid, kids, load_xml, local, number, root_name
from ._common import text_of

_TYPES = {"integer": "integer", "float": "number", "double": "number", "text": "string",
          "string": "string", "boolean": "boolean", "date": "date", "time": "time",
          "datetime": "datetime"}
_REDCAP_TYPES = {"calc": "number", "slider": "integer", "file": "string", "notes": "string"}
_NOT_DATA = {"descriptive"}                     # REDCap items that hold only display text
_COMPARATORS = {"GE": "minimum", "GT": "exclusiveMinimum", "LE": "maximum",
                "LT": "exclusiveMaximum"}


def sniff_odm(ctx: ParseContext) -> bool:
    """An XML document whose root element is ODM."""
    return root_name(ctx.head) == "ODM"


def parse_odm(ctx: ParseContext) -> Iterator[Field]:
    """Every ItemDef (REDCap descriptive items skipped), in form order."""
    root = load_xml(ctx.data, ctx.filename)
    if local(root.tag) != "ODM":
        raise NotThisFormat
    defs = {d.get("OID"): d for d in _all(root, "ItemDef")}
    code_lists = {c.get("OID"): c for c in _all(root, "CodeList")}
    units = {u.get("OID"): u for u in _all(root, "MeasurementUnit")}
    mandatory = {r.get("ItemOID") for r in _all(root, "ItemRef") if r.get("Mandatory") == "Yes"}
    for oid in _ordered(root, defs):
        item = defs[oid]
        if (attr(item, "FieldType") or "") in _NOT_DATA:
            continue
        yield _item(item, code_lists, units, oid in mandatory)


def _all(root: ET.Element, name: str) -> list[ET.Element]:
    """Every element with this local name, in document order."""
    return [e for e in root.iter() if local(e.tag) == name]


def _ordered(root: ET.Element, defs: dict) -> list[str]:
    """ItemDef OIDs in the order forms reference them; unreferenced ones after."""
    order = [r.get("ItemOID") for r in _all(root, "ItemRef") if r.get("ItemOID") in defs]
    order += list(defs)
    return list(dict.fromkeys(order))


def _item(item: ET.Element, code_lists: dict, units: dict, mandatory: bool) -> Field:
    """One ItemDef as a field."""
    f = Field(name=item.get("Name") or item.get("OID") or "")
    _texts(f, item)
    ref = kid(item, "CodeListRef")
    code_list = code_lists.get(ref.get("CodeListOID")) if ref is not None else None
    f.categories = _codes(code_list)
    _checkbox_choice(f, code_list)
    f.type = _type(item, f.categories)
    for check in kids(item, "RangeCheck"):
        _range(f, check)
    unit_ref = kid(item, "MeasurementUnitRef")
    if unit_ref is not None and unit_ref.get("MeasurementUnitOID") in units:
        unit = units[unit_ref.get("MeasurementUnitOID")]
        f.unit = text_of(kid(unit, "Symbol")) or clean(unit.get("Name"))
    if mandatory or (attr(item, "RequiredField") or "").lower() == "y":
        f.constraints["required"] = True
    # REDCap writes Length="999" on every text item: a placeholder, not a limit
    if f.type == "string" and number(item.get("Length")) and attr(item, "FieldType") is None:
        f.constraints["maxLength"] = number(item.get("Length"))
    if attr(item, "BranchingLogic"):
        f.extras["branchingLogic"] = attr(item, "BranchingLogic")
    f.extras["sourceType"] = _source_type(item)
    return f


def _texts(f: Field, item: ET.Element) -> None:
    """Question -> description (with the REDCap field note); Description -> longer text."""
    question = _translated(kid(item, "Question"))
    note = clean(attr(item, "FieldNote"))
    described = _translated(kid(item, "Description"))
    if question and described:
        f.title, f.description = question, described
    else:
        f.description = question or described
    if note:
        f.description = f"{f.description}\n{note}" if f.description else note


def _checkbox_choice(f: Field, code_list: ET.Element | None) -> None:
    """REDCap writes one 0/1 item per checkbox option (`race___8`); name the option."""
    choices = attr(code_list, "CheckboxChoices") if code_list is not None else None
    if not choices or "___" not in f.name:
        return
    code = f.name.rsplit("___", 1)[1]
    label = next((c.label for c in parse_inline_codes(choices) if c.value == code), None)
    if label:
        f.description = f"{f.description}: {label}" if f.description else label


def _translated(el: ET.Element | None) -> str | None:
    """The first TranslatedText (English preferred) of a Question/Description/Decode."""
    if el is None:
        return None
    texts = list(kids(el, "TranslatedText"))
    english = [t for t in texts if (attr(t, "lang") or "en").lower().startswith("en")]
    return text_of((english or texts)[0]) if texts else text_of(el)


def _codes(code_list: ET.Element | None) -> list[Category]:
    """CodeListItem (CodedValue + Decode) and EnumeratedItem (CodedValue only)."""
    if code_list is None:
        return []
    out = []
    for item in kids(code_list, "CodeListItem", "EnumeratedItem"):
        value = item.get("CodedValue")
        if value is not None:
            out.append(Category(value.strip(), _translated(kid(item, "Decode"))))
    return out


def _type(item: ET.Element, categories: list[Category]) -> str:
    """Coded items by their codes; else REDCap validation, field type, then ODM DataType."""
    if categories:
        return coded_type(categories, [], "string")
    validated = map_type(attr(item, "TextValidationType"))
    if validated:
        return validated
    redcap = _REDCAP_TYPES.get(attr(item, "FieldType") or "")
    return redcap or _TYPES.get((item.get("DataType") or "").lower(), "string")


def _range(f: Field, check: ET.Element) -> None:
    """`<RangeCheck Comparator="GE"><CheckValue>0</CheckValue>` -> minimum etc."""
    key = _COMPARATORS.get(check.get("Comparator") or "")
    value = number(text_of(kid(check, "CheckValue")))
    if key and value is not None:
        f.constraints[key] = value


def _source_type(item: ET.Element) -> str:
    """REDCap `radio`, `text (date_ymd)`, or the ODM DataType."""
    redcap = attr(item, "FieldType")
    validation = attr(item, "TextValidationType")
    base = redcap or item.get("DataType") or ""
    return f"{base} ({validation})" if validation else base
