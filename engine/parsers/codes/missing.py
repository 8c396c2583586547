"""Missing-value codes: labels such as `Refused` or `Don't know`, negative sentinels."""

from __future__ import annotations

import re
from typing import Iterable

from ...model import Category
from .lines import collapse_spaces

_STRONG_MISSING = (
    r"missing(?: data| value)?|system missing|sysmis|refused(?: to answer)?|refusal|"
    r"don'?t know|do not know|dk|rf|dk/na|dk/rf|"
    r"not applicable|n/?a|inapplicable|iap|no answer|no response|non-?response|"
    r"not answered|not asked|not ascertained|not stated|not reported|not recorded|"
    r"legitimate skip|valid skip|skipped|skip|prefer not to (?:say|answer)|"
    r"unknown|unknown/not stated|not known|no data|blank"
)
_MISSING_PART = re.compile(rf"^(?:{_STRONG_MISSING})$", re.I)
_MISSING_HEAD = re.compile(  # `Not applicable (never married)`, `Missing - not asked`
    r"^(?:missing|system missing|refused|don'?t know|not applicable|inapplicable|"
    r"legitimate skip|valid skip|skipped|no answer|prefer not to (?:say|answer))"
    r"(?=$|\s*[-:(,;/–])", re.I)
# a word of every missing label above, without spaces or quotes (which are normalised before
# matching), in lower case: an ASCII label with none of them is no missing label (a non-ASCII
# one may hold letters that match ASCII ones when case is ignored, such as `ſ` or the Kelvin sign)
_MISSING_WORD = re.compile(r"missing|sysmis|refus|know|dk|rf|n/?a|iap|applicable|answer|response|"
                           r"asked|ascertained|stated|reported|recorded|skip|prefer|data|blank")
_TRAILING_PUNCT = re.compile(r"[\s.\-:]+$")
_WHO = re.compile(r"^(?:patient|participant|respondent|subject|client)\s+", re.I)
_PART_SPLIT = re.compile(r"\s*(?:/|,|;|\bor\b|&)\s*")
_SENTINEL = re.compile(r"-\d+(?:\.0+)?")
_LOOSE_MISSING = re.compile(
    r"missing|refus|don'?t know|not applicable|n/a|unknown|skip|not asked|not available|"
    r"no data|no answer|not stated|inapplicable|not collected|no information", re.I)


def is_missing_label(label: str | None) -> bool:
    """Whether a code's label says the code marks a missing value (`Refused`, `Don't know`)."""
    if not label or label.isascii() and not _MISSING_WORD.search(label.lower()):
        return False
    text = _TRAILING_PUNCT.sub("", collapse_spaces(label.replace("’", "'"))).strip()
    text = text.strip("\"'()[]").strip()
    if not text:
        return False
    # `Patient Refused`, `Participant doesn't know`: who refused does not change the meaning
    text = _WHO.sub("", text)
    if _MISSING_HEAD.match(text) or _MISSING_PART.match(text):
        return True
    parts = [p.strip(" .-") for p in _PART_SPLIT.split(text) if p.strip(" .-")]
    return bool(parts) and all(_MISSING_PART.match(p) for p in parts)


def split_missing(categories: Iterable[Category]) -> tuple[list[Category], list[Category]]:
    """(valid codes, missing-value codes): labels like `Refused`, negative sentinels."""
    valid: list[Category] = []
    missing: list[Category] = []
    for c in categories:
        value = c.value.strip()
        sentinel = value[:1] == "-" and _SENTINEL.fullmatch(value) is not None
        if is_missing_label(c.label) or (sentinel and c.label and _LOOSE_MISSING.search(c.label)):
            missing.append(c)
        else:
            valid.append(c)
    return valid, missing
