"""Setup programs and dictionaries saved as plain text (`.txt`): SPSS syntax, SAS programs,
Stata do-files and dictionaries, CSPro dictionaries.

Under their own extensions these formats are told by a command word or two.  A `.txt` file is
more often a codebook written for people, whose headings may read like a command (`Value
labels`), so here a format needs several of its statements, and its reading competes with the
text readers: the reading that explains more of the document wins.
"""

from __future__ import annotations

import re

from .. import ParseContext

_MIN_STATEMENTS = 3
_SPSS_COMMAND = re.compile(r"^\s*(?:DATA\s+LIST|VAR\w*\s+LAB\w*|VAL\w*\s+LAB\w*|ADD\s+VAL\w*\s+"
                           r"LAB\w*|MIS\w*\s+VAL\w*)\b", re.I | re.M)
# `name "label"` / `1 'label'` lines (also after the command words: `VARIABLE LABELS x "y".`)
_SPSS_PAIR = re.compile(r"^\s*(?:(?:VAR\w*|VAL\w*)\s+LAB\w*\s+)?/?\s*[\w.$#@-]+\s+"
                        r"(?:\"[^\"\n]*\"|'[^'\n]*')\s*\.?\s*$", re.I | re.M)
_SAS_BLOCK = re.compile(r"^\s*(?:proc\s+format\b[^;\n]*;|data\s+[\w.]+\s*;|input\s|attrib\s|"
                        r"label\s+[A-Za-z_])", re.I | re.M)
_SAS_STATEMENT = re.compile(r"^\s*(?:(?:in)?value\s+\$?[A-Za-z_]\w*|@\s*\d+\s+[A-Za-z_]\w*|"
                            r"attrib\s+[A-Za-z_]\w*|[A-Za-z_]\w*\s*=\s*[\"'])", re.I | re.M)
_STATA_STATEMENT = re.compile(r"^\s*(?:(?:qui(?:etly)?|cap(?:ture)?)\s*:?\s+)?la(?:b|be|bel)?\s+"
                              r"(?:var\w*|de(?:f\w*)?|val\w*)\s+[A-Za-z_]\w*", re.I | re.M)
_STATA_DICTIONARY = re.compile(r"^\s*(?:infile\s+|infix\s+)?dictionary\b[^\n{]*\{", re.I | re.M)
_CSPRO = re.compile(r"^\ufeff?\s*\[Dictionary\]\s*$", re.M)


def spss_text(ctx: ParseContext) -> bool:
    """An SPSS command at the start of a line and several `name "label"` lines."""
    text = ctx.head
    return _SPSS_COMMAND.search(text) is not None and _count(_SPSS_PAIR, text)


def sas_text(ctx: ParseContext) -> bool:
    """PROC FORMAT, a DATA step, INPUT, ATTRIB or LABEL, and several of their statements."""
    text = ctx.head
    return _SAS_BLOCK.search(text) is not None and ";" in text and _count(_SAS_STATEMENT, text)


def stata_do_text(ctx: ParseContext) -> bool:
    """Several `label variable/define/values` commands."""
    return _count(_STATA_STATEMENT, ctx.head)


def stata_dct_text(ctx: ParseContext) -> bool:
    """A `dictionary {` block with `_column()` directives or typed entries."""
    text = ctx.head
    return _STATA_DICTIONARY.search(text) is not None and "_column(" in text


def cspro_text(ctx: ParseContext) -> bool:
    """A `[Dictionary]` section line."""
    return _CSPRO.search(ctx.head) is not None


def _count(pattern: re.Pattern, text: str) -> bool:
    """Whether the pattern matches at least `_MIN_STATEMENTS` times."""
    found = 0
    for _ in pattern.finditer(text):
        found += 1
        if found >= _MIN_STATEMENTS:
            return True
    return False
