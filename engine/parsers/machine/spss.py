"""SPSS syntax (.sps): DATA LIST, GET DATA, VARIABLE LABELS, VALUE LABELS, MISSING VALUES, FORMATS.

The commands are read, not run: each adds to a dictionary of variables kept in file order.
Keywords may be abbreviated to three letters (`VAR LAB`, `MIS VAL`), as SPSS allows.
"""

from __future__ import annotations

import re
from typing import Iterator

from ...model import Category, Field
from .. import NotThisFormat, ParseContext
from ..codes import infer_type_from_codes
from ._common import bounds, clean, code_text, coded_type, move_missing, spell_range, width_top
from ._setup import described
from .spss_data_list import data_list, get_data
from .spss_rename import rename_variables
from .spss_vars import SpssVar as _Var, var as _var
from .spss_syntax import Token, commands, commented_commands, expand_names, format_type, split_on

_SNIFF = re.compile(r"^\s*(?:DATA\s+LIST|VAR\w*\s+LAB\w*|VAL\w*\s+LAB\w*|ADD\s+VAL\w*|"
                    r"MIS\w*\s+VAL\w*|GET\s+DATA\s*/)\b", re.I | re.M)
_COMMANDS = (("DATA", "LIST"), ("VARIABLE", "LABELS"), ("VALUE", "LABELS"),
             ("ADD", "VALUE", "LABELS"), ("MISSING", "VALUES"), ("FORMATS",),
             ("PRINT", "FORMATS"), ("WRITE", "FORMATS"), ("STRING",), ("NUMERIC",),
             ("RENAME", "VARIABLES"), ("GET", "DATA"), ("VARIABLE", "LEVEL"))
_LOW, _HIGH = {"LO", "LOWEST"}, {"HI", "HIGHEST"}




def sniff_spss(ctx: ParseContext) -> bool:
    """SPSS dictionary commands at the start of a line."""
    return _SNIFF.search(ctx.head) is not None


def parse_spss(ctx: ParseContext) -> Iterator[Field]:
    """Variables defined or labelled by the syntax, in order of first mention."""
    found: dict[str, _Var] = {}
    for words, tokens in commands(ctx.text):
        handler = _HANDLERS.get(_command(words))
        if handler:
            handler(tokens, found)
    if not found:
        raise NotThisFormat
    _commented(ctx, found)
    for var in found.values():
        yield _field(var)


def _commented(ctx: ParseContext, found: dict[str, _Var]) -> None:
    """Labels, value labels, missing values and new names from commands that are commented
    out, for the variables the live syntax leaves without them."""
    shadow = {k: _Var(v.name) for k, v in found.items()}
    for words, tokens in commented_commands(ctx.text):
        handler = _HANDLERS.get(_command(words))
        if handler is rename_variables:
            rename_variables(tokens, shadow, live=False)
        elif handler and handler not in (data_list, get_data):
            handler(tokens, shadow)
    used: set[str] = set()
    for key, var in found.items():
        doc = shadow[key]
        if not var.label and doc.label:
            var.label = doc.label
            used.add("variable labels")
        if not var.labels and doc.labels:
            var.labels = doc.labels
            used.add("value labels")
        if not var.missing and not var.ranges and (doc.missing or doc.ranges):
            var.missing, var.ranges = doc.missing, doc.ranges
            used.add("missing values")
        if not var.alias and doc.alias:
            var.alias = doc.alias
            used.add("other names (RENAME)")
    if used:
        ctx.warn("Read from syntax that is commented out (it documents the data but does not "
                 "run): " + ", ".join(sorted(used)) + ".")


def _command(words: list[str]) -> tuple[str, ...] | None:
    """The command a statement starts with, allowing 3-letter abbreviations."""
    for cmd in _COMMANDS:
        if len(words) >= len(cmd) and all(
                len(w) >= 3 and k.startswith(w) or w == k for w, k in zip(words, cmd)):
            return cmd
    return None


# ---- commands -------------------------------------------------------------------------------




def _variable_labels(tokens: list[Token], found: dict[str, _Var]) -> None:
    """`VARIABLE LABELS name 'label' / name2 "label"`."""
    names: list[str] = []
    for t in tokens[2:]:
        if t.kind == "word":
            names.append(t.text)
        elif t.kind == "str" and names:
            for name in expand_names(names, list(found)):
                _var(found, name, spell=name in names).label = clean(t.text)
            names = []


def _value_labels(tokens: list[Token], found: dict[str, _Var]) -> None:
    """`VALUE LABELS a b 1 'x' 2 'y' / c 'M' 'Male'` (ADD VALUE LABELS too)."""
    start = 3 if tokens[0].upper == "ADD" else 2
    for block in split_on(tokens[start:], "/"):
        names: list[str] = []
        pending: str | None = None
        paired = False
        for t in _signed(block):
            if t.kind == "word" and pending is None:
                if paired:  # a new variable list without the `/` SPSS asks for
                    names, paired = [], False
                names.append(t.text)
            elif pending is None:
                pending = code_text(t.text) if t.kind == "num" else t.text.rstrip()
            else:
                for name in expand_names(names, list(found)):
                    _var(found, name).labels[pending] = clean(t.text)
                pending, paired = None, True


def _missing_values(tokens: list[Token], found: dict[str, _Var]) -> None:
    """`MISSING VALUES a b (9, 98 THRU 99) / c (LO THRU -1) / d ('X')`."""
    names: list[str] = []
    inside: list[Token] | None = None
    for t in tokens[2:]:
        if inside is not None:
            if t.text == ")":
                targets = list(found) if [n.upper() for n in names] == ["ALL"] else names
                for name in expand_names(targets, list(found)):
                    _add_missing(_var(found, name), inside)
                names, inside = [], None
            else:
                inside.append(t)
        elif t.text == "(":
            inside = []
        elif t.kind == "word":
            names.append(t.text)


def _add_missing(var: _Var, spec: list[Token]) -> None:
    """Values and THRU ranges of one parenthesised MISSING VALUES list."""
    values = [t for t in _signed(spec) if t.text != ","]
    i = 0
    while i < len(values):
        t = values[i]
        if i + 2 < len(values) and values[i + 1].upper in ("THRU", "THROUGH"):
            lo, hi = values[i].text, values[i + 2].text
            var.ranges.append((None if lo.upper() in _LOW else code_text(lo),
                               None if hi.upper() in _HIGH else code_text(hi)))
            i += 3
            continue
        var.missing.append(code_text(t.text) if t.kind == "num" else t.text.rstrip())
        i += 1


def _formats(tokens: list[Token], found: dict[str, _Var]) -> None:
    """`FORMATS a b (F8.2) c (A10)`; also STRING/NUMERIC declarations."""
    skip = 2 if tokens[0].upper in ("PRINT", "WRITE") else 1
    names: list[str] = []
    for i, t in enumerate(tokens[skip:], start=skip):
        if t.kind == "word" and not (i and tokens[i - 1].text == "("):
            names.append(t.text)
        elif t.text == "(" and i + 1 < len(tokens):
            for name in expand_names(names, list(found)):
                _var(found, name).fmt = tokens[i + 1].text.upper()
            names = []
        elif t.text == "/":
            names = []


def _levels(tokens: list[Token], found: dict[str, _Var]) -> None:
    """`VARIABLE LEVEL a b (ORDINAL) c (SCALE)`: ordinal variables have ordered codes."""
    names: list[str] = []
    for i, t in enumerate(tokens[2:], start=2):
        if t.kind == "word" and tokens[i - 1].text != "(":
            names.append(t.text)
        elif t.text == "(" and i + 1 < len(tokens):
            for name in expand_names(names, list(found)):
                if name.upper() in found:
                    found[name.upper()].ordinal = tokens[i + 1].upper == "ORDINAL"
            names = []


def _signed(tokens: list[Token]) -> Iterator[Token]:
    """Tokens with `-` `1` joined into `-1`."""
    it = iter(tokens)
    for t in it:
        if t.text == "-":
            nxt = next(it, None)
            if nxt is not None:
                yield Token(nxt.kind, "-" + nxt.text)
        else:
            yield t


_HANDLERS = {
    ("DATA", "LIST"): data_list, ("GET", "DATA"): get_data,
    ("VARIABLE", "LABELS"): _variable_labels,
    ("VALUE", "LABELS"): _value_labels, ("ADD", "VALUE", "LABELS"): _value_labels,
    ("MISSING", "VALUES"): _missing_values, ("FORMATS",): _formats,
    ("PRINT", "FORMATS"): _formats, ("WRITE", "FORMATS"): _formats,
    ("STRING",): _formats, ("NUMERIC",): _formats, ("RENAME", "VARIABLES"): rename_variables,
    ("VARIABLE", "LEVEL"): _levels,
}


# ---- the result -----------------------------------------------------------------------------


def _field(var: _Var) -> Field:
    """A variable as a field: codes split into valid and missing, type from format and codes."""
    f = Field(name=var.name, description=var.label)
    cats = [Category(v, label) for v, label in var.labels.items()]
    declared = [Category(v) for v in var.missing]
    open_ranges = []
    whole = format_type(var.fmt)[0] == "integer" if var.fmt else var.in_data_list
    for lo, hi in var.ranges:
        spelled = spell_range(lo, width_top(hi, var.position, whole))
        if spelled is not None:
            declared += [Category(v) for v in spelled]
        else:
            declared += [c for c in cats if _within(c.value, lo, hi)]
            open_ranges.append(bounds(lo, hi))
    f.categories, f.missing_values = move_missing(cats, _unique(declared))
    f.type, f.format = _type(var, f.categories, f.missing_values)
    if var.fmt:
        f.extras["sourceType"] = var.fmt
    if var.position:
        f.extras["position"] = var.position
    if var.alias:
        f.extras["alias"] = var.alias
    f.categories_ordered = var.ordinal and len(f.categories) > 1
    described(f)
    if open_ranges:
        f.extras["missingRanges"] = open_ranges
    return f


def _type(var: _Var, cats: list[Category], missing: list[Category]) -> tuple[str, str | None]:
    """(Table Schema type, format) from the SPSS format, refined by whole-number codes."""
    if var.fmt:
        return format_type(var.fmt)
    if var.in_data_list:  # no format: numeric, decimals allowed unless all codes are whole
        return coded_type(cats, missing, "number"), None
    return (infer_type_from_codes(cats + missing) if cats or missing else "any"), None


def _within(value: str, lo: str | None, hi: str | None) -> bool:
    """Whether a numeric code lies in [lo, hi] (None = open end)."""
    try:
        x = float(value)
        return (lo is None or x >= float(lo)) and (hi is None or x <= float(hi))
    except ValueError:
        return False


def _unique(cats: list[Category]) -> list[Category]:
    """Categories with repeated values dropped (the first kept)."""
    first: dict[str, Category] = {}
    for c in cats:
        first.setdefault(c.value, c)
    return list(first.values())
