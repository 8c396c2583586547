"""What a parsed schema is shown and kept as: its fields table, its Table Schema descriptor, its
downloads, and a compact form (the Table Schema as compressed JSON) for whoever keeps results
(the app's sessions); and what an LLM changed of the rules' result."""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from ..model import PackedSchema, Schema, share_cells, table_rows

if TYPE_CHECKING:
    from ..llm.merge import MergedSchema

AnySchema = Union[Schema, PackedSchema, "MergedSchema"]


@dataclass
class SchemaOutputs:
    """A parsed schema as it is shown and offered."""

    table: list[list[str]]                     # field_table()
    descriptor: dict | None                    # the Table Schema (None: not made yet)
    downloads: tuple[str | None, str | None]   # Table Schema JSON, fields CSV (None: none)
    compact: bytes                             # compact_schema(descriptor)


@dataclass(frozen=True)
class FieldChanges:
    """What an LLM refinement did to the rules' fields (names compared loosely: case and
    punctuation aside)."""

    added: list[str]             # fields the rules did not find
    changed: list[str]           # fields whose row (title, type, codes, …) is not the rules'
    kept: int                    # fields exactly as the rules had them


def field_table(schema: Schema) -> list[list[str]]:
    """The fields as rows for a table (columns: FIELD_ROW_COLUMNS), equal cells one string
    object (see `share_cells`: pickling from a worker keeps the sharing)."""
    return share_cells(table_rows(schema.fields))


def as_schema(schema: AnySchema) -> Schema:
    """A Schema, from itself or a packed form of it (a PackedSchema, an LLM job's merge)."""
    if isinstance(schema, Schema):
        return schema
    if isinstance(schema, PackedSchema):
        return schema.unpack()
    return schema.schema()


def packed_size(schema: AnySchema) -> int:
    """About how many bytes the schema's fields are (orders the CPU workers' queue)."""
    if isinstance(schema, Schema):
        return len(schema.fields) * 100
    if isinstance(schema, PackedSchema):
        return len(schema.data)
    return sum(map(len, schema.parts))


def compact_schema(descriptor: dict) -> bytes:
    """A Table Schema as compressed JSON, a few KB (a small fraction of its JSON text, let
    alone of the dict), for a result kept in memory for a long time."""
    text = json.dumps(descriptor, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"), 6)


def schema_from_compact(data: bytes) -> Schema:
    """The Schema a compact_schema() holds."""
    return Schema.from_descriptor(json.loads(zlib.decompress(data)))


def descriptor_text(data: bytes) -> bytes:
    """The Table Schema JSON text (UTF-8) a compact_schema() holds."""
    return zlib.decompress(data)


def field_changes(rules: Schema, refined: Schema) -> FieldChanges:
    """What `refined` added to and changed of `rules`."""
    before = {_loose(f.name): f.row() for f in rules.fields}
    added, changed, kept = [], [], 0
    for f in refined.fields:
        row = before.get(_loose(f.name))
        if row is None:
            added.append(f.name)
        elif row != f.row():
            changed.append(f.name)
        else:
            kept += 1
    return FieldChanges(added, changed, kept)


def _loose(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())
