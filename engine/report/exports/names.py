"""Variable names each target accepts, made from names that come from untrusted dictionaries.

A name the target accepts is kept; another is rewritten (letters, digits and `_`, a letter
first, the target's length, never a reserved word) and made unique, so that two fields never
share a name.  `renamed(schema, target)` tells what changed, for headers and round trips.
"""

from __future__ import annotations

import re
import unicodedata

from ...model import Schema

_SPSS_RESERVED = {"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO",
                  "WITH"}
_STATA_RESERVED = {"_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in",
                   "int", "long", "_n", "_N", "_pi", "_pred", "_rc", "_skip", "strL", "using",
                   "with"}
_RULES = {
    # target: (valid pattern, max length, lower-case, reserved words (upper-cased for SPSS))
    "redcap": (re.compile(r"[a-z][a-z0-9_]*"), 100, True, set()),
    "spss": (re.compile(r"[A-Za-z@#$][A-Za-z0-9_.@#$]*"), 64, False, _SPSS_RESERVED),
    "stata": (re.compile(r"[A-Za-z_][A-Za-z0-9_]*"), 32, False, _STATA_RESERVED),
}


def valid_name(name: str, target: str) -> bool:
    """Whether `target` accepts `name` as a variable name as it is."""
    pattern, size, _lower, reserved = _RULES[target]
    if target == "spss" and name.endswith("."):
        return False
    return bool(pattern.fullmatch(name)) and len(name.encode("utf-8")) <= size and \
        (name.upper() if target == "spss" else name) not in reserved


def target_names(names: list[str], target: str) -> list[str]:
    """One name per input name, each valid for `target`, all different (case-insensitively
    for SPSS and REDCap, which ignore case)."""
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        new = name if valid_name(name, target) else _rewrite(name, target)
        base, i = new, 2
        while _key(new, target) in seen:
            suffix = f"_{i}"
            new = base[:_RULES[target][1] - len(suffix)] + suffix
            i += 1
        seen.add(_key(new, target))
        out.append(new)
    return out


def renamed(schema: Schema, target: str) -> dict[str, str]:
    """{field name: name in the target} for the fields whose name had to change."""
    names = schema.names
    return {a: b for a, b in zip(names, target_names(names, target)) if a != b}


def _key(name: str, target: str) -> str:
    return name if target == "stata" else name.lower()


def _rewrite(name: str, target: str) -> str:
    _pattern, size, lower, reserved = _RULES[target]
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_")
    text = re.sub(r"_+", "_", text)
    if lower:
        text = text.lower()
    if not text or not text[0].isalpha():
        text = "v" + ("_" if text and text[0] != "_" and not text[0].isdigit() else "") + text
    text = text[:size] or "v"
    if (text.upper() if target == "spss" else text) in reserved:
        text = text + "_v"
    return text
