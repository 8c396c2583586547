"""JSON and YAML codebooks in no standard schema: a list (or a map) of objects, one a field.

`[{"variable": "age", "label": "Age", "type": "int"}, ...]`, `{"variables": {"sex": {"label":
"Sex", "values": {"1": "Male", "2": "Female"}}}}`, `[{"name": .., "categories": [{"code": 1,
"label": ..}]}]`: the records are the most numerous objects holding a name key (decided by
the values, `records.py`); a map's keys are names too.  Inside a record, a map of codes to
labels, a list of code objects, or a list of values under a code-list word is its code list;
a missing-values word makes them missing values.  A string where a code list goes may name
one defined elsewhere, and a missing-values list beside the records applies to every field
(`json_refs.py`).  Objects that only hold data (no label, description, type or code list)
are not a dictionary.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from ...model import Category, Field
from .. import NotThisFormat, ParseContext
from ._common import code_text, load_json, load_yaml, plain, roles
from .json_refs import Named, ancestors, named_lists, resolve
from .records import (MIN_RECORDS, Coded, Props, assign_roles, codes_from_rows,
                      defines_fields, name_key, record_field, says_missing)

KEY = "#key"                             # the key a record has in a map of records
_MAX_DEPTH = 6
_CODE_WORDS = ("values", "code", "missing")
_FHIR = re.compile(r"""["']?resourceType["']?\s*:""")
_LANG = re.compile(r"[a-z]{2}(?:[-_][A-Za-z]{2})?")


def sniff_json(ctx: ParseContext) -> bool:
    """Any JSON or YAML document but a FHIR resource (the FHIR parser's, or no codebook); the
    parser decides from the shape."""
    return _FHIR.search(ctx.head[:4096]) is None


def parse_json(ctx: ParseContext) -> Iterator[Field]:
    """One field per record of the most numerous group of records with names."""
    doc = load_json(ctx.text, ctx.filename) if ctx.ext == ".json" else load_yaml(
        ctx.text, ctx.filename)
    found = _records(doc)
    if found is None:
        raise NotThisFormat("no list of named objects")
    records, key, path = found
    refers = any(isinstance(v, str) and _code_word(str(k)) for r in records for k, v in r.items())
    named = named_lists(doc, _is_code_list) if refers else {}
    read = [(_props(r), list(_code_lists(r, named, doc))) for r in records]
    key_roles = assign_roles([p for p, _ in read], key)
    if not defines_fields(read, key_roles):
        raise NotThisFormat("objects without labels, types or codes: data, not a dictionary")
    _document_missing(ctx, ancestors(doc, path), {p.get(key) for p, _ in read})
    for props, lists in read:
        if props.get(key):
            yield record_field(props[key], props, key_roles, lists)


def _records(doc: Any) -> tuple[list[dict], str, tuple] | None:
    """(records, name key, path): the most numerous group with a name key, unless it is a code
    list inside the records of another group."""
    groups: list[tuple[tuple, list[dict], str]] = []
    for path, items in _groups(doc, (), 0):
        key = name_key([_props(d) for d in items])
        if key is not None:
            groups.append((path, items, key))
    if not groups:
        return None
    groups.sort(key=lambda g: -len(g[1]))
    path, items, key = groups[0]
    if _code_like(path, key):
        outer = [g for g in groups if len(g[0]) < len(path) and path[:len(g[0])] == g[0]]
        if outer:
            path, items, key = max(outer, key=lambda g: len(g[1]))
    return items, key, path


def _groups(node: Any, path: tuple, depth: int) -> Iterator[tuple[tuple, list[dict]]]:
    """(path, objects) of every list of objects and map of objects in the document."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, list):
        items = [v for v in node if isinstance(v, dict)]
        if len(items) >= MIN_RECORDS and len(items) * 2 >= len(node):
            yield path, items
        children = enumerate(node)
    elif isinstance(node, dict):
        objects = {k: v for k, v in node.items() if isinstance(v, dict)}
        if len(objects) >= MIN_RECORDS and len(objects) * 2 >= len(node):
            yield path + ("{}",), [{KEY: str(k), **v} for k, v in objects.items()]
        children = node.items()
    else:
        return
    for k, v in children:
        if isinstance(v, (list, dict)):
            yield from _groups(v, path + (str(k),), depth + 1)


def _code_like(path: tuple, key: str) -> bool:
    """A group that reads as codes: a code word on the key naming it or on its name key."""
    words = {**roles(path[-2] if path and path[-1] == "{}" and len(path) > 1 else
                     (path[-1] if path else "")), **roles(key)}
    return any(r in words for r in (*_CODE_WORDS, "code_label"))


# ---- one record ----------------------------------------------------------------------------------
def _props(d: dict) -> Props:
    """Scalar values as text; a map of languages as its English text; the scalars of a nested
    map that is no code list (`constraints: {minimum: 0}`) as the record's own."""
    out: Props = {}
    nested: list[dict] = []
    for k, v in d.items():
        text = _text(v)
        if text is not None:
            out[str(k)] = text
        elif isinstance(v, dict) and not _code_map(str(k), v):
            nested.append(v)
    for sub in nested:
        for k, v in sub.items():
            text = _text(v)
            if text is not None:
                out.setdefault(str(k), text)
    return out


def _text(v: Any) -> str | None:
    """A scalar as the text a codebook writes; `{"en": .., "fr": ..}` as its English text."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return code_text(str(v))
    if isinstance(v, str):
        return plain(v)
    if isinstance(v, dict) and v and all(isinstance(k, str) and _LANG.fullmatch(k) and
                                         isinstance(t, str) for k, t in v.items()):
        langs = sorted(v, key=lambda k: not k.lower().startswith("en"))
        return plain(v[langs[0]])
    return None


def _code_map(key: str, v: dict) -> bool:
    """`{"1": "Male", "2": "Female"}`: under a code-list word, or short codes with worded
    labels (a map of languages is one text, not codes)."""
    if not v or not all(isinstance(t, (str, int, float)) for t in v.values()):
        return False
    if _code_word(key):
        return True
    if all(_LANG.fullmatch(str(c)) for c in v):
        return False
    return all(len(str(c)) <= 16 for c in v) and all(
        isinstance(t, str) and any(ch.isalpha() for ch in t) for t in v.values())


def _code_word(key: str) -> bool:
    """A key that names a code list (`values`, `categories`, `levels`, `enum`, `missing`)."""
    return key.lower() == "enum" or any(r in roles(key) for r in _CODE_WORDS)


def _code_lists(d: dict, named: Named | None = None, doc: Any = None
                ) -> Iterator[tuple[Coded, bool]]:
    """(codes, all missing) of each code list a record holds; a string under a code-list word
    that names a code list of the document stands for it."""
    for k, v in d.items():
        k = str(k)
        missing = says_missing(k)
        if isinstance(v, str) and named is not None and _code_word(k):
            v = resolve(v, named, doc, _is_code_list)
        if isinstance(v, dict) and _code_map(k, v):
            yield [(Category(code_text(str(c)), plain(str(t))), False)
                   for c, t in v.items()], missing
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            codes = codes_from_rows([_props(x) for x in v], k, "")
            if codes:
                yield codes, missing
        elif isinstance(v, list) and v and all(_text(x) is not None for x in v) and _code_word(k):
            yield [(Category(_text(x) or ""), False) for x in v], missing


def _is_code_list(key: str, v: Any) -> bool:
    """A value that reads as a code list when a field refers to it by name."""
    return bool(isinstance(v, (dict, list)) and next(_code_lists({key: v}), None))


def _document_missing(ctx: ParseContext, holders: list[dict], names: set) -> None:
    """A missing-values list beside the records, or above them, applies to every field: the
    schema's missing values (a list that names fields is theirs, not the document's)."""
    found: list[str] = []
    for holder in holders:
        for k, v in holder.items():
            if not says_missing(str(k)):
                continue
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                v = [v]
            if _mentions(v, names):
                continue
            if isinstance(v, (list, dict)):
                found += [c.value for codes, _ in _code_lists({"missing": v})
                          for c, _ in codes]
    if found:
        ctx.declare_missing(found)


def _mentions(v: Any, names: set) -> bool:
    """Whether a declaration names fields: as keys, or as values of its entries."""
    if isinstance(v, dict):
        return not names.isdisjoint(str(k) for k in v)
    if isinstance(v, list):
        return any(isinstance(x, dict) and not names.isdisjoint(str(t) for t in x.values())
                   for x in v)
    return False
