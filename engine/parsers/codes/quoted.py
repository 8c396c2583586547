"""Values written in quotes or backticks one after another: `"none", "light", "moderate",
"heavy"`, `` `Male` or `Female` ``, `'active', 'inactive', 'pending'`.  Each value is its own
label.  Names a thing is also called (`known as "BMI" or "Quetelet index"`), examples and
markers of a missing value (`'NULL' or 'n/a'`) are no code list."""

from __future__ import annotations

import re

from ...model import Category
from .missing import is_missing_label

_QUOTED_ITEM = re.compile(r"\"([^\"\n]{1,40})\"|“([^”\n]{1,40})”|`([^`\n]{1,40})`|"
                          r"(?<!\w)'([^'\n]{1,40})'(?!\w)|‘([^’\n]{1,40})’")
_RUN_SEP = re.compile(r"\s*(?:[,;/]\s*)?(?:(?:or|and|o|y|ou|et|oder|und|e)\s+)?", re.I)
_COLON_BEFORE = re.compile(r":\s*$")
_CHOICE = re.compile(r"/|\b(?:or|o|ou|oder)\b", re.I)
_ALIAS = re.compile(r"\b(?:called|known as|aka|also|named|abbreviated|labell?ed|written|"
                    r"spelled|e\.g\.?|such as|like|including|include|examples?|for example|"
                    r"llamad[oa]|chamad[oa]|appel[ée]e?|genannt|z\.\s?B\.?|ej\.|p\. ?ex\.?)"
                    r"\s*:?\s*$", re.I)
_NO_VALUE = {"null", "none", "nan", "n/a", "na", "", ".", "nil", "empty"}


def quoted_values(text: str) -> list[Category]:
    """Quoted values one after another (`"none", "light", "moderate", "heavy"`, `` `Male` or
    `Female` ``): three or more, or two offered as a choice (`or`, `/`), after a colon or
    alone in the text; not names a thing is also called (`known as "BMI" or "Quetelet index"`)."""
    if '"' not in text and "“" not in text and "`" not in text and "‘" not in text and \
            text.count("'") < 4:
        return []
    run: list[re.Match[str]] = []
    best: list[re.Match[str]] = []
    for m in _QUOTED_ITEM.finditer(text):
        if run and _RUN_SEP.fullmatch(text, run[-1].end(), m.start()):
            run.append(m)
        else:
            run = [m]
        if len(run) > len(best):
            best = list(run)
    if len(best) < 2 or _ALIAS.search(text, 0, best[0].start()):
        return []
    choice = any(_CHOICE.search(text, a.end(), b.start()) for a, b in zip(best, best[1:]))
    values = [next(g for g in m.groups() if g is not None) for m in best]
    if any(len(v.split()) > 4 or "=" in v for v in values):
        return []
    if all(v.strip().lower() in _NO_VALUE or is_missing_label(v) for v in values):
        return []
    cued = _COLON_BEFORE.search(text, 0, best[0].start()) is not None
    # a text that is nothing but the quoted values lists them (`"survey_start", "survey_end"`)
    alone = not text[:best[0].start()].strip() and not text[best[-1].end():].strip(" .;")
    if len(best) < 3 and not choice and not cued and not alone:
        return []
    return [Category(v) for v in dict.fromkeys(values)]
