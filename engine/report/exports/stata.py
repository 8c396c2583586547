"""The dictionary as a Stata do-file: `label variable`, `label define` / `label values`, and
`mvdecode` turning each numeric field's missing-value codes into Stata's extended missing
values (`.a`, `.b` ...), labelled like the codes they were, and display formats (`%12.0f`
integers, `%12.2f` numbers, `%-20s` text; under `capture`, as the data may store a column
otherwise).

Stata's value labels hold integer codes only: a code list of text codes (or decimals) is
written as a `notes` line instead.  Names Stata refuses are rewritten
(engine.report.exports.names; a comment lists them).  Texts go in compound double quotes
(`"..."'), line breaks as spaces, `$` and backquotes escaped so that no macro expands.
"""

from __future__ import annotations

import json
import re
import string

from ...model import Field, Schema
from .names import target_names
from .rules import number

_NUMERIC = ("integer", "number", "year")
_EXTENDED = [f".{c}" for c in string.ascii_lowercase]
_FORMATS = {"integer": "%12.0f", "year": "%4.0f", "number": "%12.2f", "string": "%-20s"}


def stata_do(schema: Schema) -> str:
    """The do-file text."""
    names = target_names(schema.names, "stata")
    out = ["* Written by Codebook from a data dictionary."]
    out += [f"* Renamed: {_comment(json.dumps(f.name))} is {n}"
            for f, n in zip(schema.fields, names) if n != f.name]
    for f, n in zip(schema.fields, names):
        out += _field(f, n)
    return "\n".join(out) + "\n"


def _field(f: Field, name: str) -> list[str]:
    out = []
    label = f.title or f.description
    if label:
        out.append(f"label variable {name} {_quote(label)}")
    codes = f.categories + f.missing_values
    integer = f.type in _NUMERIC and all(_int(c.value) is not None for c in codes)
    missing = [c for c in f.missing_values if _int(c.value) is not None] \
        if f.type in _NUMERIC else []
    if codes and integer and any(c.label for c in codes):
        pairs = [f"{_int(c.value)} {_quote(c.label)}" for c in codes if c.label]
        pairs += [f"{ext} {_quote(c.label)}" for ext, c in zip(_EXTENDED, missing) if c.label]
        out.append(f"label define {name} " + " ".join(pairs) + ", replace")
        out.append(f"label values {name} {name}")
    elif f.categories:
        listed = "; ".join(c.text() for c in f.categories)
        out.append(f"notes {name}: {_note('Codes: ' + listed)}")
    if missing:
        recode = " ".join(f"{_int(c.value)}={ext}" for ext, c in zip(_EXTENDED, missing))
        out.append(f"mvdecode {name}, mv({recode})")
    fmt = _FORMATS.get(f.type)
    if fmt:   # `capture`: a column the data holds with another storage type keeps its format
        out.append(f"capture format {name} {fmt}")
    return out


def _int(value: str) -> int | None:
    x = number(value)
    return x if isinstance(x, int) else None


def _clean(text: str) -> str:
    """One line, macros disarmed (`\\$`, a backquote escaped)."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    return text.replace("$", "\\$").replace("`", "\\`")


def _quote(text: str) -> str:
    """A Stata compound-quoted string: `"text"' may hold double quotes."""
    return '`"' + _clean(text) + '"\''


def _note(text: str) -> str:
    return _clean(text)


def _comment(text: str) -> str:
    """A comment's text: one line (a `*` comment ends at the line break)."""
    return re.sub(r"\s+", " ", text)
