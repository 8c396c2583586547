"""Code lines: one code of a code list written on its own line."""

from __future__ import annotations

import re

from ...model import Category

_BULLET = re.compile(r"^(?:[-*•·]|--+)\s+")
NUM = r"[-+]?\d+(?:\.\d+)?"
QUOTED = r'"[^"]{1,30}"|“[^”]{1,30}”|\'[^\']{1,30}\''
_VALUE_LINE = re.compile(rf"^-*\s*value\s+({NUM})\s*[:=]\s*(\S.*)$", re.I)
_BRACED = re.compile(r"^\{([^{}]{1,20})\}\s*(\S.*)$")
_QUOTED_PAIR = re.compile(rf"^({QUOTED})\s*[=:,]?\s*({QUOTED}|\S.*)$")
_EQUALS = re.compile(rf"^({NUM}|{QUOTED}|[A-Za-z][\w.\-/]{{0,11}}|\.[a-z]?)\s*=(?!=)\s*(\S.*)$")
_DASHED = re.compile(rf"^({NUM}\s*|[A-Z]{{1,3}}\s+)[-–—]\s+(\S.*)$")  # `2-  Africa` too
# a label holding the next `code = label` of an inline list (callers try the inline list first)
_LIST_IN_LABEL = re.compile(rf"[;,|]\s*(?:{NUM}|{QUOTED}|[A-Za-z]\w{{0,3}})\s*[=:](?!=)")
# `13/14 → First two quartiles`, `1 -> Male`: an arrow between a short code and its label
# (a label in words: `1 -> 2` recodes a value; `Q5 → go to Q7` routes a questionnaire)
_ARROW = re.compile(r"^([^\s→⇒➔]{1,12})\s*(?:→|⇒|➔|->|=>)\s*(?=.*[^\W\d_])"
                    r"(?!(?:go|skip|continue|pase|pasa|passe[rz]?|v[aá]|ir|weiter|gehe)\b)"
                    r"(\S.*)$", re.I)
_NUMBERED = re.compile(rf"^({NUM})\s*[.)]\s+(\S.*)$")
_PAREN_NUM = re.compile(rf"^[(\[]({NUM})[)\]]\s*(\S.*)$")
_COLON = re.compile(r"^([A-Za-z]{0,4}\d+[A-Za-z]?|[A-Z]{1,4}|[A-Za-z])\s*:\s+(\S.*)$")
_COLON_NUM = re.compile(rf"^({NUM})\s*:\s*(\S.*)$")
_TABBED = re.compile(r"^([^\t]{1,16}?)[ ]*\t[\t ]*(\S.*)$")
_SPACED = re.compile(r"^(-?\d{1,3}(?:\.\d+)?)\s+(\S.*)$")  # `5901 E. 7th Street` is no code
_LETTER = re.compile(r"[^\W\d_]")
_SPACES = re.compile(r"\s+")
_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|should|can|could|must|may|contains?|"
    r"includes?|refers?|means?|indicates?|describes?|shows?|see|provided)\b", re.I)
_UNIT_AFTER_NUMBER = re.compile(
    r"^(?:%|percent|per\b|years?\b|months?\b|days?\b|hours?\b|minutes?\b|seconds?\b|"
    r"instances\b|attributes\b|records\b|rows\b|cases\b|times\b)", re.I)


def parse_code_line(line: str) -> Category | None:
    """One code of a code list written on its own line (`1 = Yes`, `A11 : ...`), else None."""
    raw = line.strip().rstrip("\t ")
    if not raw or len(raw) > 300:
        return None
    # each form is tried only when the line holds the marks it needs (a regex costs more)
    text = _BULLET.sub("", raw) if raw[0] in "-*•·" else raw  # (`-1` is no bullet: no blank)
    if ("=" in raw or ":" in raw) and "value" in raw.lower():
        m = _VALUE_LINE.match(text) or _VALUE_LINE.match(raw)
        if m:
            return _category(m.group(1), m.group(2))
    if "\t" in raw:
        tabbed = _TABBED.match(raw)
        if tabbed and _short_code(tabbed.group(1)):
            return _category(*tabbed.groups())
    first = text[0]
    signed = first in "+-" or first.isdecimal()  # `\d` is a decimal digit
    colon = ":" in text
    for pattern, strict, possible in (
            (_BRACED, False, first == "{"), (_QUOTED_PAIR, False, first in "\"“'"),
            (_EQUALS, False, "=" in text and "=>" not in text),
            (_ARROW, False, "→" in text or "⇒" in text or "➔" in text or "->" in text
             or "=>" in text),
            (_DASHED, True, "-" in text or "–" in text or "—" in text),
            (_COLON, False, colon), (_COLON_NUM, False, colon), (_PAREN_NUM, True, first in "(["),
            (_NUMBERED, True, signed and ("." in text or ")" in text)), (_SPACED, True, signed)):
        m = pattern.match(text) if possible else None
        if m and _label_ok(m.group(2), strict, pattern is _SPACED, pattern is _NUMBERED):
            return _category(m.group(1).strip(), m.group(2))
    return None


def label_holds_list(label: str | None) -> bool:
    """Whether a label runs on into the next codes of a list (`Male; 1=Female; 2=Other`)."""
    return bool(label) and _LIST_IN_LABEL.search(label) is not None


def _short_code(code: str) -> bool:
    """A TAB-separated code is short: a token or two, not a phrase."""
    code = code.strip()
    return bool(code) and len(code.split()) <= 2 and not code.endswith(":")


def _label_ok(label: str, strict: bool, spaced: bool, numbered: bool) -> bool:
    """Whether the text after a code reads as a label rather than a sentence."""
    label = label.strip()
    if not label or "=" in label and strict:
        return False
    if not strict:
        return True
    words = label.split()
    if not _LETTER.search(label) or len(words) > 10:
        return False  # `1   0   1` is a row of numbers; twelve words are a sentence
    if _VERB.search(label) or _UNIT_AFTER_NUMBER.match(label):
        return False  # `2014 was a year`, `20 percent of ...`
    if label.endswith(".") and len(words) >= 5:
        return False
    if numbered and ":" in label:
        return False  # `1. Title: German Credit data` is a numbered heading
    if spaced and not (label[0].isupper() or label[0] in "\"'“(" or len(words) <= 2):
        return False
    return label[0].isalnum() or label[0] in "\"'“(<>≤≥.$"


def _category(code: str, label: str | None) -> Category | None:
    value = unquote(code.strip())
    if not value:
        return None
    return Category(value, clean_label(label) if label is not None else None)


def unquote(s: str) -> str:
    if len(s) >= 2 and s[0] + s[-1] in ('""', "''", "“”", "‘’", "``"):
        return s[1:-1].strip()
    return s


# a label that repeats its own code first: `(9) Don't know`, `[2] No`, `9. Refused`, `NA: not
# asked`, `1 - Yes` (SPSS and SAS labels often do); a bare blank is no separator (`10 or more`)
_OWN_CODE = re.compile(r"\s*(?:\(\s*([^()\s]{1,12})\s*\)|\[\s*([^\[\]\s]{1,12})\s*\]|"
                       r"([-+]?\d+(?:\.\d+)?)\s*(?:[.):=]|\s[-–—])|"
                       r"(\.?[A-Za-z]{1,3})\s*(?:[):=]|\s[-–—]))\s*"
                       r"(?=[^\W\d_]|[\"'“(¿¡])")
_DOUBLED_QUOTE = re.compile(r"(?<=\w)''(?=\w)")


def tidy_label(value: str, label: str | None) -> str | None:
    """A label without the quotes and the copy of its own code a statistics package wrote
    (`'(9) Don''t know'` for code 9 -> `Don't know`)."""
    if not label:
        return label
    text = clean_label(label)
    if "''" in text:
        text = _DOUBLED_QUOTE.sub("'", text)
    m = _OWN_CODE.match(text)
    if m and same_code(next(g for g in m.groups() if g is not None), value):
        rest = text[m.end():].strip()
        if rest:
            text = clean_label(rest)
    return text


def same_code(a: str, b: str) -> bool:
    """`09` and `9`, `-9.00` and `-9`, `na` and `NA` are the same code."""
    a, b = a.strip(), b.strip()
    if a.lower() == b.lower():
        return True
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def clean_label(label: str) -> str:
    """Whitespace collapsed, quotes and trailing separators removed."""
    label = collapse_spaces(label).strip().rstrip(";,").strip()
    return unquote(label)


def collapse_spaces(text: str) -> str:
    """Each run of white space as one blank (`\\s+` -> ` `).  A printable string has no white
    space but blanks, so most labels need no regex."""
    if text.isprintable() and "  " not in text:
        return text
    return _SPACES.sub(" ", text)
