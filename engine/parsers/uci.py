"""UCI Machine Learning Repository `.names` files.

Two kinds of file share the extension:

* C4.5 declarations (uci-adult/adult.names): `|` starts a comment; every declaration ends
  with a period; the first one lists the class labels (`>50K, <=50K.`) without a name, then
  one line per attribute, `age: continuous.` or `workclass: Private, Self-emp-inc, ... .`.
  The class has no name in the file, so it becomes a field called `class` (with a warning).
  It is put LAST although it is declared first: C4.5 data files (adult.data) write the class
  value as the last value of every case, so the schema's field order is the data's column
  order.  A first declaration that names one of the attributes (C5.0 style, `income.`)
  marks that attribute as the class and adds no field.
* documentation in prose (uci-heart-disease/heart-disease.names): a numbered attribute list
  (`3 age: age in years`, `9 cp: chest pain type` + `-- Value 1: typical angina`) or
  `Attribute 1: (qualitative)` blocks, read by `text.numbered`.  When the file has a
  `-- Only 14 used` list (`#3 (age)`), those 14 attributes come FIRST, in that order, with
  `extras["used"] = True`, because the processed data files (processed.cleveland.data) hold
  exactly those columns in that order; the other documented attributes follow, each field
  keeping its documented number in `extras["attributeNumber"]`.

Anything else raises NotThisFormat, and the generic free-text parser gets the file.
Missing values: `?` is how UCI data files mark unknown values (adult.data, the heart-disease
data), so the schema's missing values are `""` and `?`, plus any value the file documents
(`Distinguished with value -9.0`).
"""

from __future__ import annotations

import re
from typing import Iterator

from ..model import Category, Field
from . import NotThisFormat, ParseContext, ParserSpec
from .codes import infer_type_from_codes, map_type
from .text.numbered import documented_missing, parse_attribute_blocks, parse_numbered_list

_DECLARATION_END = re.compile(r"(?<!\\)\.\s*$")
_ATTRIBUTE = re.compile(r"^([^:|]{1,100}?)\s*:\s*(.+)$", re.S)
_KEYWORDS = {"continuous", "ignore", "label", "date", "time", "timestamp"}


def parse_uci_names(ctx: ParseContext) -> Iterator[Field]:
    """Fields of a UCI `.names` file (C4.5 declarations or a numbered attribute list)."""
    lines = ctx.text.splitlines()
    fields = parse_c45(lines, ctx.warn)
    if not fields:
        fields = parse_numbered_list(lines, ctx.warn) or parse_attribute_blocks(lines, ctx.warn)
    if not fields:
        raise NotThisFormat("no C4.5 declarations or numbered attribute list")
    ctx.missing_values = list(dict.fromkeys(["", "?", *documented_missing(ctx.text)]))
    yield from fields


def parse_c45(lines: list[str], warn=lambda message: None) -> list[Field]:
    """Fields of C4.5 declarations, the class last; [] when the file is not in that form."""
    declarations = _declarations(lines)
    if len(declarations) < 3:
        return []
    classes, *attributes = declarations
    fields = [_attribute(d) for d in attributes]
    if any(f is None for f in fields) or ":" in classes:
        return []
    out: list[Field] = [f for f in fields if f is not None]
    target = next((f for f in out if f.name == classes.strip()), None)
    if target is not None:  # C5.0: the first line names the class attribute
        target.extras["role"] = "class"
        return [f for f in out if f is not target] + [target]
    name = "class" if all(f.name != "class" for f in out) else "class_label"
    values = _values(classes)
    out.append(Field(name=name, description="Class label", type=infer_type_from_codes(values),
                     categories=values, extras={"role": "class"}))
    warn(f"The class labels ({', '.join(c.value for c in values)}) have no name in the file: "
         f"they became a field called '{name}', placed last because C4.5 data files write "
         "the class as the last column.")
    return out


def _declarations(lines: list[str]) -> list[str]:
    """Declarations without comments, each ending at a period at the end of a line."""
    out: list[str] = []
    pending: list[str] = []
    for raw in lines:
        line = re.split(r"(?<!\\)\|", raw, maxsplit=1)[0].strip()
        if not line:
            continue
        pending.append(line)
        if _DECLARATION_END.search(line):
            out.append(_DECLARATION_END.sub("", " ".join(pending)).strip())
            pending = []
    if pending:
        out.append(" ".join(pending).strip())
    return out


def _attribute(declaration: str) -> Field | None:
    """`age: continuous` or `sex: Female, Male` as a field; None when it is not one."""
    m = _ATTRIBUTE.match(declaration)
    if not m or not re.fullmatch(r"[\w\-. /()&]+", m.group(1)):
        return None
    name, spec = m.group(1).strip(), m.group(2).strip()
    word = spec.lower()
    if word in _KEYWORDS or re.fullmatch(r"discrete\s+\d+", word):
        ftype = {"continuous": "number", "ignore": "any", "label": "string"}.get(
            word, map_type(word) or "string")
        return Field(name=name, type=ftype, extras={"sourceType": spec})
    values = _values(spec)
    if len(values) < 2 and "," not in spec:
        return None  # one value and no comma: prose, not a C4.5 value list
    return Field(name=name, type=infer_type_from_codes(values), categories=values)


def _values(spec: str) -> list[Category]:
    """`a, b, c` as categories (a backslash escapes a comma or period inside a value)."""
    parts = re.split(r"(?<!\\),", spec)
    values = [p.strip().replace("\\,", ",").replace("\\.", ".") for p in parts]
    return [Category(v) for v in dict.fromkeys(v for v in values if v)]


PARSERS = [ParserSpec(format="uci-names", extensions=(".names",), parse=parse_uci_names,
                      priority=20)]
