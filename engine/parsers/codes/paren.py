"""Code lists that put a code or its label in brackets: `chosen (1) or not (0)`, `important
(=1) or minor (=0)`, `house bill (hr), senate bill (s), joint resolution (hjres)`, `"DI"
(Discovery Islands), "JS" (Johnstone Strait)`, `1 (Yes), 2 (No)`, `majority party (=1, 0
otherwise)`.

Each finder needs the form to repeat and its items to follow each other with nothing but a
separator between them; anything else is prose and gives [].
"""

from __future__ import annotations

import re

from ...model import Category
from .lines import NUM, clean_label
from .measures import is_unit_name

_NUMBER = re.compile(NUM)
# a label's code in brackets: `(1)`, `(=1)`, `(hr)`; a blank before the bracket (`name(s)`)
_PAREN_CODE = re.compile(rf"(?<=\s)\(\s*(=\s*)?({NUM}|[A-Za-z][A-Za-z0-9]{{0,5}})\s*\)")
_JOIN = re.compile(r"^\s*(?:(?:,|;|/|\|)\s*)?(?:(or|and|o|y|ou|et|oder|und)\s+)?(.{1,50}?)\s*$",
                   re.I)
_LEAD_WORDS = {"was", "is", "are", "were", "be", "been", "being", "whether", "if", "the", "a",
               "an", "it", "has", "have", "had", "either", "as", "for", "of", "to", "when",
               "coded", "code", "codes", "dummy", "indicator"}
_ARTICLES = {"a", "an", "the"}
_PREPOSITIONS = {"in", "on", "at", "into", "from", "by", "with", "without", "outside", "inside"}
_WORD = re.compile(r"[^\W_][\w'’+-]*")
_LIST_START = re.compile(r"[:;,.(\[]\s*")
_CUED = re.compile(r":\s*$|\beither\s*$", re.I)
_ENDS = re.compile(r"\s*(?:$|[.;:\n]|[)\]]\s*(?:$|[.;]))")
_QUOTED_END = re.compile(r"[\"“'‘`][^\"”'’`\s]{1,12}[\"”'’`]`?\s*$")  # `"m"`, `` `"m"` ``
_OPENING_VERB = re.compile(r"^(?:was|is|were|are|has|had|have)\s+(?=\S)", re.I)
_VERB = re.compile(r"\b(?:is|are|was|were|has|have|will|would|should|can|could|must|may|"
                   r"see|used|based|means|contains?|includes?)\b", re.I)


def paren_codes(text: str) -> list[Category]:
    """Codes of a list that puts codes or labels in brackets, else []."""
    if "(" not in text:
        return []
    for finder in (_code_then_label, _label_then_code, _eq_otherwise):
        found = finder(text)
        if found:
            return found
    return []


# ---- `label (code)` --------------------------------------------------------------------------
def _label_then_code(text: str) -> list[Category]:
    """`chosen (1) or not (0)`, `important (=1) or minor (=0)`, `house bill (hr), senate bill
    (s), house joint resolution (hjres)`."""
    matches = list(_PAREN_CODE.finditer(text))
    if len(matches) < 2:
        return []
    first = _first_label(text[:matches[0].start()])
    if not first or _QUOTED_END.search(text, 0, matches[0].start()):
        return []  # `"m" (male)`: a quoted token is the code, its label in brackets
    out = [Category(matches[0].group(2), first)]
    saw_or = False
    for prev, m in zip(matches, matches[1:]):
        join = _JOIN.match(text[prev.end():m.start()])
        # `had comorbidities (1) or was otherwise healthy (0)`: a label may open on its verb
        if not join or len(join.group(2).split()) > 5 or _VERB.search(
                _OPENING_VERB.sub("", join.group(2))):
            return []
        saw_or = saw_or or join.group(1) is not None and join.group(1).lower() != "and" \
            or "/" in text[prev.end():m.start()] or "|" in text[prev.end():m.start()]
        out.append(Category(m.group(2), _negation(clean_label(join.group(2)), out) or
                            m.group(2)))
    values = [c.value for c in out]
    if len(set(values)) != len(values):
        return []
    equals = all(m.group(1) for m in matches)
    if all(_NUMBER.fullmatch(v) for v in values):
        return out if saw_or or equals else []
    if any(_NUMBER.fullmatch(v) for v in values) or not _ENDS.match(text, matches[-1].end()):
        return []
    if any(is_unit_name(v) for v in values):
        return []  # `age (years) or weight (kg)` names units
    # letters: a list of three, a choice (`male (m) or female (f)`), or a list announced by a
    # colon (`Chamber: House (H), Senate (S)`); `the WHO (WHO) and the UN (UN)` is none
    cued = _CUED.search(text, 0, _label_start(text[:matches[0].start()])) is not None
    return out if len(out) >= 3 or cued or saw_or else []


def _label_start(before: str) -> int:
    """Where the first label's segment starts (after the last `:`, `,` or bracket)."""
    start = 0
    for m in _LIST_START.finditer(before):
        start = m.start()
    return start + 1 if start else 0


def _first_label(before: str) -> str | None:
    """The label before the first bracket: the words after the last list mark and after the
    last lead word (`Whether the amendment is important (=1)` -> `important`), up to four."""
    segment = before[_label_start(before):]
    words = _WORD.findall(segment)
    for i in range(len(words) - 1, -1, -1):
        if words[i].lower() in _ARTICLES and i and words[i - 1].lower() in _PREPOSITIONS:
            continue  # `died in a hospital (0)`: the article opens a phrase of the label
        if words[i].lower() in _LEAD_WORDS:
            words = words[i + 1:]
            break
    words = words[-4:]
    return " ".join(words) if words else None


def _negation(label: str, before: list[Category]) -> str | None:
    """`not` after `chosen (1)` means `not chosen`; after a long label it says nothing more."""
    if label.lower() not in ("not", "if not"):
        return label
    first = before[0].label if before else None
    return f"not {first}" if first and len(first.split()) <= 3 else None


# ---- `code (label)` --------------------------------------------------------------------------
# a quoted code may sit in a code span too (Markdown's `` `"m"` (male) ``)
_CODE_LABEL = re.compile(rf"(?<![\w.])(?:`?[\"“'‘`]([^\"”'’`\s]{{1,12}})[\"”'’`]`?|({NUM}))"
                         rf"\s*\(([^()]{{1,60}})\)")
_ONLY_AND = re.compile(r"\s*(?:and|y|e|et|und)\s+", re.I)
_SEPARATOR = re.compile(r"\s*(?:[,;/]\s*|\s[-–—]\s+)?(?:(?:or|and|o|y|ou|et|oder|und)\s+)?$", re.I)


def _code_then_label(text: str) -> list[Category]:
    """`"DI" (Discovery Islands), "JS" (Johnstone Strait)`, `1 (Yes), 2 (No), 9 (Refused)`."""
    matches = list(_CODE_LABEL.finditer(text))
    runs: list[list[re.Match[str]]] = []
    for m in matches:
        if runs and _SEPARATOR.fullmatch(text, runs[-1][-1].end(), m.start()):
            runs[-1].append(m)
        else:
            runs.append([m])
    for run in runs:
        if len(run) < 2 or len({bool(m.group(1)) for m in run}) > 1:
            continue
        if run[0].group(2) and all(_ONLY_AND.fullmatch(text, a.end(), b.start())
                                   for a, b in zip(run, run[1:])):
            continue  # `at visit 3 (baseline) and 6 (follow-up)` tells of two visits
        out = [Category(m.group(1) or m.group(2), clean_label(m.group(3))) for m in run]
        if len({c.value for c in out}) == len(out) and all(
                len((c.label or "").split()) <= 8 and not _VERB.search(c.label or "")
                for c in out):
            return out
    return []


# ---- `label (=1, 0 otherwise)` ---------------------------------------------------------------
_EQ_OTHERWISE = re.compile(
    rf"\(\s*(?:=\s*({NUM})|({NUM})\s*=\s*([^(),;=]{{1,40}}?))\s*[,;]\s*({NUM})\s*"
    rf"(?:=\s*)?(?:otherwise|else|if not|sonst|sinon|en otro caso|caso contr[aá]rio)\s*\)",
    re.I)


def _eq_otherwise(text: str) -> list[Category]:
    """`Dummy for majority party (=1, 0 otherwise)`, `(1 = yes, 0 otherwise)`."""
    m = _EQ_OTHERWISE.search(text)
    if not m:
        return []
    code = m.group(1) or m.group(2)
    label = clean_label(m.group(3)) if m.group(3) else _first_label(text[:m.start()])
    if not label or code == m.group(4):
        return []
    return [Category(code, label), Category(m.group(4), "otherwise")]
