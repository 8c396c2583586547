"""Frictionless Table Schema and Data Package descriptors, as JSON or YAML."""

from __future__ import annotations

from typing import Any, Iterator

from ...errors import InputError
from ...model import FIELD_TYPES, Field
from .. import NotThisFormat, ParseContext
from ..codes import map_type
from ._common import load_json, load_yaml
from .tableschema_side import fill_from_extras, merge_side_lists

# schema-level properties kept on the result (everything but the fields themselves)
_SKIPPED_SCHEMA_KEYS = {"fields", "missingValues", "$schema", "profile"}
# Table Schema v1 type names that v2 spells differently or dropped
_V1_TYPES = {"datetime": "datetime", "date-time": "datetime", "gyear": "year",
             "gyearmonth": "yearmonth", "decimal": "number", "float": "number", "int": "integer",
             "bool": "boolean", "str": "string", "text": "string"}


def sniff_tableschema(ctx: ParseContext) -> bool:
    """A JSON object, or any YAML (both checked fully by the parser)."""
    if ctx.ext == ".json":
        return ctx.head.lstrip().startswith("{")
    return True


def parse_tableschema(ctx: ParseContext) -> Iterator[Field]:
    """Fields of a Table Schema, a Data Resource or a Data Package (all its resources)."""
    doc = _load(ctx)
    if not isinstance(doc, dict):
        raise NotThisFormat
    resources = _resources(doc)
    if resources is None:
        raise NotThisFormat
    several = sum(1 for _, s, _ in resources if isinstance(s, dict)) > 1
    linked = [(name, s) for name, s, _ in resources if isinstance(s, str)]
    for name, schema in linked:
        ctx.warn(f"The schema of resource '{name}' is stored in another file ({schema}); it "
                 "cannot be followed from here. Upload that schema file too.")
    found = 0
    units: dict[str, tuple[str, str | None]] = {}
    for name, schema, resource in resources:
        if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
            continue
        _schema_level(ctx, schema, name, several)
        fields = [_field(d, i, ctx) for i, d in enumerate(schema["fields"])]
        merge_side_lists(fields, resource, doc if resource is not doc else None)
        for f in fields:
            if several:
                f.extras["resource"] = name
                _note_unit(ctx, units, f, name)
            found += 1
            yield f
    if not found and linked:
        raise InputError(
            f"{ctx.filename} is a Data Package whose schema is in a separate file "
            f"({linked[0][1]}). Upload that schema file (JSON or YAML) instead.")
    if not found and any(isinstance(s, dict) and s.get("fields") == [] for _, s, _ in resources):
        raise InputError(f"{ctx.filename} is a Table Schema without fields: add at least one.")


def _load(ctx: ParseContext) -> Any:
    """The descriptor as Python data (JSON by extension, YAML otherwise)."""
    if ctx.ext == ".json":
        return load_json(ctx.text, ctx.filename)
    return load_yaml(ctx.text, ctx.filename)


def _resources(doc: dict) -> list[tuple[str | None, Any, dict]] | None:
    """(resource name, schema, resource) triples, or None when this is no Frictionless
    descriptor."""
    if isinstance(doc.get("fields"), list):
        return [(doc.get("name"), doc, doc)]
    if "schema" in doc and isinstance(doc["schema"], (dict, str)):
        return [(doc.get("name"), doc["schema"], doc)]
    resources = doc.get("resources")
    if isinstance(resources, list):
        out = [(r.get("name") or f"resource {i + 1}", r.get("schema"), r)
               for i, r in enumerate(resources) if isinstance(r, dict) and "schema" in r]
        return out or None
    return None


def _note_unit(ctx: ParseContext, units: dict, f: Field, resource: str | None) -> None:
    """Warn when a name shared by resources has different units (one schema keeps one)."""
    if not f.unit:
        return
    seen = units.setdefault(f.name, (f.unit, resource))
    if seen[0] != f.unit:
        ctx.warn(f"'{f.name}' is in {seen[0]} in resource '{seen[1]}' but in {f.unit} in "
                 f"resource '{resource}'; the combined schema keeps {seen[0]}.")


def _schema_level(ctx: ParseContext, schema: dict, name: str | None, several: bool) -> None:
    """Schema-wide missing values and keys go to the context."""
    mv = schema.get("missingValues")
    if isinstance(mv, list):
        values = [str(m.get("value")) if isinstance(m, dict) else str(m) for m in mv]
        merged = list(ctx.missing_values or [])
        ctx.missing_values = merged + [v for v in values if v not in merged]
    extras = {k: v for k, v in schema.items() if k not in _SKIPPED_SCHEMA_KEYS}
    if not several:
        ctx.schema_extras.update(extras)
    elif any(k in extras for k in ("primaryKey", "foreignKeys", "uniqueKeys")):
        ctx.warn(f"Keys of resource '{name}' (primaryKey/foreignKeys) are not kept: the fields "
                 "of several resources were combined into one schema.")


def _field(d: Any, i: int, ctx: ParseContext) -> Field:
    """One field descriptor; unknown type names are mapped and the original kept."""
    if not isinstance(d, dict) or not d.get("name"):
        raise InputError(
            f"{ctx.filename}: field {i + 1} of the schema has no 'name'. Every entry of "
            "'fields' must be an object with at least a name.")
    f = Field.from_descriptor(d)
    fill_from_extras(f)
    if f.type not in FIELD_TYPES:
        source = f.type
        f.type = _V1_TYPES.get(source.lower()) or map_type(source) or "any"
        f.extras["sourceType"] = source
        ctx.warn(f"Field '{f.name}' has the type '{source}', which Table Schema does not "
                 f"define; it was read as '{f.type}'.")
    return f
