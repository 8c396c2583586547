"""CSV on the Web (CSVW) metadata: `tableSchema.columns` of one table or of a table group.

A column has a `name` (else its first title), `titles` (text, list or language map), a
description in `dc:description`/`rdfs:comment` (any key whose words say so), a `datatype`
(an XSD name or `{"base": ..., "minimum": ...}`), `null` (the missing values) and `required`.
Virtual columns are not in the data and are skipped.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from ...model import Category, Field
from .. import NotThisFormat, ParseContext
from ._common import code_text, load_json, number, plain, roles

_XSD = {"integer": "integer", "int": "integer", "long": "integer", "short": "integer",
        "byte": "integer", "nonnegativeinteger": "integer", "positiveinteger": "integer",
        "nonpositiveinteger": "integer", "negativeinteger": "integer",
        "unsignedint": "integer", "unsignedlong": "integer", "unsignedshort": "integer",
        "unsignedbyte": "integer", "decimal": "number", "double": "number", "float": "number",
        "number": "number", "boolean": "boolean", "date": "date", "datetime": "datetime",
        "datetimestamp": "datetime", "time": "time", "gyear": "year",
        "gyearmonth": "yearmonth", "duration": "duration", "json": "object",
        "string": "string", "normalizedstring": "string", "token": "string",
        "anyuri": "string", "any": "any", "anyatomictype": "any"}
_BOUNDS = {"minimum": "minimum", "maximum": "maximum", "minInclusive": "minimum",
           "maxInclusive": "maximum", "minExclusive": "exclusiveMinimum",
           "maxExclusive": "exclusiveMaximum", "minLength": "minLength",
           "maxLength": "maxLength", "length": "maxLength"}
_SNIFF = re.compile(r"""["'](?:tableSchema|tables)["']\s*:|w3\.org/ns/csvw""")


def sniff_csvw(ctx: ParseContext) -> bool:
    """A JSON document naming the CSVW context or a `tableSchema`."""
    return _SNIFF.search(ctx.head) is not None


def parse_csvw(ctx: ParseContext) -> Iterator[Field]:
    """The columns of every table's schema (table name kept when there are several)."""
    doc = load_json(ctx.text, ctx.filename)
    tables = _tables(doc)
    if not tables:
        raise NotThisFormat("no CSVW tableSchema")
    several = len(tables) > 1
    for table in tables:
        schema = table.get("tableSchema")
        if isinstance(schema, str):
            ctx.warn(f"The schema of table '{table.get('url')}' is in another file ({schema}); "
                     "upload that file too.")
            continue
        for i, col in enumerate(schema.get("columns") or []):
            if isinstance(col, dict) and not col.get("virtual"):
                f = _column(col, i)
                if several and table.get("url"):
                    f.extras["resource"] = str(table["url"])
                yield f


def _tables(doc: Any) -> list[dict]:
    """The table descriptions of a table or a table group that carry a schema."""
    if not isinstance(doc, dict):
        return []
    tables = doc.get("tables") if isinstance(doc.get("tables"), list) else [doc]
    return [t for t in tables if isinstance(t, dict) and isinstance(
        t.get("tableSchema"), (dict, str)) and (isinstance(t["tableSchema"], str) or isinstance(
            t["tableSchema"].get("columns"), list))]


def _column(col: dict, i: int) -> Field:
    """One column description as a field."""
    titles = _texts(col.get("titles") or col.get("title"))
    name = _text(col.get("name")) or (titles[0] if titles else f"column{i + 1}")
    f = Field(name=name, title=titles[0] if titles and titles[0] != name else None)
    for key, value in col.items():
        words = roles(key) if key not in ("name", "titles", "title") else {}
        if words.get("description", 0) >= 80 or words.get("notes", 0) >= 70:
            f.description = plain(_text(value))
            break
    _datatype(f, col.get("datatype"))
    nulls = col.get("null")
    for v in (nulls if isinstance(nulls, list) else [nulls] if isinstance(nulls, str) else []):
        if v != "":
            f.missing_values.append(Category(code_text(str(v))))
    if col.get("required") is True:
        f.constraints["required"] = True
    return f


def _datatype(f: Field, dt: Any) -> None:
    """Type, format and bounds of a CSVW datatype (a name or an object with a base)."""
    spec = dt if isinstance(dt, dict) else {"base": dt} if isinstance(dt, str) else {}
    base = str(spec.get("base") or spec.get("@id") or "string")
    f.extras["sourceType"] = base
    f.type = _XSD.get(base.rsplit("#", 1)[-1].rsplit(":", 1)[-1].lower(), "any")
    if isinstance(spec.get("format"), str):
        f.format = spec["format"]
    for key, target in _BOUNDS.items():
        value = number(str(spec.get(key))) if spec.get(key) is not None else None
        if value is not None:
            f.constraints[target] = value


def _texts(value: Any) -> list[str]:
    """Texts of a natural-language property: a string, a list, or a language map (English
    first)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    if isinstance(value, dict):
        if "@value" in value:
            return _texts(value["@value"])
        langs = sorted(value, key=lambda k: not str(k).lower().startswith("en"))
        return [t for k in langs for t in _texts(value[k])]
    return []


def _text(value: Any) -> str | None:
    """The first (English) text of a natural-language property."""
    found = _texts(value)
    return found[0] if found else None
