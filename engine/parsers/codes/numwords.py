"""Numbers written as words, 0 to 100, in English, Spanish, Portuguese, French and German
(`thirty-one`, `treinta y uno`, `trinta e um`, `trente et un`, `einunddreißig`), replaced by
digits so a range stated in words reads like one stated in numbers.

Articles that are also the word for one (`un`, `une`, `um`, `uma`, `ein`, `eine`, `a`) count only
inside a compound (`veintiuno`, `trente et un`, `einundzwanzig`).
"""

from __future__ import annotations

import re
from functools import lru_cache

_EN_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
             "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
             "seventeen", "eighteen", "nineteen"]
_EN_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ES_UNITS = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
             "diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete",
             "dieciocho", "diecinueve", "veinte", "veintiuno", "veintidós", "veintitrés",
             "veinticuatro", "veinticinco", "veintiséis", "veintisiete", "veintiocho",
             "veintinueve"]
_ES_TENS = ["treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"]
_PT_UNITS = ["zero", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove",
             "dez", "onze", "doze", "treze", "catorze", "quinze", "dezesseis", "dezessete",
             "dezoito", "dezenove"]
_PT_TENS = ["vinte", "trinta", "quarenta", "cinquenta", "sessenta", "setenta", "oitenta",
            "noventa"]
_FR_UNITS = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
             "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept",
             "dix-huit", "dix-neuf"]
_FR_TENS = ["vingt", "trente", "quarante", "cinquante", "soixante"]
_DE_UNITS = ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun",
             "zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn",
             "achtzehn", "neunzehn"]
_DE_TENS = ["zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig",
            "neunzig"]
# one as it reads inside a compound (`y uno`, `e um`, `et un`, `einund-`)
_ARTICLES = {"un", "une", "um", "uma", "ein", "eine", "a", "uno"}


def _table() -> dict[str, int]:
    """Every spelling of 0-100 in the five languages, lower case."""
    t: dict[str, int] = {}
    for units, tens, joins, base in ((_EN_UNITS, _EN_TENS, ("-", " "), 20),
                                     (_ES_UNITS, _ES_TENS, (" y ",), 30),
                                     (_PT_UNITS, _PT_TENS, (" e ",), 20),
                                     (_DE_UNITS, _DE_TENS, (), 20)):
        for i, w in enumerate(units):
            t.setdefault(w, i)
        for k, w in enumerate(tens):
            ten = base + 10 * k
            t.setdefault(w, ten)
            for i in range(1, 10):
                for j in joins:
                    t.setdefault(f"{w}{j}{units[i]}", ten + i)
    for i in range(1, 10):  # German: ein-und-zwanzig, one word
        for k, w in enumerate(_DE_TENS):
            t[f"{'ein' if i == 1 else _DE_UNITS[i]}und{w}"] = 20 + 10 * k + i
    t.update({"dezasseis": 16, "dezassete": 17, "dezanove": 19, "dieciseis": 16,
              "veintidos": 22, "veintitres": 23, "veintiseis": 26, "zéro": 0,
              "einhundert": 100, "hundert": 100, "hundred": 100, "one hundred": 100,
              "a hundred": 100, "cien": 100, "cem": 100, "cent": 100, "ciento": 100,
              "dreissig": 30})
    t.update(_french())
    return {k: v for k, v in t.items() if k not in _ARTICLES}


def _french() -> dict[str, int]:
    """French 0-99: `vingt et un`, `vingt-deux`, `soixante-dix`, `quatre-vingt-dix-neuf`."""
    t = {w: i for i, w in enumerate(_FR_UNITS)}
    for k, w in enumerate(_FR_TENS):
        ten = 20 + 10 * k
        t[w] = ten
        t[f"{w} et un"] = t[f"{w}-et-un"] = ten + 1
        for i in range(2, 10):
            t[f"{w}-{_FR_UNITS[i]}"] = ten + i
    t["soixante et onze"] = t["soixante-et-onze"] = 71
    for i in range(10, 20):
        t[f"soixante-{_FR_UNITS[i]}"] = 60 + i
    t["quatre-vingt"] = t["quatre-vingts"] = 80
    for i in range(1, 20):
        t[f"quatre-vingt-{_FR_UNITS[i]}"] = 80 + i
    return t


_WORDS = _table()
# the single words that occur in any spelling: a text without one needs no regex
_TOKENS = {part for w in _WORDS for part in re.split(r"[\s-]+", w)} - _ARTICLES - {
    "y", "e", "et", "und", "a"}
_WORD_TOKEN = re.compile(r"[^\W\d_]+")
_JOINER = re.compile(r"[\s-]+")
_LONGEST = max(len(_JOINER.split(w)) for w in _WORDS)
# the first words of the spellings of more than one word (`thirty` of `thirty-one`)
_STARTS = {_JOINER.split(w)[0] for w in _WORDS if _JOINER.search(w)}


@lru_cache(maxsize=1024)
def words_to_digits(text: str) -> str:
    """The text with each number word from zero to a hundred written in digits."""
    low = text.lower()
    if _TOKENS.isdisjoint(_WORD_TOKEN.findall(low)):
        return text
    tokens = list(_WORD_TOKEN.finditer(low))
    out: list[str] = []
    last = i = 0
    while i < len(tokens):
        found = _longest(low, tokens, i) if tokens[i].group(0) in _TOKENS else None
        if found is None or low[tokens[i].start() - 1:tokens[i].start()] == "-":
            i += 1
            continue
        j, value = found
        out.append(text[last:tokens[i].start()] + str(value))
        last = tokens[j].end()
        i = j + 1
    return "".join(out) + text[last:]


def _longest(low: str, tokens: list[re.Match[str]], i: int) -> tuple[int, int] | None:
    """(index of the last token, value) of the longest number spelling starting at token i."""
    first = tokens[i].group(0)
    last = min(len(tokens), i + _LONGEST) - 1 if first in _STARTS else i
    for j in range(last, i - 1, -1):
        span = low[tokens[i].start():tokens[j].end()]
        if j < len(tokens) - 1 and low[tokens[j].end():tokens[j].end() + 1] == "-":
            continue  # `thirty-one-year` is part of a longer word
        key = _JOINER.sub(" ", span)
        if _JOINER.sub("", span) != "".join(t.group(0) for t in tokens[i:j + 1]):
            continue  # something other than blanks and hyphens between the words
        value = _WORDS.get(key, _WORDS.get(key.replace(" ", "-")))
        if value is None and " " in key:
            value = _WORDS.get(_dashed_french(key))
        if value is not None:
            return j, value
    return None


def _dashed_french(key: str) -> str:
    """`quatre vingt dix` as the table writes it: `quatre-vingt-dix`; `vingt et un` kept."""
    return key.replace(" ", "-").replace("-et-", " et ")
