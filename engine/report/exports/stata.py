"""The dictionary as a Stata do-file: `label variable`, `label define` / `label values`, and
`mvdecode` turning each numeric field's missing-value codes into Stata's extended missing
values (`.a`, `.b` ...), labelled like the codes they were, and the types: `recast long`
(integers), `recast double` (numbers), a `%-20s` display format for text, each under
`capture`, as the data may hold a column otherwise.

Stata's value labels hold integer codes only: a code list of text codes (or decimals) is
written as a `notes` line instead.  Names Stata refuses are rewritten
(engine.report.exports.names; a comment lists them).  Texts go in compound double quotes
(`"..."'), line breaks as spaces, `$name` and backquotes escaped so that no macro expands.
Every variable gets a `label variable` line (`""` when it has no label), so each is named.
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
# storage types for numbers (recast refuses a change that would lose a value), a display
# format for text
_TYPE_COMMANDS = {"integer": "recast long", "year": "recast int", "number": "recast double",
                  "string": "format %-20s"}


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
    # every variable is labelled, if only with "" (no label), so that each is mentioned
    out = [f"label variable {name} {_quote(f.title or f.description or '')}"]
    codes = f.categories + f.missing_values
    integer = f.type in _NUMERIC and all(_int(c.value) is not None for c in codes)
    missing = [c for c in f.missing_values if _int(c.value) is not None] \
        if f.type in _NUMERIC else []
    if codes and integer:             # an unlabelled code is labelled by itself
        pairs = [f"{_int(c.value)} {_quote(c.label or c.value)}" for c in codes]
        pairs += [f"{ext} {_quote(c.label or c.value)}" for ext, c in zip(_EXTENDED, missing)]
        out.append(f"label define {name} " + " ".join(pairs) + ", replace")
        out.append(f"label values {name} {name}")
    elif f.categories:
        listed = "; ".join(c.text() for c in f.categories)
        out.append(f"notes {name}: {_note('Codes: ' + listed)}")
    if missing:
        recode = " ".join(f"{_int(c.value)}={ext}" for ext, c in zip(_EXTENDED, missing))
        out.append(f"mvdecode {name}, mv({recode})")
    command = _TYPE_COMMANDS.get(f.type)
    if command:   # `capture`: a column the data holds otherwise is left as it is
        verb, arg = command.split(" ", 1)
        out.append(f"capture {verb} {arg} {name}" if verb == "recast" else
                   f"capture {verb} {name} {arg}")
    return out


def _int(value: str) -> int | None:
    x = number(value)
    return x if isinstance(x, int) else None


def _clean(text: str) -> str:
    """One line, macros disarmed: `$name`, `${...}` and backquotes escaped (`$150` expands
    nothing and stays as written)."""
    text = re.sub(r"\s+", " ", str(text)).strip().replace("\"'", "\" '")   # `"'` would end it
    return re.sub(r"\$(?=[A-Za-z_{])", r"\\$", text).replace("`", "\\`")


def _quote(text: str) -> str:
    """A Stata compound-quoted string: `"text"' may hold double quotes."""
    return '`"' + _clean(text) + '"\''


def _note(text: str) -> str:
    return _clean(text)


def _comment(text: str) -> str:
    """A comment's text: one line (a `*` comment ends at the line break)."""
    return re.sub(r"\s+", " ", text)
