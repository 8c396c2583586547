"""Stata do-files (.do): the dictionary a setup program builds.

Read: `label define` (one or many codes per statement, `, add`/`, modify`), `label values`
(a set attached to one or many variables), `label variable`, `infix`/`infile` variable lists
with storage types and columns, `format`/`recast`, and missing-value recodes (`replace x = .
if x == -9`, `mvdecode`, `recode ... = .`), also when they are commented out.  Variables
are those the program labels or reads; commands that only name variables again (`tab`,
`summarize`, loops) define nothing.
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import Iterator

from ...model import Field
from .. import NotThisFormat, ParseContext
from ._common import code_text
from ._setup import SetupVar, Variables, expand_list, to_field
from .stata import dictionary_entries, dictionary_field
from .stata_missing import missing_recode
from .stata_read import file_name, format_command, infile, infix, recast
from .stata_syntax import Tok, expand_loops, pieces, scan, signed

_SNIFF = re.compile(r"(?:^|;)[ \t]*(?:(?:qui(?:etly)?|cap(?:ture)?|noi(?:sily)?)[ \t]*:?[ \t]+)?"
                    r"(?:la(?:b|be|bel)?[ \t]+(?:de|def|defi|defin|define|var\w*|val\w*)[ \t]|"
                    r"infix[ \t/])", re.I | re.M)
_PREFIXES = {"quietly", "qui", "noisily", "noi", "capture", "cap"}
_MIN_DECLARATIVE = 20      # statements: a short script says too little
_DECLARATIVE_SHARE = 0.8   # of statements that label or format
_ABBREVIATED_SHARE = 0.1   # of variables named by `label values` alone, at most
_DICTIONARY = re.compile(r"^\s*(?:(?:infile|infix)\s+)?dictionary\b[^\n{]*\{", re.I | re.M)
_COMMENTED_CODE = re.compile(r"\b(?:replace|mvdecode|recode|rename)\b")
_RECODED = re.compile(r"^[ \t*]*replace[ \t]+([A-Za-z_]\w*)[ \t]*=[ \t]*\.[a-z]?[ \t]+if\b", re.M)


class _Program:
    """What the statements say so far: variables, value-label sets and their attachments."""

    def __init__(self) -> None:
        self.vars = Variables()
        self.sets: dict[str, dict[str, str | None]] = {}
        self.renames: list[tuple[str, str]] = []   # live renames of variables not yet known
        self.dictionary: str | None = None        # `infile using x.dct` ("" when unnamed)
        self.declarative = False   # nearly all statements label or format: formats declare
        self.attached_only: list[SetupVar] = []   # variables `label values` introduced


def sniff_stata_do(ctx: ParseContext) -> bool:
    """`label define/variable/values` or `infix` commands at the start of a line."""
    return _SNIFF.search(ctx.head) is not None


def parse_stata_do(ctx: ParseContext) -> Iterator[Field]:
    """Variables labelled, read or given value labels by the program, in order of mention."""
    statements, comments = scan(ctx.text)
    statements = expand_loops(statements)
    prog = _Program()
    prog.declarative = _declarative(statements)
    embedded = _DICTIONARY.search(ctx.text) is not None
    if embedded:          # the data the program reads: its variables exist from the start
        _embedded_dictionary(ctx.text, prog)
    for tokens in statements:
        _statement(tokens, prog)
    _resolve_abbreviations(prog)
    lone = not prog.vars
    _attach_sets(prog, ctx)
    if lone and prog.vars:
        _variables_of_sets(prog, statements, ctx.text)
    _commented_code(comments, prog, ctx)
    if prog.dictionary is not None and not embedded:
        named = f" {prog.dictionary}" if prog.dictionary else ""
        ctx.warn(f"The program reads its variables with a Stata dictionary{named}: upload that "
                 ".dct file too for the columns and variable labels.")
    if not prog.vars:
        raise NotThisFormat
    for var in prog.vars.values():
        yield to_field(var)


def _statement(tokens: list[Tok], prog: _Program) -> None:
    """Dispatch one statement on its command word (prefixes such as `quietly:` skipped)."""
    while tokens and tokens[0].low in _PREFIXES:
        tokens = tokens[2:] if tokens[1:2] and tokens[1].text == ":" else tokens[1:]
    if not tokens:
        return
    word = tokens[0].low
    if (word == "infix" or _abbrev(word, "infile", 3)) and tokens[1:2] and \
            tokens[1].low == "using":
        prog.dictionary = file_name(tokens[2:])
        return
    if any(t.text in ("`", "$") for t in tokens):
        return                     # a macro the reader cannot resolve: no names to trust
    if _abbrev(word, "label", 2) and len(tokens) > 1:
        _label(tokens[1:], prog)
    elif word == "infix":
        infix(tokens[1:], prog.vars)
    elif _abbrev(word, "infile", 3):
        infile(tokens[1:], prog.vars)
    elif _abbrev(word, "format", 3):
        format_command(tokens[1:], prog.vars, define=prog.declarative)
    elif word == "recast":
        recast(tokens[1:], prog.vars)
    elif _abbrev(word, "rename", 3):
        rename(tokens[1:], prog.vars, live=True, later=prog.renames)
    else:
        missing_recode(tokens, prog.vars)


def _command(tokens: list[Tok]) -> str:
    """A statement's command word, prefixes such as `capture` skipped."""
    i = 0
    while i < len(tokens) and tokens[i].low in _PREFIXES | {":"}:
        i += 1
    return tokens[i].low if i < len(tokens) else ""


def _declarative(statements: list[list[Tok]]) -> bool:
    """A program that only labels and formats (a data provider's label program, such as UK
    Biobank's): there a `format` names a column of the data, not a variable made earlier."""
    words = [_command(s) for s in statements if s]
    said = sum(1 for w in words if _abbrev(w, "label", 2) or _abbrev(w, "format", 3))
    return len(words) >= _MIN_DECLARATIVE and said >= _DECLARATIVE_SHARE * len(words)


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
    for name in expand_list(names[:-1], prog.vars):
        var = prog.vars.find(name)
        if var is None:
            var = prog.vars.get_or_add(name)
            prog.attached_only.append(var)
        if set_name == ".":
            var.value_set = None
        else:
            var.value_set = set_name
            var.type = var.type or "number"
            var.loose = var.loose or var.type == "number"


def _resolve_abbreviations(prog: _Program) -> None:
    """A name `label values` introduced that abbreviates exactly one other variable (Stata
    accepts `q04bjoblos` for `q04bjobloss` when no other name starts so) is that variable.
    Only in a program that labels its variables: where most of them are named by `label
    values` alone, such a name is as likely a column of its own."""
    if not prog.attached_only or len(prog.attached_only) > _ABBREVIATED_SHARE * len(prog.vars):
        return
    keys = sorted(prog.vars)
    for var in prog.attached_only:
        key = var.name.upper()
        if prog.vars.get(key) is not var or var.label or var.codes:
            continue
        i = bisect.bisect_right(keys, key)
        longer = list(itertools.takewhile(lambda k: k.startswith(key), keys[i:i + 2]))
        if len(longer) == 1 and prog.vars[longer[0]].value_set is None:
            prog.vars[longer[0]].value_set = var.value_set
            prog.vars[longer[0]].type = prog.vars[longer[0]].type or var.type
            del prog.vars[key]


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
    used = {v.value_set for v in prog.vars.values() if v.value_set}
    for var in prog.vars.values():
        if var.value_set:
            _give_codes(var, prog.sets.get(var.value_set, {}))
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


def _embedded_dictionary(text: str, prog: _Program) -> None:
    """A `dictionary { ... }` block in the do-file (generated programs append one): its
    variables with their columns, storage types, labels and value-label sets."""
    for entry in dictionary_entries(text):
        var = prog.vars.get_or_add(entry.name)
        field = dictionary_field(entry)
        var.label = var.label or field.description
        var.position = var.position or field.extras.get("position")
        if var.type is None or var.loose:
            var.type, var.loose = field.type, field.type == "number"
        var.source.setdefault("dictionary", field.extras.get("sourceType", ""))
        var.value_set = var.value_set or entry.value_set


def _variables_of_sets(prog: _Program, statements: list[list[Tok]], text: str) -> None:
    """When the variables are the label sets (the data are read elsewhere), the names the
    missing-value recodes replace are variables too; the recodes and renames that ran before
    any variable was known are applied now."""
    for name in _RECODED.findall(text):
        prog.vars.get_or_add(name)
    for tokens in statements:
        missing_recode(tokens, prog.vars)
    for old, new in prog.renames:
        prog.vars.rename(old, new)


def _give_codes(var: SetupVar, codes: dict[str, str | None]) -> None:
    """Codes of a set; extended missing values (`.a`-`.z`) are missing values."""
    for code, label in codes.items():
        if re.fullmatch(r"\.[a-z]?", code):
            var.missing.setdefault(code, label)
        else:
            var.codes.setdefault(code, label)
    if var.type is None and codes:
        var.type, var.loose = "number", True


def rename(tokens: list[Tok], variables: Variables, live: bool,
           later: list[tuple[str, str]] | None = None) -> None:
    """`rename old new` / `rename (a b) (c d)`: a live rename renames the variable (the data
    the program makes carry the new name); one commented out only records the other name.
    A live rename of a variable not yet known goes to `later`."""
    groups = [t for t in tokens if t.text not in ("(", ")")]
    if "," in [t.text for t in groups]:
        return                                       # `rename *, lower` and other options
    half = len(groups) // 2
    if len(groups) % 2 or not half or not all(t.kind == "word" for t in groups):
        return
    for old, new in zip(groups[:half], groups[half:]):
        if live and variables.find(old.text) is None and later is not None:
            later.append((old.text, new.text))
        elif live:
            variables.rename(old.text, new.text)
        elif (var := variables.find(old.text)) is not None and not var.alias:
            var.alias = new.text


def _commented_code(comments: list[str], prog: _Program, ctx: ParseContext) -> None:
    """Missing-value recodes and renames left commented out still document the data: they
    count for variables the live program gives no missing values (or other name)."""
    shadow = Variables({k: SetupVar(v.name) for k, v in prog.vars.items()})
    named = sum(1 for v in prog.vars.values() if v.alias)
    for text in comments:
        if not _COMMENTED_CODE.search(text):
            continue
        statements, _ = scan(text)
        for tokens in statements:
            if tokens[0].low in ("rename", "ren", "rena", "renam"):
                rename(tokens[1:], prog.vars, live=False)
            else:
                missing_recode(tokens, shadow)
    used = set()
    for key, var in prog.vars.items():
        doc = shadow[key]
        if not var.missing and not var.ranges and (doc.missing or doc.ranges):
            var.missing, var.ranges = doc.missing, doc.ranges
            used.add("missing values")
    if sum(1 for v in prog.vars.values() if v.alias) > named:
        used.add("other names (rename)")
    if used:
        ctx.warn("Read from code that is commented out (it documents the data but does not "
                 "run): " + ", ".join(sorted(used)) + ".")
