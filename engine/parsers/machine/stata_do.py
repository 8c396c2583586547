"""Stata do-files (.do): the dictionary a setup program builds.

Read: `label define` (one or many codes per statement, `, add`/`, modify`), `label values`
(a set attached to one or many variables), `label variable`, `infix`/`infile` variable lists
with storage types and columns, `format`/`recast`, and missing-value recodes (`replace x = .
if x == -9`, `mvdecode`, `recode ... = .`), also when they are commented out.  Variables
are those the program labels or reads; commands that only name variables again (`tab`,
`summarize`, loops) define nothing.
"""

from __future__ import annotations

import re
from typing import Iterator

from ...model import Field
from .. import NotThisFormat, ParseContext
from ._common import code_text
from ._setup import SetupVar, Variables, expand_list, to_field
from .stata_missing import missing_recode
from .stata_syntax import Tok, pieces, scan, signed

_SNIFF = re.compile(r"^[ \t]*(?:la(?:b|be|bel)?[ \t]+(?:de|def|defi|defin|define|var\w*|val\w*)"
                    r"[ \t]|infix[ \t])", re.I | re.M)
_TYPES = {"byte": "integer", "int": "integer", "long": "integer", "float": "number",
          "double": "number"}
_STR_TYPE = re.compile(r"str(?:\d+|L)?", re.I)


class _Program:
    """What the statements say so far: variables, value-label sets and their attachments."""

    def __init__(self) -> None:
        self.vars = Variables()
        self.sets: dict[str, dict[str, str | None]] = {}
        self.attached: dict[str, str] = {}       # variable key -> set name
        self.dictionary: str | None = None        # `infile using x.dct`


def sniff_stata_do(ctx: ParseContext) -> bool:
    """`label define/variable/values` or `infix` commands at the start of a line."""
    return _SNIFF.search(ctx.head) is not None


def parse_stata_do(ctx: ParseContext) -> Iterator[Field]:
    """Variables labelled, read or given value labels by the program, in order of mention."""
    statements, comments = scan(ctx.text)
    prog = _Program()
    for tokens in statements:
        _statement(tokens, prog)
    _attach_sets(prog, ctx)
    _commented_recodes(comments, prog, ctx)
    if prog.dictionary:
        ctx.warn(f"The program reads its variables with the dictionary {prog.dictionary}: "
                 "upload that .dct file too for the column positions.")
    if not prog.vars:
        raise NotThisFormat
    for var in prog.vars.values():
        yield to_field(var)


def _statement(tokens: list[Tok], prog: _Program) -> None:
    """Dispatch one statement on its command word (prefixes such as `quietly:` skipped)."""
    while len(tokens) > 2 and tokens[0].low in ("quietly", "qui", "noisily", "noi", "capture",
                                                  "cap") and tokens[1].text == ":":
        tokens = tokens[2:]
    while tokens and tokens[0].low in ("quietly", "qui", "noisily", "noi", "capture", "cap"):
        tokens = tokens[1:]
    if not tokens:
        return
    word = tokens[0].low
    if _abbrev(word, "label", 2) and len(tokens) > 1:
        _label(tokens[1:], prog)
    elif word == "infix":
        _infix(tokens[1:], prog)
    elif _abbrev(word, "infile", 3):
        _infile(tokens[1:], prog)
    elif _abbrev(word, "format", 3):
        _format(tokens[1:], prog)
    elif word == "recast":
        _recast(tokens[1:], prog)
    else:
        missing_recode(tokens, prog.vars)


def _abbrev(word: str, full: str, shortest: int) -> bool:
    """Whether `word` is `full` or an abbreviation Stata accepts (at least `shortest` letters)."""
    return len(word) >= shortest and full.startswith(word)


# ---- label -------------------------------------------------------------------------------------


def _label(tokens: list[Tok], prog: _Program) -> None:
    """`label define|values|variable ...`."""
    sub = tokens[0].low
    if _abbrev(sub, "define", 2):
        _label_define(tokens[1:], prog)
    elif _abbrev(sub, "values", 3):
        _label_values(tokens[1:], prog)
    elif _abbrev(sub, "variable", 3):
        _label_variable(tokens[1:], prog)
    elif sub == "copy" and len(tokens) >= 3:
        src, dst = tokens[1].text, tokens[2].text
        if src in prog.sets:
            prog.sets[dst] = dict(prog.sets[src])


def _label_define(tokens: list[Tok], prog: _Program) -> None:
    """`label define name # "label" [# "label" ...] [, add modify replace nofix]`."""
    if not tokens or tokens[0].kind != "word":
        return
    name = tokens[0].text
    body, options = _split_options(tokens[1:])
    if not ({"add", "modify"} & options):
        prog.sets[name] = {}
    codes = prog.sets.setdefault(name, {})
    modify = "modify" in options
    items = signed(body)
    for code, label in zip(items[::2], items[1::2]):
        if code.kind != "num" or label.kind not in ("str", "word", "num"):
            return
        value = code_text(code.text)
        if modify or value not in codes:
            codes[value] = label.text.strip() or None


def _split_options(tokens: list[Tok]) -> tuple[list[Tok], set[str]]:
    """(tokens before the option comma, lower-cased option words after it)."""
    for i, t in enumerate(tokens):
        if t.kind == "punct" and t.text == ",":
            return tokens[:i], {x.low for x in tokens[i + 1:] if x.kind == "word"}
    return tokens, set()


def _label_values(tokens: list[Tok], prog: _Program) -> None:
    """`label values varlist name` (a set on every variable listed; `.` or none detaches)."""
    body, _ = _split_options(tokens)
    names = pieces(body)
    if len(names) < 2:
        return
    set_name = names[-1]
    for name in expand_list(names[:-1], prog.vars.names()):
        var = prog.vars.get_or_add(name)
        if set_name == ".":
            prog.attached.pop(name.upper(), None)
        else:
            prog.attached[name.upper()] = set_name
            var.type = var.type or "number"
            var.loose = var.loose or var.type == "number"


def _label_variable(tokens: list[Tok], prog: _Program) -> None:
    """`label variable name "label"` (quotes optional)."""
    if not tokens or tokens[0].kind != "word":
        return
    rest = tokens[1:]
    text = rest[0].text if len(rest) == 1 and rest[0].kind == "str" else " ".join(
        t.text for t in rest)
    prog.vars.get_or_add(tokens[0].text).label = text.strip() or None


def _attach_sets(prog: _Program, ctx: ParseContext) -> None:
    """Codes of the attached sets; a set never attached goes to the variable of its name, or,
    when the program defines no variable at all, stands for one."""
    used = set(prog.attached.values())
    for key, set_name in prog.attached.items():
        _give_codes(prog.vars[key], prog.sets.get(set_name, {}))
    loose = [name for name in prog.sets if name not in used]
    lone = not prog.vars
    for name in loose:
        var = prog.vars.find(name)
        if var is None and lone:
            var = prog.vars.get_or_add(name)
        if var is not None and not var.codes:
            _give_codes(var, prog.sets[name])
    if lone and prog.vars:
        ctx.warn("The program defines value labels but attaches them to no variable; each "
                 "set is shown as a variable of the same name.")


def _give_codes(var: SetupVar, codes: dict[str, str | None]) -> None:
    """Codes of a set; extended missing values (`.a`-`.z`) are missing values."""
    for code, label in codes.items():
        if re.fullmatch(r"\.[a-z]?", code):
            var.missing.setdefault(code, label)
        else:
            var.codes.setdefault(code, label)
    if var.type is None and codes:
        var.type, var.loose = "number", True


# ---- reading data ----------------------------------------------------------------------------


def _infix(tokens: list[Tok], prog: _Program) -> None:
    """`infix [# lines] [type] name start[-end] ... [#:] [/] using file`."""
    if tokens and tokens[0].low == "using":
        prog.dictionary = tokens[1].text if len(tokens) > 1 else "a dictionary"
        return
    lines, record, storage = 1, 1, None
    i = 0
    if len(tokens) > 1 and tokens[0].kind == "num" and tokens[1].low == "lines":
        lines, i = int(float(tokens[0].text)), 2
    while i < len(tokens):
        t = tokens[i]
        if t.low == "using":
            break
        if t.kind == "num" and i + 1 < len(tokens) and tokens[i + 1].text == ":":
            record, i = int(float(t.text)), i + 2
        elif t.text == "/":
            record, i = record + 1, i + 1
        elif t.kind == "word" and _is_type(t.text) and i + 1 < len(tokens) and \
                tokens[i + 1].kind == "word":
            storage, i = t.text, i + 1
        elif t.kind == "word" and i + 1 < len(tokens) and tokens[i + 1].kind == "num":
            i = _infix_var(tokens, i, prog, storage, record if lines > 1 else 0)
            storage = None
        else:
            i += 1


def _infix_var(tokens: list[Tok], i: int, prog: _Program, storage: str | None,
               record: int) -> int:
    """One `name start[-end]` of an infix list; returns the index after it."""
    start = end = int(float(tokens[i + 1].text))
    j = i + 2
    if j + 1 < len(tokens) and tokens[j].text == "-" and tokens[j + 1].kind == "num":
        end, j = int(float(tokens[j + 1].text)), j + 2
    var = prog.vars.get_or_add(tokens[i].text)
    var.position = {"start": start, "end": end}
    if record:
        var.position["record"] = record
    _storage(var, storage, "infix")
    return j


def _infile(tokens: list[Tok], prog: _Program) -> None:
    """`infile [type] name ... using file` (free format: names and types, no columns)."""
    if tokens and tokens[0].low == "using":
        prog.dictionary = tokens[1].text if len(tokens) > 1 else "a dictionary"
        return
    storage = None
    for name in pieces([t for t in tokens if t.kind in ("word", "punct", "num")]):
        if name.lower() == "using":
            break
        if _is_type(name):
            storage = name
        elif re.fullmatch(r"[A-Za-z_]\w*", name):
            for one in expand_list([name], prog.vars.names()):
                _storage(prog.vars.get_or_add(one), storage, "infile")
            storage = None


def _is_type(word: str) -> bool:
    """A Stata storage type: byte int long float double str# strL."""
    return word.lower() in _TYPES or _STR_TYPE.fullmatch(word) is not None


def _storage(var: SetupVar, storage: str | None, how: str) -> None:
    """Type from a storage type; none written means float (numeric, decimals possible)."""
    if storage and _STR_TYPE.fullmatch(storage):
        var.type, var.loose = "string", False
    elif storage:
        var.type, var.loose = _TYPES[storage.lower()], False
    else:
        var.type, var.loose = "number", True
    if storage:
        var.source[how] = storage


def _format(tokens: list[Tok], prog: _Program) -> None:
    """`format varlist %fmt [varlist %fmt ...]` (or `format %fmt varlist`): types, dates."""
    names: list[Tok] = []
    pending: str | None = None
    for t in tokens + [Tok("end", "", -1, -1)]:
        if t.kind == "fmt" or t.kind == "end":
            if pending is None and t.kind == "fmt" and not names:
                pending = t.text
                continue
            fmt = t.text if t.kind == "fmt" else pending
            for name in expand_list(pieces(names), prog.vars.names()):
                var = prog.vars.find(name)
                if var is not None and fmt:
                    _apply_format(var, fmt)
            names = []
        else:
            names.append(t)


def _apply_format(var: SetupVar, fmt: str) -> None:
    """A display format tells string, date and decimal variables apart."""
    var.source["format"] = fmt
    body = fmt.lstrip("%-~0123456789.")
    if body.startswith(("td", "d")):
        var.type, var.format, var.loose = "date", None, False
    elif body.startswith(("tc", "tC")):
        var.type, var.format, var.loose = "datetime", None, False
    elif body.endswith("s") and not body.startswith("t"):
        var.type, var.loose = "string", False
    elif var.type in (None, "number", "integer") and re.search(r"\.([1-9])\d*[fg]", fmt):
        var.type, var.loose = "number", False


def _recast(tokens: list[Tok], prog: _Program) -> None:
    """`recast type varlist`."""
    if len(tokens) < 2 or not _is_type(tokens[0].text):
        return
    for name in expand_list(pieces(tokens[1:]), prog.vars.names()):
        var = prog.vars.find(name)
        if var is not None:
            _storage(var, tokens[0].text, "recast")


def _commented_recodes(comments: list[str], prog: _Program, ctx: ParseContext) -> None:
    """Missing-value recodes left commented out still say which codes mean missing; they
    count for variables the live program gives no missing values."""
    bare = {k for k, v in prog.vars.items() if not v.missing and not v.ranges}
    if not bare:
        return
    shadow = Variables({k: SetupVar(v.name) for k, v in prog.vars.items() if k in bare})
    for text in comments:
        if not re.search(r"\b(?:replace|mvdecode|recode)\b", text):
            continue
        statements, _ = scan(text)
        for tokens in statements:
            missing_recode(tokens, shadow)
    used = [k for k, v in shadow.items() if v.missing or v.ranges]
    for key in used:
        prog.vars[key].missing.update(shadow[key].missing)
        prog.vars[key].ranges += shadow[key].ranges
    if used:
        ctx.warn(f"Missing values of {len(used)} variables come from recodes that are "
                 "commented out in the program (they document the codes but do not run).")
