"""SAS programs (.sas): the dictionary a setup or format program builds.

Read: PROC FORMAT `VALUE`/`INVALUE` statements, `INPUT` (column, formatted and list input),
`LABEL`, `ATTRIB`, `LENGTH`, `FORMAT`/`INFORMAT` statements tying variables to formats, and
missing-value recodes (`IF x = -9 THEN x = .;`, also over an ARRAY).  Setup programs often ship
PROC FORMAT, FORMAT statements and recodes commented out; that code is read too, for the
variables the live program defines, and a warning says so.
"""

from __future__ import annotations

import re
from typing import Iterator

from ...model import Field
from .. import NotThisFormat, ParseContext
from ._setup import SetupVar, Variables, expand_list, range_unit, to_field
from .sas_format import SasFormat, format_statement, informat_type
from .sas_input import informat_width, read_input
from .sas_missing import if_missing
from .sas_syntax import format_ref, is_format, name_list, scan
from .stata_syntax import Tok

_SNIFF = re.compile(r"(?:^|;)[ \t]*(?:proc[ \t]+format\b|(?:in)?value[ \t]+\$?[A-Za-z_]\w*|"
                    r"input[ \t\r\n]|attrib[ \t\r\n]|label[ \t\r\n]+\w+[ \t]*=|"
                    r"format[ \t\r\n]+\w+[ \t\r\n]+\$?\w*\d*\.)", re.I | re.M)
_DATE_FORMATS = {"DATE": "date", "MMDDYY": "date", "DDMMYY": "date", "YYMMDD": "date",
                 "WORDDATE": "date", "DATETIME": "datetime", "TIME": "time", "HHMM": "time"}
_COMMENT_CODE = re.compile(r"\b(?:value|invalue|format|label|if|array)\b", re.I)


class _Program:
    """What the statements say so far."""

    def __init__(self) -> None:
        self.vars = Variables()
        self.formats: dict[str, SasFormat] = {}
        self.informats: dict[str, SasFormat] = {}
        self.format_of: dict[str, str] = {}       # variable key -> format name
        self.informat_of: dict[str, str] = {}     # variable key -> informat as written
        self.arrays: dict[str, list[str]] = {}    # array name (upper) -> variable keys
        self.doc = False                          # reading commented-out code
        self.commented_ties: set[str] = set()     # variables tied to a format in comments
        self.from_comments: set[str] = set()      # what commented-out code supplied


def sniff_sas(ctx: ParseContext) -> bool:
    """PROC FORMAT, VALUE, INPUT, ATTRIB, `LABEL x =` or `FORMAT x fmt.` statements."""
    return _SNIFF.search(ctx.head) is not None


def parse_sas(ctx: ParseContext) -> Iterator[Field]:
    """Variables the program reads, labels or formats, in order of first mention."""
    statements, comments = scan(ctx.text)
    prog = _Program()
    for tokens in statements:
        _statement(tokens, prog)
    _commented_code(comments, prog)
    _resolve(prog, ctx)
    if not prog.vars:
        raise NotThisFormat
    if prog.from_comments:
        ctx.warn("Read from code that is commented out (it documents the data but does not "
                 "run): " + ", ".join(sorted(prog.from_comments)) + ".")
    for var in prog.vars.values():
        yield to_field(var)


def _statement(tokens: list[Tok], prog: _Program) -> None:
    """Dispatch one statement on its keyword."""
    word = tokens[0].text.upper() if tokens[0].kind == "word" else ""
    rest = tokens[1:]
    if any(a.text == "%" or a.text == "&" and b.kind == "word" and b.start == a.end
           for a, b in zip(tokens, tokens[1:])):
        return                     # macro code: the names it makes are not knowable here
    if word in ("VALUE", "INVALUE"):
        _define_format(rest, prog, word == "INVALUE")
    elif word == "FORMAT" or word == "INFORMAT":
        _format(rest, prog, word == "INFORMAT")
    elif word == "LABEL":
        _label(rest, prog)
    elif word == "IF":
        if_missing(rest, prog.vars, prog.arrays)
    elif word == "ARRAY":
        _array(rest, prog)
    elif prog.doc:
        return
    elif word == "INPUT":
        _input(rest, prog)
    elif word == "ATTRIB":
        _attrib(rest, prog)
    elif word == "LENGTH":
        _length(rest, prog)


def _new_var(name: str, prog: _Program) -> SetupVar | None:
    """The variable `name`; commented-out code never adds one."""
    return prog.vars.find(name) if prog.doc else prog.vars.get_or_add(name)


# ---- formats ---------------------------------------------------------------------------------


def _define_format(tokens: list[Tok], prog: _Program, invalue: bool) -> None:
    """`VALUE name ...` / `INVALUE name ...`; a live definition wins over a commented one."""
    fmt = format_statement(tokens, invalue, strict=prog.doc)
    if fmt is None:
        return
    table = prog.informats if invalue else prog.formats
    if prog.doc and fmt.name in table:
        return
    fmt.commented = prog.doc
    table[fmt.name] = fmt


def _format(tokens: list[Tok], prog: _Program, informat: bool) -> None:
    """`FORMAT a b fmt. c $fmt.` (INFORMAT alike): ties variables to (in)formats."""
    names: list[Tok] = []
    for t in tokens:
        if is_format(t):
            for name in expand_list(name_list(names), prog.vars):
                _tie(name, t.text, prog, informat)
            names = []
        elif t.kind == "word":
            names.append(t)
        elif t.text == "-":
            names.append(t)


def _tie(name: str, ref: str, prog: _Program, informat: bool) -> None:
    """One variable tied to a format reference."""
    if name.startswith("_") and name.endswith("_"):       # _numeric_, _all_ ...
        return
    var = _new_var(name, prog)
    if var is None:
        return
    key = name.upper()
    if informat:
        if not prog.doc or key not in prog.informat_of:
            prog.informat_of[key] = ref
        return
    if prog.doc and key in prog.format_of:
        return
    parsed = format_ref(ref)
    if parsed is None:
        return
    prog.format_of[key] = parsed[0]
    if prog.doc:
        prog.commented_ties.add(key)
    var.source.setdefault("format", ref)
    kind = _DATE_FORMATS.get(parsed[0])
    if kind and var.type in (None, "number", "integer"):
        var.type, var.loose = kind, False


# ---- labels, lengths, attributes --------------------------------------------------------------


def _label(tokens: list[Tok], prog: _Program) -> None:
    """`LABEL a = 'text' b = "text"` (an unquoted label runs to the next `name =`)."""
    i = 0
    while i + 2 < len(tokens):
        if tokens[i].kind != "word" or tokens[i + 1].text != "=":
            i += 1
            continue
        j = i + 2
        if tokens[j].kind == "str":
            text, j = tokens[j].text, j + 1
        else:
            k = j
            while k < len(tokens) and not (k + 1 < len(tokens) and tokens[k].kind == "word"
                                           and tokens[k + 1].text == "="):
                k += 1
            text, j = " ".join(t.text for t in tokens[j:k]), k
        var = _new_var(tokens[i].text, prog)
        if var is not None and (not prog.doc or not var.label):
            if prog.doc and text.strip():
                prog.from_comments.add("variable labels")
            var.label = text.strip() or var.label
        i = j


def _length(tokens: list[Tok], prog: _Program) -> None:
    """`LENGTH a b $ 8 c 4`: declares variables; `$` marks character ones."""
    names: list[Tok] = []
    character = False
    for t in tokens:
        if t.text == "$":
            character = True
        elif t.kind == "num":
            for name in expand_list(name_list(names), prog.vars):
                _declare(prog.vars.get_or_add(name), character, f"length {'$' * character}{t.text}")
            names, character = [], False
        elif t.kind == "word" and t.text.upper() != "DEFAULT" or t.text == "-":
            names.append(t)


def _declare(var: SetupVar, character: bool, source: str) -> None:
    """A declared length: character or numeric (decimals unknown)."""
    var.source.setdefault("length", source)
    if var.type is None:
        var.type, var.loose = ("string", False) if character else ("number", True)


def _attrib(tokens: list[Tok], prog: _Program) -> None:
    """`ATTRIB a b LENGTH=$2 LABEL="..." FORMAT=fmt. INFORMAT=fmt.` groups."""
    names: list[str] = []
    optioned = False
    i = 0
    while i < len(tokens):
        t = tokens[i]
        opt = t.text.upper() if t.kind == "word" else ""
        if opt in ("LENGTH", "LABEL", "FORMAT", "INFORMAT", "TRANSCODE") and \
                i + 2 < len(tokens) and tokens[i + 1].text == "=":
            i = _attrib_option(opt, tokens, i + 2, names, prog)
            optioned = True
            continue
        if t.kind == "word":
            if optioned:
                names, optioned = [], False
            names.append(t.text)
            prog.vars.get_or_add(t.text)
        i += 1


def _attrib_option(opt: str, tokens: list[Tok], i: int, names: list[str], prog: _Program) -> int:
    """Apply one `OPTION=value` to the names before it; returns the index after the value."""
    if opt == "LENGTH":
        character = tokens[i].text == "$"
        if character:
            i += 1
        if i < len(tokens) and tokens[i].kind in ("num", "fmt"):
            for name in names:
                _declare(prog.vars.get_or_add(name), character,
                         f"length {'$' * character}{tokens[i].text}")
            i += 1
        return i
    if opt == "LABEL" and tokens[i].kind == "str":
        for name in names:
            prog.vars.get_or_add(name).label = tokens[i].text.strip() or None
    elif opt in ("FORMAT", "INFORMAT") and is_format(tokens[i]):
        for name in names:
            _tie(name, tokens[i].text, prog, opt == "INFORMAT")
    return i + 1


def _input(tokens: list[Tok], prog: _Program) -> None:
    """Variables of an INPUT statement with their columns and informats."""
    def width(ref: str) -> int | None:
        return informat_type(ref, prog.informats)[1] or informat_width(ref)

    for item in read_input(tokens, prog.vars.names(), width):
        var = prog.vars.get_or_add(item.name)
        if item.start is not None:
            var.position = {"start": item.start}
            if item.end is not None:
                var.position["end"] = item.end
            if item.record:
                var.position["record"] = item.record
        if item.informat:
            prog.informat_of[item.name.upper()] = item.informat
            var.source["input"] = item.informat
            kind = informat_type(item.informat, prog.informats)[0]
            var.type, var.loose = ("string", False) if item.character else (
                (kind, False) if kind != "any" else ("number", True))
        elif item.character:
            var.type, var.loose = "string", False
        else:
            var.type, var.loose = ("number", False) if item.decimals else ("number", True)


def _array(tokens: list[Tok], prog: _Program) -> None:
    """`ARRAY name{n} [$] [len] varlist | _numeric_ | _character_ | _all_`."""
    if not tokens or tokens[0].kind != "word":
        return
    i = 1
    if i < len(tokens) and tokens[i].text in ("{", "[", "("):
        i = next((j for j in range(i, len(tokens)) if tokens[j].text in ("}", "]", ")")),
                 len(tokens)) + 1
    rest = [t for t in tokens[i:] if t.text != "$" and t.kind != "num"]
    names = [n.upper() for n in name_list(rest)]
    if names == ["_NUMERIC_"]:
        keys = [k for k, v in prog.vars.items() if v.type != "string"]
    elif names == ["_CHARACTER_"]:
        keys = [k for k, v in prog.vars.items() if v.type == "string"]
    elif names == ["_ALL_"]:
        keys = list(prog.vars)
    else:
        keys = [n.upper() for n in expand_list(names, prog.vars)
                if prog.vars.find(n) is not None]
    prog.arrays[tokens[0].text.upper()] = keys


# ---- commented-out code and the end -----------------------------------------------------------


def _commented_code(comments: list[str], prog: _Program) -> None:
    """Formats, FORMAT statements, labels and recodes from commented-out code (strictly)."""
    prog.doc = True
    before = {k: (dict(v.missing), list(v.ranges)) for k, v in prog.vars.items()}
    bare = {k for k, (m, r) in before.items() if not m and not r}
    for text in comments:
        if not _COMMENT_CODE.search(text):
            continue
        statements, _ = scan(text)
        for tokens in statements:
            _statement(tokens, prog)
    for key, var in prog.vars.items():
        if key not in bare:
            var.missing, var.ranges = before[key]
        elif var.missing or var.ranges:
            prog.from_comments.add("missing values")
    prog.doc = False


def _resolve(prog: _Program, ctx: ParseContext) -> None:
    """Codes from each variable's format (or the format of its name), missing values from its
    informat; with no variables at all, each VALUE format stands for one."""
    if not prog.vars and prog.formats:
        for name in prog.formats:
            prog.vars.get_or_add(name.lstrip("$"))
        ctx.warn("The program defines formats but ties them to no variable; each format is "
                 "shown as a variable of the same name.")
    for key, var in prog.vars.items():
        fmt = _format_named(prog.format_of.get(key), prog) or _format_named(key, prog)
        if fmt is not None:
            _give(var, fmt)
            if fmt.commented or key in prog.commented_ties:
                prog.from_comments.add("value labels")
        ref = prog.informat_of.get(key)
        parsed = format_ref(ref) if ref else None
        informat = prog.informats.get(parsed[0]) if parsed else None
        if informat is not None:
            for code in informat.raw_missing:
                var.missing.setdefault(code, None)


def _format_named(name: str | None, prog: _Program) -> SasFormat | None:
    """The VALUE format called `name`, with or without its `$` (programs mix them up)."""
    if not name:
        return None
    bare = name.lstrip("$")
    return prog.formats.get(name) or prog.formats.get(bare) or prog.formats.get("$" + bare)


def _give(var: SetupVar, fmt: SasFormat) -> None:
    """A format's codes and special missing values; its kind types an untyped variable."""
    for code, label in fmt.codes.items():
        var.codes.setdefault(code, label)
    for code, label in fmt.missing.items():
        var.missing.setdefault(code, label)
    var.unit = var.unit or range_unit(fmt.range_labels)
    if var.type is None:
        var.type, var.loose = ("string", False) if fmt.character else ("number", True)
