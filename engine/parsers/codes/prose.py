"""Code lists written as prose: `"Y" if approved, "N" if denied`, `One of: a, b, c`,
`either single crystal, polycrystalline, or nanoparticles`, `matched: 1 or 2`,
`chosen (1) or not (0)`, `1/0 indicating ...`.

Each finder needs the form to repeat (two codes or more) and to run to the end of its list;
anything else is prose and gives [].
"""

from __future__ import annotations

import re

from ...model import Category
from .lines import clean_label
from .measures import is_unit_name
from .enumerated import enumerated_codes
from .paren import paren_codes
from .quoted import quoted_values

_OPEN_Q = "\"'‘’“”`«»"
# words that give a code its meaning (`1 means yes`, `0 significa “Hombre”`) and words that give
# it a condition (`1 if yes`, `1 si oui`); a year may only take the first kind
_MEAN_VERB = (r"means|meaning|indicates|indicating|denotes|denoting|represents|representing|"
              r"stands\s+for|significa|signifie|bedeutet|steht\s+f(?:ü|ue)r|représente|"
              r"representa|indica|indique|corresponde\s+a|correspond\s+à|entspricht")
_COND_VERB = r"if|when|for|si|cuando|quand|quando|wenn|falls"
# `"Y" if approved`, `Y' if approved`, `1 if yes`, `0 significa “Hombre”`: a short code, then a
# verb; or, inside a list the verb has begun, a code and its label in quotes (`1105 “Entre …”`)
_IF_ITEM = re.compile(
    rf"(?<![\w{_OPEN_Q}])([{_OPEN_Q}]?)([-+]?\d+(?:\.\d+)?|[A-Za-z][A-Za-z0-9]{{0,2}})"
    rf"([{_OPEN_Q}]?)\s+(?:[“\"]\s*)?(?:({_MEAN_VERB})\s+|({_COND_VERB})\s+|(?=[“«\"]))")
_IF_HINT = re.compile(rf"\s(?:{_MEAN_VERB}|{_COND_VERB})\s", re.I)
_CONJ = r"\b(?:or|and|y|e|et|und|o|ou|oder)\b"
_IF_GAP = re.compile(rf"(?:[;,]|{_CONJ}|…|\.\.\.)\s*(?:{_CONJ}|…|\.\.\.)?\s*$")
_OTHERWISE = re.compile(rf"\s*(?:[,;]\s*|\s(?:and|or|y|o|et|ou|und|oder)\s+|,\s*(?:and|or)\s+)"
                        rf"[{_OPEN_Q}]?([-+]?\d+|[A-Z]{{1,3}})[{_OPEN_Q}]?\s+(?:otherwise|else|"
                        rf"if not|sinon|si no|de lo contrario|en caso contrario|caso contrário|"
                        rf"sonst|andernfalls)\b")
_QUOTED_LABEL = re.compile(r"^\s*[“«\"]([^“”«»\"]+)[”»\"]")
_SENTENCE_END = re.compile(r"\.(?:\s|$)|;|\n")
_LAST_END = re.compile(r"\.(?:\s|$)|;|\n|\s*[)\]]\s*(?:[.;,]|$)")
_CUE = re.compile(
    r"\b(?:one of|any of|possible values|allowed values|valid values|values|options|"
    r"categories|levels|choices|valores(?: posibles| possíveis)?|opciones|opções|categorías|"
    r"categorias|valeurs(?: possibles)?|modalités|werte|ausprägungen|kategorien)\s*:\s*", re.I)
_VALUES_WORD = (r"\b(?:possible values|allowed values|valid values|values|valores(?: posibles| "
                r"possíveis| válidos)?|valeurs(?: possibles)?|werte|ausprägungen|codes|"
                r"options|categories|levels|choices)")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_VALUES_HINTS = ("valu", "valor", "valeur", "wert", "ausprägung", "code", "option", "categor",
                 "level", "choice")
# a pair of brackets (`(0, 1]` is an interval)
_CUE_BRACKET = re.compile(rf"{_VALUES_WORD}\s*(?:are|is|:|=|son|sont|sind|são|as)?\s*"
                          r"(?:\(([^()\[\]{}]{1,80})\)|\[([^()\[\]{}]{1,80})\]|"
                          r"\{([^()\[\]{}]{1,80})\})", re.I)
_SHORT_ITEM = r"(?:[-+]?\d+(?:\.\d+)?|[A-Za-z0-9]{1,3})"
_CUE_ARE = re.compile(rf"{_VALUES_WORD}\s+(?:are|is|son|sont|sind|são)\s+"
                      rf"({_SHORT_ITEM}(?:\s*(?:,|\bor\b|\band\b|,\s*or\b|,\s*and\b)\s*"
                      rf"{_SHORT_ITEM})+)\s*(?:$|[.;)\n])", re.I)
_ITEM_SPLIT = re.compile(r"\s*,\s*(?:(?:or|and|o|y|ou|et|oder|und)\s+)?|\s+(?:or|o|ou|oder)\s+")
_EITHER = re.compile(r"(?:^|[.:;]\s+)either\s+", re.I)
_TAIL = re.compile(r":\s*((?:[-+]?\d+|[A-Za-z0-9]{1,3})(?:\s*,\s*(?:[-+]?\d+|[A-Za-z0-9]{1,3}))*"
                   r"(?:\s*,?\s+(?:or|and)\s+(?:[-+]?\d+|[A-Za-z0-9]{1,3})|"
                   r"\s*,\s*(?:[-+]?\d+|[A-Za-z0-9]{1,3})))\s*\.?\s*$")
_FLAG = re.compile(r"(?:^|\b)(1/0|0/1|Y/N|N/Y|T/F|F/T|yes/no|no/yes)\s+(?:value\s+)?"
                   r"(?:indicating|indicates|to indicate|flag(?:ging)?|for)\b", re.I)
_FLAG_VALUES = {"1": "1", "0": "0", "y": "Y", "n": "N", "t": "T", "f": "F", "yes": "yes",
                "no": "no"}
# a list of examples is no complete code list
_EXAMPLES = re.compile(r"(?:e\.g\.?|i\.e\.?|examples?|such as|like|including|include|z\.\s?B\.?|"
                       r"ej\.|ejemplos?|exemples?|por exemplo|par exemple|beispiele?)\s*:?\s*$",
                       re.I)
_VERB = re.compile(r"\b(?:is|are|was|were|has|have|will|would|should|can|could|must|may|"
                   r"see|used|based|means|contains?|includes?)\b", re.I)


def prose_codes(text: str) -> list[Category]:
    """Codes of a list written as prose, else []."""
    for finder in (_if_codes, _value_led, _cue_list, _cue_bracket, _either_list, _tail_list,
                   paren_codes, quoted_values, enumerated_codes, _flag_pair, _trailing_pairs):
        found = finder(text)
        if found:
            return found
    return []


def _if_codes(text: str) -> list[Category]:
    """`"Y" if approved, "N" if denied`; `1 if yes, 0 if no`; `0 significa “Hombre” y 1
    significa “Mujer”`; `1101 significa “A”, 1102 “B”` (a quoted label once the verb is set)."""
    if not _IF_HINT.search(text):
        return []
    matches = _if_items(text)
    if len(matches) == 1:
        return _if_otherwise(text, matches[0]) or _verb_elided(text, matches[0])
    if len(matches) < 2:
        return []
    out: list[Category] = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        label = text[m.end():end]
        if i + 1 < len(matches):
            gap = _IF_GAP.search(label)
            if not gap:
                return out if len(out) >= 2 else []
            label = label[:gap.start()]
        else:
            quoted = _QUOTED_LABEL.match(label)
            stop = _LAST_END.search(label)
            label = quoted.group(1) if quoted else label[:stop.start()] if stop else label
        label = clean_label(label.strip(_OPEN_Q + " "))
        if not label or len(label.split()) > 8:
            return out if len(out) >= 2 else []
        out.append(Category(m.group(2), _negation(label, out) or m.group(2)))
    return out if len(out) >= 2 else []


def _if_items(text: str) -> list[re.Match[str]]:
    """The code items of an if/means list; a code with only a quoted label counts after two
    items with a verb have set the form."""
    matches = [m for m in _IF_ITEM.finditer(text) if _code_like(m)]
    verbed = [m for m in matches if not _verbless(m)]
    if len(verbed) < 2:
        return verbed
    return [m for m in matches if m.start() >= verbed[0].start()]


def _verbless(m: re.Match[str]) -> bool:
    return m.group(4) is None and m.group(5) is None


def _if_otherwise(text: str, m: re.Match[str]) -> list[Category]:
    """`1 if the patient died, 0 otherwise`."""
    other = _OTHERWISE.search(text, m.end())
    if not other:
        return []
    label = clean_label(text[m.end():other.start()].strip(_OPEN_Q + " "))
    if not label or len(label.split()) > 8 or other.group(1) == m.group(2):
        return []
    return [Category(m.group(2), label), Category(other.group(1), "otherwise")]


_ELIDED = re.compile(r"\s*(.{1,80}?)\s*(?:,\s*)?\b(?:y|e|and|et|und)\s+([-+]?\d{1,6})\s+"
                     r"([^\W\d_][^.;]{0,80}?)\s*(?:\.(?:\s|$)|;|$)")


def _verb_elided(text: str, m: re.Match[str]) -> list[Category]:
    """`donde 0 indica perfiles femeninos y 1 perfiles masculinos`: a second number code
    whose verb the sentence leaves out."""
    if not m.group(4) or not _NUMBER.fullmatch(m.group(2)):
        return []
    e = _ELIDED.match(text, m.end())
    if not e or e.group(2) == m.group(2):
        return []
    first, second = clean_label(e.group(1)), clean_label(e.group(3))
    if not first or not second or any(len(x.split()) > 8 or _VERB.search(x)
                                      for x in (first, second)):
        return []
    if is_unit_name(second.split()[0]) or second.split()[0].lower() in ("times", "veces"):
        return []  # `... and 2 weeks later` counts something
    return [Category(m.group(2), first), Category(e.group(2), second)]


_VALUE_LED = re.compile(
    r"(?:\b(y|e|o|and|or)\s+|,\s*)?(\bcon\s+(?:(?:un|el)\s+)?(?:valor(?:es)?\s+(?:de\s+)?)?|"
    r"\bwith\s+(?:(?:a|the)\s+)?(?:value\s+(?:of\s+)?)?)?(?<![\w.,-])([-+]?\d{1,4})\s+"
    r"(?:al|a\s+la|a\s+las|a\s+los|si|cuando|if|when)\s+(?=[^\W\d_])", re.I)


def _value_led(text: str) -> list[Category]:
    """`indica con valor 1 al jefe de hogar declarado y 0 al resto de individuos`, `indica con
    1 si se trata de una carrera ... y con 0 si no lo hace`: codes led by `con`/`with`, each
    then its condition or whom it marks."""
    items = list(_VALUE_LED.finditer(text))
    if len(items) < 2 or not items[0].group(2):
        return []
    out: list[Category] = []
    for i, m in enumerate(items):
        if i and not (m.group(1) or m.group(0).startswith(",")):
            break
        end = items[i + 1].start() if i + 1 < len(items) else None
        label = text[m.end():end]
        if end is None:
            stop = _SENTENCE_END.search(label)
            label = label[:stop.start()] if stop else label
        elif _SENTENCE_END.search(label):
            break
        label = clean_label(label.strip())
        if not label or len(label.split()) > 14:
            break
        out.append(Category(m.group(3), label))
    values = [c.value for c in out]
    return out if len(out) >= 2 and len(set(values)) == len(values) else []


_TRAILING = re.compile(r"(?:\.\s+)((?:[-+]?\d{1,3}\s+[^\W\d_][^\W\d_'’-]*"
                       r"(?:\s+[^\W\d_][^\W\d_'’-]*){0,3}\s+){1,12}"
                       r"[-+]?\d{1,3}\s+[^\W\d_][^\W\d_'’-]*(?:\s+[^\W\d_][^\W\d_'’-]*){0,3})"
                       r"\s*\.?\s*$")
_TRAILING_ITEM = re.compile(r"([-+]?\d{1,3})\s+(\D+?)\s*(?=[-+]?\d|$)")


def _trailing_pairs(text: str) -> list[Category]:
    """`... que se registra en la encuesta. 1 Urbana 0 Rural`: after the last full sentence,
    codes each followed by a label in capitals, to the end of the text (after a colon, bare
    numbers that do not increase are prose: `Answer: 3 Yes 2 No 1 Maybe`)."""
    m = _TRAILING.search(text.strip())
    if not m:
        return []
    out = [Category(c, label.strip()) for c, label in _TRAILING_ITEM.findall(m.group(1))]
    values = [c.value for c in out]
    if len(out) < 2 or len(set(values)) != len(values) or not all(
            c.label and c.label[0].isupper() and not _VERB.search(c.label) for c in out):
        return []
    return out


def _negation(label: str, before: list[Category]) -> str | None:
    """`not` after `chosen (1)` means `not chosen`; after a long label it says nothing more."""
    if label.lower() not in ("not", "if not"):
        return label
    first = before[0].label if before else None
    return f"not {first}" if first and len(first.split()) <= 3 else None


def _code_like(m: re.Match[str]) -> bool:
    """A quoted code, a number, or one to three capitals (`or if` is no code; `2010 for all
    states` names a year, while `1101 significa …` and `1101 “…”` give a code its label)."""
    code = m.group(2)
    number = code.lstrip("+-").replace(".", "").isdigit()
    if _verbless(m):
        return number and len(code.lstrip("+-")) <= 6
    if m.group(1) or m.group(3):
        return True
    if number:
        return len(code.lstrip("+-")) <= (6 if m.group(4) else 3)
    return code.isupper()


def _cue_list(text: str) -> list[Category]:
    """`One of: Hispanic, Non-Hispanic, Declined`, `Values: a, b, c` (to the sentence end)."""
    if ":" not in text:
        return []
    m = _CUE.search(text)
    if not m or _EXAMPLES.search(text, 0, m.start()):
        return []
    rest = text[m.end():]
    stop = _SENTENCE_END.search(rest)
    return _glossed(_items(rest[:stop.start()] if stop else rest, max_words=5))


_GLOSSED = re.compile(r"^(\S{1,30})\s*\(([^()]*[^\W\d_][^()]*)\)$")


def _glossed(found: list[Category]) -> list[Category]:
    """`Point (punto) o LineString (cadena lineal)`: when every item is one word with its
    meaning in brackets, the word is the value and the bracket its label."""
    pairs = [_GLOSSED.match(c.value) for c in found]
    if found and all(pairs):
        return [Category(m.group(1), m.group(2).strip()) for m in pairs]
    return found


def _cue_bracket(text: str) -> list[Category]:
    """`Values are (1,2,3)`, `possible values [a, b, c]`, `values are 1, 2 or 3`: values
    without labels, only where the text says they are the values."""
    low = text.lower()
    if not any(w in low for w in _VALUES_HINTS):
        return []
    m = _CUE_BRACKET.search(text)
    if m and not _EXAMPLES.search(text, 0, m.start()):
        found = _items(next(g for g in m.groups() if g is not None), max_words=3)
        if m.group(2) and len(found) == 2 and all(_NUMBER.fullmatch(c.value) for c in found):
            return []  # `values in [0, 1]` is an interval
        return found
    m = _CUE_ARE.search(text)
    if m and not _EXAMPLES.search(text, 0, m.start()):
        return _items(m.group(1), max_words=1)
    return []


def _either_list(text: str) -> list[Category]:
    """`Either single crystal, polycrystalline, or nanoparticles.` (three values or more)."""
    m = _EITHER.search(text) if "ither" in text else None
    if not m:
        return []
    rest = text[m.end():]
    stop = _SENTENCE_END.search(rest)
    if stop and rest[stop.end():].strip():
        return []  # the list must close its sentence and the text
    found = _items(rest[:stop.start()] if stop else rest, max_words=3)
    return found if len(found) >= 3 else []


def _tail_list(text: str) -> list[Category]:
    """`... were matched: 1 or 2`, `store models: a, b, c, d` closing the text."""
    m = _TAIL.search(text) if ":" in text else None
    if not m or _EXAMPLES.search(text, 0, m.start()):
        return []
    return _items(m.group(1), max_words=1)


def _items(text: str, max_words: int) -> list[Category]:
    """Short items of a comma list as unlabelled codes; [] when an item reads as prose."""
    items = [i.strip().strip(_OPEN_Q).strip() for i in _ITEM_SPLIT.split(text.strip())]
    items = [i for i in items if i]
    if len(items) < 2 or any(len(i) > 40 or len(i.split()) > max_words or "=" in i
                             or _VERB.search(i) for i in items):
        return []
    values = list(dict.fromkeys(items))
    return [Category(v) for v in values] if len(values) >= 2 else []


def _flag_pair(text: str) -> list[Category]:
    """`1/0 indicating female`: the first code marks what is indicated, the second its absence."""
    if "/" not in text:
        return []
    m = _FLAG.search(text)
    if not m:
        return []
    first, second = (_FLAG_VALUES[v.lower()] for v in m.group(1).split("/"))
    return [Category(first, "yes"), Category(second, "no")]
