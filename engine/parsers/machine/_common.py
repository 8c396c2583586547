"""Shared by the machine-format parsers: safe JSON/YAML/XML loading, XML by local name, codes."""

from __future__ import annotations

import html
import json
import math
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from typing import Any, Iterator

import yaml

from ...errors import InputError
from ...limits import current, exceeded
from ...model import Category
from ...scans import check_json, check_xml_prolog
from ..codes import infer_type_from_codes, split_missing

# ---- JSON / YAML -------------------------------------------------------------------------


def load_json(text: str, filename: str) -> Any:
    """Parsed JSON (nesting bounded first), or an InputError that says where the syntax breaks."""
    check_json([text.encode("utf-8", errors="surrogatepass")], filename)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{filename} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}. "
            "Look for a missing comma, quote or bracket just before that spot, or export the "
            "file again.") from None
    except RecursionError:
        raise _too_deep(filename) from None


def _too_deep(filename: str) -> InputError:
    """The error for JSON/YAML nested beyond the bound (or beyond Python's recursion limit)."""
    return exceeded(filename, "it is nested too deeply", "max_nesting",
                    "Check that this is the schema file and not data or a generated dump.")


class _YamlLoader(yaml.SafeLoader):
    """Safe YAML with 1.2 scalars: `yes`/`no`/`NA` and `01` stay strings, dates stay text."""


_DROPPED_TAGS = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                 "tag:yaml.org,2002:timestamp"}
_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
# codes written with leading zeros (`01`) are labels, not numbers: only plain decimals are ints
_YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]*(?:[eE][-+]?[0-9]+)?|\.[0-9]+)$"),
    list("-+0123456789."))


def load_yaml(text: str, filename: str) -> Any:
    """Parsed YAML (safe loader), or an InputError that says where the syntax breaks.

    The node graph is composed first, and its size with every alias expanded (`*a` counts as
    all the nodes under `&a`) and its depth are checked before any object is built: nine
    levels of nine aliases are 376 bytes and 387 million values.
    """
    loader = _YamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(node, filename)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "syntax error"
        raise InputError(
            f"{filename} is not valid YAML: {problem}{where}. Check the indentation and quoting "
            "around that line, or export the file again.") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{filename} is not valid YAML ({exc}). Export the file again.") from None
    except RecursionError:
        raise _too_deep(filename) from None
    finally:
        loader.dispose()


def _check_nodes(root: yaml.Node, filename: str) -> None:
    """Refuse a YAML graph whose expanded size or depth passes the bounds (no recursion:
    each node is sized once, after its children; an alias is the same node object)."""
    bound, deepest = current().max_yaml_nodes, current().max_nesting
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in size:
            continue
        kids = _yaml_children(node)
        if not children_done:
            stack.append((node, True))
            stack.extend((k, False) for k in kids if id(k) not in size)
            continue
        size[key] = 1 + sum(size[id(k)] for k in kids)
        depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
        if size[key] > bound:
            raise exceeded(filename, "its aliases (*name) expand to too many values",
                           "max_yaml_nodes", "This looks built to exhaust memory (a YAML "
                           "alias bomb); a schema does not repeat itself like this.")
        if depth[key] > deepest:
            raise _too_deep(filename)


def _yaml_children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


# ---- XML ------------------------------------------------------------------------------------
_ROOT = re.compile(r"<(?![?!])([\w.\-]+:)?([\w.\-]+)")


def root_name(head: str) -> str | None:
    """Local name of the first element in an XML text (cheap, for sniffing)."""
    text = re.sub(r"<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>", "", head, flags=re.S)
    m = _ROOT.search(text)
    return m.group(2) if m else None


def load_xml(data: bytes, filename: str) -> ET.Element:
    """The parsed XML root; DTD subsets (entity declarations) are refused (no expansion bombs)."""
    check_xml_prolog([data], filename)
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        line, col = exc.position
        reason = str(exc).split(":")[0]
        raise InputError(
            f"{filename} is not well-formed XML: {reason} at line {line}, column {col + 1}. "
            "The file may be cut short or edited by hand; check the tags around that spot or "
            "export it again.") from None


def local(tag: Any) -> str:
    """`{ns}name` -> `name` (namespaces differ between versions; local names do not)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def kids(el: ET.Element, *names: str) -> Iterator[ET.Element]:
    """Direct children with one of these local names."""
    return (c for c in el if local(c.tag) in names)


def kid(el: ET.Element | None, *names: str) -> ET.Element | None:
    """The first direct child with one of these local names."""
    return None if el is None else next(kids(el, *names), None)


def descendants(el: ET.Element, name: str) -> Iterator[ET.Element]:
    """All elements below `el` (document order) with this local name."""
    return (e for e in el.iter() if local(e.tag) == name)


def attr(el: ET.Element, name: str) -> str | None:
    """An attribute by local name, whatever its namespace (`redcap:FieldType`)."""
    for k, v in el.attrib.items():
        if local(k) == name:
            return v
    return None


def text_of(el: ET.Element | None) -> str | None:
    """All text inside an element, whitespace collapsed; None when empty."""
    if el is None:
        return None
    return clean("".join(el.itertext()))


# a missing-value range wider than this is kept as a range, not spelled out code by code
_MAX_SPELLED_RANGE = 20

# ---- text and codes ----------------------------------------------------------------------


def clean(text: str | None) -> str | None:
    """Whitespace collapsed and stripped; None for empty text."""
    if text is None:
        return None
    text = re.sub(r"\s+", " ", str(text)).strip()
    return text or None


_MARKUP = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")


def plain(text: str | None) -> str | None:
    """Text with HTML tags (escaped or not) and entities removed, blanks collapsed."""
    if not text:
        return None
    if "&" not in text and "<" not in text and "\xa0" not in text:
        return clean(text)
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _MARKUP.sub(" ", text)
    return clean(text.replace("\xa0", " "))


@lru_cache(maxsize=4096)
def roles(key: str) -> dict[str, float]:
    """role -> score of a key's words as a table header (`bcodmo:units` -> unit: a prefix is
    a namespace), in the languages of the table reader's synonyms; `#text` (an element's
    text) reads as `text`.  Shared: never change the dict returned."""
    from ..tabular.columns import candidates  # the table reader imports this package's peers

    return dict(candidates("text" if key == "#text" else key.rsplit(":", 1)[-1]))


_CODE_PREFIX = re.compile(r"\(\s*([^()\s]{1,12})\s*\)\s*|([^()\s]{1,12}?)\s*(?:\)\s*|[.:=]\s+)")


def without_code(code: str, label: str | None) -> str | None:
    """A value label without the code it repeats in front: `(9) Don't know` -> `Don't know`
    for code 9 (also `(09) x`, `9) x`, `9. x`, `9: x`, `9 = x`); `1.5 hours` stays."""
    if not label or not code:
        return label
    m = _CODE_PREFIX.match(label)
    if not m:
        return label
    written = m.group(1) or m.group(2)
    same = written == code or number(written) is not None and number(written) == number(code)
    rest = label[m.end():].strip()
    return rest if same and rest else label


# labels cut at one length, shared by this many or more, were cut by a tool
_MIN_CUT = 3
_UNCLOSED = re.compile(r"\s*\([^()]*$")
_LAST_CODE = re.compile(r"[\s,;]+[-\w.]+\s*=\s*\S*$")


def cut_labels(labels: list[str | None]) -> list[str | None]:
    """Labels a tool cut at a fixed length (the longest length, shared by several) lose the
    unfinished code at their end: `Sex (1=M, 2=F) (8=Ju` -> `Sex (1=M, 2=F)`, so that the
    half code is never read as a category."""
    lengths = [len(lab) for lab in labels if lab]
    if not lengths:
        return labels
    longest = max(lengths)
    if longest < 20 or lengths.count(longest) < _MIN_CUT:
        return labels
    return [_drop_cut_code(lab) if lab and len(lab) == longest else lab for lab in labels]


def _drop_cut_code(label: str) -> str:
    """A last `code=text` pair, else an unclosed parenthesis, removed from a cut label."""
    for pattern in (_LAST_CODE, _UNCLOSED):
        m = pattern.search(label)
        if m and "=" in label[m.start():] and label[:m.start()].strip():
            return label[:m.start()].rstrip()
    return label


def code_text(value: str) -> str:
    """A numeric code as the data writes it: `1.0` -> `1`; other codes unchanged."""
    v = value.strip()
    if re.fullmatch(r"[-+]?\d+\.0*", v):
        return str(int(float(v)))
    return v


def move_missing(categories: list[Category], missing: list[Category]
                 ) -> tuple[list[Category], list[Category]]:
    """Codes declared missing and codes whose label says missing leave the code list."""
    declared = {m.value for m in missing}
    labels = {c.value: c.label for c in categories}
    out_missing = [Category(m.value, m.label or labels.get(m.value)) for m in missing]
    valid, by_label = missing_by_label([c for c in categories if c.value not in declared])
    return valid, out_missing + [c for c in by_label if c.value not in declared]


def missing_by_label(categories: list[Category], prefixed_only: bool = False
                     ) -> tuple[list[Category], list[Category]]:
    """(valid, missing) codes by their labels, read without the code they repeat in front
    (`(9) Don't know`); labels are kept as written.  `prefixed_only`: only such labels."""
    probes = [Category(c.value, without_code(c.value, c.label)) for c in categories]
    if prefixed_only:
        probes = [p for p, c in zip(probes, categories) if p.label != c.label]
    _, missing = split_missing(probes)
    said = {c.value for c in missing}
    return ([c for c in categories if c.value not in said],
            [c for c in categories if c.value in said])


def spell_range(lo: str | None, hi: str | None) -> list[str] | None:
    """`98`..`99` as ["98", "99"] when both ends are whole and the span is short, else None."""
    try:
        a, b = int(code_text(lo or "")), int(code_text(hi or ""))
    except ValueError:
        return None
    if a > b or b - a >= _MAX_SPELLED_RANGE:
        return None
    return [str(v) for v in range(a, b + 1)]


def width_top(hi: str | None, position: dict | None, whole: bool) -> str | None:
    """The top of an open-ended range (`98 THRU HI`, `x >= 98`) a whole-number field of fixed
    width closes: 99 for two columns; `hi` itself when given or when the width is unknown."""
    if hi is not None or not whole or not position:
        return hi
    start, end = position.get("start"), position.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 < end - start + 1 <= 9:
        return hi
    return str(10 ** (end - start + 1) - 1)


def bounds(lo: str | None, hi: str | None) -> dict:
    """{"minimum": .., "maximum": ..} with an open end left out."""
    out = {}
    for key, v in (("minimum", lo), ("maximum", hi)):
        x = number(v)
        if x is not None:
            out[key] = x
    return out


def number(v: str | None) -> int | float | None:
    """A numeric text as int or float (whole numbers as int), else None."""
    try:
        x = float(v or "")
    except ValueError:
        return None
    if not math.isfinite(x):
        return None
    return int(x) if x.is_integer() else x


def coded_type(categories: list[Category], missing: list[Category], default: str) -> str:
    """`integer` when every code (missing ones included) is whole, else `default`."""
    codes = categories + missing
    if codes and infer_type_from_codes(codes) == "integer":
        return "integer"
    return default
