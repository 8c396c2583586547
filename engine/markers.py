"""Missing-value markers a user declares (`NA`, `NULL`, `.`, `-9`), for the whole dictionary or
for some fields: their text form (Schema.with_missing_values writes them into the schema).

The text form, shared by the CLI (`--missing-values`), the API and the app:

    NA,NULL                      NA and NULL are missing in every field
    LotFrontage=NA               NA is missing in LotFrontage only
    NA,NULL; Age=-9,999          groups separated by ';': a group is VALUES (every field)
                                 or FIELD=VALUES (that field); VALUES are separated by ','
    "a,b"; Note="x;y"            double quotes keep ',', ';' and '=' inside a value
    ""                           the empty cell (missing by default already)

Spaces around values are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
from typing import Any, Iterable

from .errors import InputError

SYNTAX = ('markers such as "NA,NULL" (every field), "LotFrontage=NA" (one field), or both: '
          '"NA,NULL; LotFrontage=-9,999"')
_TOKEN = re.compile(r'"((?:[^"]|"")*)"|([^",;=]+)|([,;=])')


@dataclass(frozen=True)
class Markers:
    """Declared missing-value markers: `every` for all fields, `fields` per field name."""

    every: tuple[str, ...] = ()
    fields: dict[str, tuple[str, ...]] = dc_field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.every or self.fields)

    def text(self) -> str:
        """The text form (parse_markers(m.text()) == m)."""
        groups = [",".join(map(_quoted, self.every))] if self.every else []
        groups += [f"{_quoted(name)}={','.join(map(_quoted, values))}"
                   for name, values in self.fields.items()]
        return "; ".join(groups)

    def unknown(self, names: Iterable[str]) -> list[str]:
        """The field names these markers name that are not in `names`."""
        known = set(names)
        return [n for n in self.fields if n not in known]


def parse_markers(value: Any) -> Markers:
    """Markers from their text form, a list of values (every field), a dict
    {field or "*": values}, Markers, or None/"" (none).  InputError on a malformed text."""
    if value is None or isinstance(value, Markers):
        return value or Markers()
    if isinstance(value, str):
        return _parse_text(value)
    if isinstance(value, dict):
        every = tuple(_values(value.get("*", ())))
        fields = {str(k): tuple(_values(v)) for k, v in value.items() if k != "*"}
        return Markers(every, {k: v for k, v in fields.items() if v})
    return Markers(tuple(_values(value)))


def combine(*parts: Any) -> Markers:
    """Several declarations as one (a CLI option given more than once)."""
    every: list[str] = []
    fields: dict[str, list[str]] = {}
    for part in map(parse_markers, parts):
        every += part.every
        for name, values in part.fields.items():
            fields.setdefault(name, []).extend(values)
    return Markers(tuple(dict.fromkeys(every)),
                   {k: tuple(dict.fromkeys(v)) for k, v in fields.items()})


def _values(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [_as_text(v) for v in value]


def _as_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "" if v is None else str(v)


def _quoted(value: str) -> str:
    if value == "" or re.search(r'[",;=]', value) or value != value.strip():
        return '"' + value.replace('"', '""') + '"'
    return value


def _parse_text(text: str) -> Markers:
    """The text form (see the module docstring)."""
    every: list[str] = []
    fields: dict[str, list[str]] = {}
    for group in _groups(text):
        if not group:
            continue
        if "=" in group:
            at = group.index("=")
            head, values = group[:at], group[at + 1:]
            if len(head) != 1 or head[0] in (",", "=") or "=" in values or not values:
                raise InputError(f"Missing values {text!r}: write FIELD=VALUES, e.g. "
                                 f"{SYNTAX}.")
            fields.setdefault(head[0], []).extend(_split_values(values, text))
        else:
            every.extend(_split_values(group, text))
    return Markers(tuple(dict.fromkeys(every)),
                   {k: tuple(dict.fromkeys(v)) for k, v in fields.items() if v})


def _groups(text: str) -> list[list[str]]:
    """The ';'-separated groups, each a list of tokens: values, ',' and '='."""
    groups: list[list[str]] = [[]]
    pos = 0
    for m in _TOKEN.finditer(text):
        gap = text[pos:m.start()]
        if gap.strip():
            raise InputError(f"Missing values {text!r}: unbalanced quotes near {gap!r}; "
                             f"write {SYNTAX}.")
        pos = m.end()
        quoted, plain, sep = m.groups()
        if sep == ";":
            groups.append([])
        elif sep:
            groups[-1].append(sep)
        elif quoted is not None:
            groups[-1].append("\x00" + quoted.replace('""', '"'))
        elif plain.strip():
            groups[-1].append(plain.strip())
    if text[pos:].strip():
        raise InputError(f"Missing values {text!r}: unbalanced quotes; write {SYNTAX}.")
    return [[t[1:] if t.startswith("\x00") else t for t in g] for g in groups]


def _split_values(tokens: list[str], text: str) -> list[str]:
    """Values between commas (an empty item between two commas is a mistake, not "")."""
    out: list[str] = []
    expect_value = True
    for t in tokens:
        if t == ",":
            if expect_value:
                raise InputError(f"Missing values {text!r}: an empty value between commas; "
                                 'write "" for the empty cell.')
            expect_value = True
        else:
            if not expect_value:
                raise InputError(f"Missing values {text!r}: separate values with ','.")
            out.append(t)
            expect_value = False
    return out


# ---- messages ------------------------------------------------------------------------------
def unknown_message(unknown: list[str], names: list[str]) -> str:
    """The error for markers naming fields a dictionary does not have (with close names)."""
    import difflib

    parts = []
    for name in unknown[:5]:
        close = difflib.get_close_matches(name, names, n=1)
        parts.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return (f"Missing values name no field of the dictionary: {', '.join(parts)}. Write "
            f"{SYNTAX}.")
