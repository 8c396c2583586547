"""JSON Schema (draft 4 to 2020-12) describing one record: each property is a field.

`{"type": "object", "properties": {"age": {"type": "integer", "minimum": 0, "description":
..}}, "required": [..]}`, also under `items` (an array of records); a schema without
top-level properties gives the properties of each object it defines (`$defs`, OpenAPI
`components.schemas`), named by their definition.  Codes come from `enum`
and from `oneOf`/`anyOf` lists of `{"const": 1, "title": "Male"}`; `$ref`s to local
definitions are followed (a few steps, never in a loop).  JSON or YAML.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from ...model import Category, Field
from .. import NotThisFormat, ParseContext
from ._common import code_text, coded_type, load_json, load_yaml, number, plain, roles

_TYPES = {"integer": "integer", "number": "number", "string": "string", "boolean": "boolean",
          "array": "array", "object": "object"}
_FORMATS = {"date": "date", "date-time": "datetime", "time": "time", "duration": "duration"}
_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength",
           "maxLength", "pattern")
_MAX_REF_STEPS = 5
_SNIFF = re.compile(r"""["']?properties["']?\s*:""")


def sniff_jsonschema(ctx: ParseContext) -> bool:
    """A JSON/YAML document with a `properties` key near its top."""
    return _SNIFF.search(ctx.head) is not None


def parse_jsonschema(ctx: ParseContext) -> Iterator[Field]:
    """One field per property of the record the schema describes."""
    doc = load_json(ctx.text, ctx.filename) if ctx.ext == ".json" else load_yaml(
        ctx.text, ctx.filename)
    record = _record(doc)
    records = [(None, record)] if record is not None else _definitions(doc)
    if not records:
        raise NotThisFormat("no JSON Schema properties")
    for table, rec in records:
        required = set(rec["required"]) if isinstance(rec.get("required"), list) else set()
        for name, prop in rec["properties"].items():
            if isinstance(prop, dict):
                f = _field(str(name), _deref(prop, doc), doc, name in required)
                if table:
                    f.extras["resource"] = table
                yield f


def _definitions(doc: Any) -> list[tuple[str, dict]]:
    """(name, object schema) of the definitions a schema without top-level properties
    holds (`$defs`, `definitions`, OpenAPI `components.schemas`)."""
    if not isinstance(doc, dict):
        return []
    components = doc.get("components")
    holders = [doc.get("$defs"), doc.get("definitions"),
               components.get("schemas") if isinstance(components, dict) else None]
    return [(str(name), rec) for holder in holders if isinstance(holder, dict)
            for name, d in holder.items()
            if (rec := _record(_deref(d, doc) if isinstance(d, dict) else None)) is not None]


def _record(doc: Any) -> dict | None:
    """The object schema whose properties are the fields (top level, or an array's items)."""
    if not isinstance(doc, dict):
        return None
    if isinstance(doc.get("items"), dict) and not isinstance(doc.get("properties"), dict):
        doc = _deref(doc["items"], doc)
    props = doc.get("properties")
    if not isinstance(props, dict) or not props:
        return None
    if not any(isinstance(p, dict) and _schema_like(p) for p in props.values()):
        return None
    return doc


def _schema_like(prop: dict) -> bool:
    """A property schema: it has a type, text, codes, bounds or a reference."""
    keys = {"type", "description", "title", "enum", "const", "oneOf", "anyOf", "$ref",
            "format", "minimum", "maximum", "items", "properties"}
    return bool(keys & prop.keys())


def _deref(prop: dict, doc: dict) -> dict:
    """`{"$ref": "#/$defs/sex"}` replaced by the definition (its own keys kept over it)."""
    for _ in range(_MAX_REF_STEPS):
        ref = prop.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return prop
        target: Any = doc
        for part in ref[2:].split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~")) if isinstance(
                target, dict) else None
        if not isinstance(target, dict):
            return prop
        prop = {**target, **{k: v for k, v in prop.items() if k != "$ref"}}
    return prop


def _field(name: str, prop: dict, doc: dict, required: bool) -> Field:
    """One property as a field."""
    f = Field(name=name, title=plain(_str(prop.get("title"))),
              description=plain(_str(prop.get("description"))))
    kinds = prop.get("type")
    kinds = [k for k in kinds if k != "null"] if isinstance(kinds, list) else [kinds]
    f.type = _TYPES.get(kinds[0], "any") if len(kinds) == 1 else "any"
    if f.type == "string" and prop.get("format") in _FORMATS:
        f.type = _FORMATS[prop["format"]]
    elif isinstance(prop.get("format"), str):
        f.format = prop["format"]
    if isinstance(prop.get("type"), (str, list)):
        f.extras["sourceType"] = "/".join(str(k) for k in (prop["type"] if isinstance(
            prop["type"], list) else [prop["type"]]))
    _codes(f, prop, doc)
    for key in _BOUNDS:
        value = prop.get(key)
        if key == "pattern" and isinstance(value, str):
            f.constraints[key] = value
        elif number(str(value)) is not None and not isinstance(value, bool):
            f.constraints[key] = number(str(value))
    if required:
        f.constraints["required"] = True
    _unit(f, prop)
    return f


def _codes(f: Field, prop: dict, doc: dict) -> None:
    """Codes from `enum`, or from `oneOf`/`anyOf` entries with a `const` and a title."""
    cats: list[Category] = []
    if isinstance(prop.get("enum"), list):
        cats = [Category(code_text(_value(v))) for v in prop["enum"] if v is not None]
    for key in ("oneOf", "anyOf"):
        options = prop.get(key)
        if not cats and isinstance(options, list):
            entries = [_deref(o, doc) for o in options if isinstance(o, dict)]
            consts = [o for o in entries if "const" in o or isinstance(o.get("enum"), list)
                      and len(o["enum"]) == 1]
            if consts and len(consts) == len(entries):
                cats = [Category(code_text(_value(o["const"] if "const" in o else o["enum"][0])),
                                 plain(_str(o.get("title") or o.get("description"))))
                        for o in consts if (o.get("const", 0) is not None)]
    if cats:
        f.categories = cats
        if f.type == "any":
            f.type = coded_type(cats, [], "string")


def _unit(f: Field, prop: dict) -> None:
    """A non-standard unit key (`unit`, `units`, `x-unit`)."""
    for key, value in prop.items():
        if isinstance(value, str) and roles(key).get("unit", 0) >= 85:
            f.unit = value
            return


def _value(v: Any) -> str:
    """A JSON value as the data writes it (`true`, `1`, `a`)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _str(v: Any) -> str | None:
    """A string value, else None."""
    return v if isinstance(v, str) else None
