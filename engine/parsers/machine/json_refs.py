"""What a JSON or YAML codebook defines once for all its fields: named code lists that fields
refer to by name, and the document's missing values.

`categories: likert` in a field, with `likert: [{value: 1, label: Agree}, ...]` elsewhere in
the document (at the top, beside the fields, or in a map of such lists), is a reference: the
string names a code list.  A JSON pointer (`"#/definitions/likert"`) is one too.  A
missing-values list beside the fields, or above them, applies to every field.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

Named = dict[str, Any]
_MAX_DEPTH = 3
_AMBIGUOUS = object()


def named_lists(doc: Any, is_list: Callable[[str, Any], bool]) -> Named:
    """name -> value of every key (within a few levels of the top) that holds a code list;
    a name given to two different lists names none."""
    out: Named = {}
    for key, value in _keyed(doc, 0):
        if not is_list(key, value):
            continue
        seen = out.get(key)
        out[key] = value if seen is None or seen == value else _AMBIGUOUS
    return {k: v for k, v in out.items() if v is not _AMBIGUOUS}


def _keyed(node: Any, depth: int) -> Iterator[tuple[str, Any]]:
    """(key, value) of the maps in the document down to a bounded depth."""
    if depth > _MAX_DEPTH or not isinstance(node, dict):
        return
    for k, v in node.items():
        yield str(k), v
        yield from _keyed(v, depth + 1)


def resolve(text: str, named: Named, doc: Any, is_list: Callable[[str, Any], bool]
            ) -> Any | None:
    """The code list a string refers to: a name of the document's, or a JSON pointer to one."""
    ref = text.strip()
    if ref.startswith("#/"):
        node = _pointed(doc, ref[2:].split("/"))
        return node if node is not None and is_list(ref.rsplit("/", 1)[-1], node) else None
    return named.get(ref)


def _pointed(doc: Any, parts: list[str]) -> Any | None:
    """The node a JSON pointer's parts lead to, or None."""
    node = doc
    for part in parts:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def ancestors(doc: Any, path: tuple) -> list[dict]:
    """The maps that hold, at any level, the group of records at `path` (the document first),
    without the group's own map."""
    out: list[dict] = []
    node = doc
    for part in path:
        if part == "{}":
            break
        if isinstance(node, dict):
            out.append(node)
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            break
    return out
