"""Missing-value codes: labels such as `Refused` or `Don't know` (in several languages),
negative sentinels, and a document's global rule (`99 always indicates a missing value`)."""

from __future__ import annotations

import re
from typing import Iterable

from ...model import Category
from .lines import collapse_spaces

# Whole labels (or every part of one, split at `/`, `,`, `or`) that say "no valid value".
_STRONG_MISSING = (
    r"missing(?: data| values?| information| info)?|system missing|sysmis|"
    r"refused(?: to answer)?|refusal|declined to answer|"
    r"don'?t know|do not know|dk|rf|dk/na|dk/rf|dk/ref|"
    r"not applicable|n/?a|inapplicable|iap|no answer|no response|non-?response|"
    r"not answered|not asked|not ascertained|not stated|not reported|not recorded|"
    r"not stated or inferred|not enumerated|unascertained|out of universe|"
    r"invalid(?: response| answer| data| entry| value)?|blank (?:answer|response)|left blank|"
    r"double mark(?:ing)?|multiple marks?|multiple marking|"
    r"respuesta en blanco|doble marca(?:ci[oó]n)?|resposta em branco|dupla marca[cç][aã]o|"
    r"marca[cç][aã]o dupla|r[ée]ponse vide|double marquage|"
    r"not in universe|niu|inadequate information|insufficient information|"
    r"legitimate skip|valid skip|skipped|skip|prefer not to (?:say|answer)|rather not say|"
    r"unknown|unknown/not stated|not known|no data|no information|blank|"
    # Spanish, Portuguese
    r"no sabe|no responde|no contesta|ns/nc|ns/nr|no aplica|no corresponde|sin datos?|"
    r"sin informaci[oó]n|sin respuesta|desconocido|ignorado|perdido|valor perdido|"
    r"no especificado|no consta|no procede|sin especificar|no declarado|no informado|ns/nc/nr|"
    r"n[aã]o declarado|n[aã]o sabe|n[aã]o respondeu|n[aã]o se aplica|sem informa[cç][aã]o|"
    r"sem resposta|desconhecido|recusou|n[aã]o informado|em branco|"
    # French, German, Italian, Dutch
    r"ne sait pas|nsp|refus|sans r[ée]ponse|pas de r[ée]ponse|non d[ée]clar[ée]e?|encha[iî]nement valide|"
    r"non applicable|sans objet|non concern[ée]e?|non[- ]r[ée]ponse|"
    r"manquant|valeur manquante|inconnue?|non renseign[ée]e?|"
    r"wei(?:ß|ss) nicht|keine angabe|k\. ?a\.?|verweigert|trifft nicht zu|nicht zutreffend|"
    r"fehlend|fehlender wert|unbekannt|keine antwort|nicht erhoben|nicht beantwortet|"
    r"non so|non sa|non risponde|non applicabile|mancante|sconosciuto|"
    r"weet niet|onbekend|geen antwoord|niet van toepassing|ontbrekend"
)
# non-Latin scripts: Hebrew, Russian, Chinese, Japanese, Arabic (whole label)
_OTHER_SCRIPTS = (
    r"לא ידוע|לא יודע|חסר|אין תשובה|סירב|לא רלוונטי|"
    r"не знаю|нет ответа|отказ|неизвестно|нет данных|"
    r"不知道|缺失|拒绝回答|不适用|不详|不明|無回答|わからない|"
    r"غير معروف|لا أعرف|مفقود"
)
_MISSING_PART = re.compile(rf"^(?:{_STRONG_MISSING}|{_OTHER_SCRIPTS})$", re.I)
# parts that say missing only beside a part above (`Don't know/Not sure`; `Not sure` alone may
# be an answer)
_WEAK_PART = re.compile(r"^(?:not sure|unsure|can'?t say|cannot say|don'?t remember|"
                        r"can'?t remember|do not remember|no recuerda|n[aã]o lembra|ns|nr|"
                        r"no sabe no responde|nsnr)$", re.I)
_MISSING_HEAD = re.compile(  # `Not applicable (never married)`, `Missing - not asked`
    r"^(?:missing|system missing|refused|don'?t know|not applicable|inapplicable|n/a|niu|"
    r"not in universe|legitimate skip|valid skip|skipped|no answer|prefer not to (?:say|answer)|"
    r"no sabe|no aplica|n[aã]o sabe|n[aã]o se aplica|ne sait pas|sans objet|"
    r"keine angabe|wei(?:ß|ss) nicht|trifft nicht zu|לא ידוע|not asked|not ascertained|"
    r"not stated|not reported|not recorded|no response|non-?response|no data|no information|"
    r"blank|invalid|out of universe|not enumerated|sin datos?|sin informaci[oó]n|ignorado|"
    r"desconocido|n[aã]o informado|sem informa[cç][aã]o|non renseign[ée]e?|manquant|fehlend|"
    r"unbekannt)(?=$|\s*[-:(,;/–])"
    r"|^unknown(?=\s*[-:(–])", re.I)  # `unknown/ no savings account` is a valid answer
# a word of every ASCII missing label above, in lower case (spaces and quotes are normalised
# before matching): an ASCII label with none of them is no missing label.  A non-ASCII label
# always gets the full test (it may hold `ß`, accents, other scripts, or letters such as `ſ`
# that match ASCII ones when case is ignored).
_MISSING_WORD = re.compile(
    r"missing|sysmis|refus|declin|know|dk|rf|n/?a|iap|applicable|answer|response|asked|"
    r"ascertained|stated|reported|recorded|universe|niu|information|skip|prefer|rather|data|"
    r"blank|sabe|respond|contesta|ns/|aplica|corresponde|sin |ignorado|perdido|especificado|"
    r"sem |desconh|descono|sait|recusou|informado|branco|nsp|objet|concern|reponse|manquant|"
    r"inconnu|renseign|weiss|angabe|k\.|verweigert|trifft|zutreffend|fehlend|unbekannt|antwort|"
    r"non |mancante|sconosciuto|weet|onbekend|geen|toepassing|ontbrekend|enumerated|consta|"
    r"procede|declar|pas de|erhoben|beantwortet|invalid|mark|marca|vide|blanco")
_TRAILING_PUNCT = re.compile(r"[\s.\-:]+$")
_WHO = re.compile(r"^(?:patient|participant|respondent|subject|client)\s+", re.I)
_PART_SPLIT = re.compile(r"\s*(?:/|,|;|\bor\b|&)\s*")
# values that mark a missing answer when the label says so loosely (`-1 = Not available`,
# `NA = not enumerated`, `9999 = unknown value`): negative numbers, runs of 7s, 8s or 9s,
# 96-99 and 996-999, NA; SAS's `.` and `.A`-`.Z` are missing whatever their label
_SENTINEL = re.compile(r"-\d+(?:\.0+)?|(?:7{2,}|8{2,}|9{2,}|9[6-8]|99[6-8])(?:\.0+)?|NA|N/A|n/a",
                       re.I)
_SAS_MISSING = re.compile(r"\.[A-Za-z_]?")
_LOOSE_MISSING = re.compile(
    r"missing|refus|don'?t know|not applicable|n/a|unknown|skip|not asked|not available|"
    r"no data|no answer|not stated|not reported|inapplicable|not collected|no information|"
    r"not in universe|rather not say|not enumerated|not measured|not done|not ascertained|"
    r"no sabe|no responde|no aplica|sin dato|n[aã]o sabe|n[aã]o se aplica|sem dado|"
    r"ne sait pas|manquant|non renseign|keine angabe|fehlend|unbekannt", re.I)


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
    strong = [_MISSING_PART.match(p) is not None for p in parts]
    return any(strong) and all(s or _WEAK_PART.match(p) for s, p in zip(strong, parts))


def may_say_missing(text: str) -> bool:
    """A quick test: whether an ASCII text holds a word some missing label needs."""
    return _MISSING_WORD.search(text.lower()) is not None


def split_missing(categories: Iterable[Category]) -> tuple[list[Category], list[Category]]:
    """(valid codes, missing-value codes): labels like `Refused`, negative sentinels."""
    valid: list[Category] = []
    missing: list[Category] = []
    for c in categories:
        value = c.value.strip()
        sentinel = _SENTINEL.fullmatch(value) is not None
        if is_missing_label(c.label) or (sentinel and c.label and _LOOSE_MISSING.search(c.label)) \
                or value[:1] == "." and _SAS_MISSING.fullmatch(value):
            missing.append(c)
        else:
            valid.append(c)
    return valid, missing


# ---- a rule stated once for a whole document -------------------------------------------------
_CODE = r"(-?\d+(?:\.\d+)?|\.[A-Za-z]?|[A-Z]{1,3})"
_SAYS = (r"(?:always\s+)?(?:indicates?|denotes?|means?|represents?|signals?|stands? for|"
         r"(?:is|are)\s+(?:always\s+)?(?:used\s+(?:for|to\s+(?:indicate|denote|mark))|"
         r"coded\s+as|reserved\s+for))")
_MISSING_NOUN = (r"(?:an?\s+|the\s+)?(?:missing|unknown|not\s+applicable|refused|"
                 r"non-?response|no\s+answer|blank)(?:\s+(?:values?|data|responses?|answers?|"
                 r"information|cases?))?")
_GLOBAL_RULES = (
    # `99 always indicates a missing value`, `-9 denotes missing data throughout`
    re.compile(rf"(?<![\w.-]){_CODE}\s+(?:\([^)]{{0,20}}\)\s+)?(?:[-–—:=]\s*)?{_SAYS}\s+"
               rf"{_MISSING_NOUN}\b", re.I),
    # `missing values are coded as -9`, `Missing data is denoted by 999`
    re.compile(rf"\b(?:missing|unknown)\s+(?:values?|data|responses?)\s+(?:is|are)\s+"
               rf"(?:always\s+)?(?:coded|denoted|indicated|marked|represented|recorded)\s+"
               rf"(?:as|by|with)\s+{_CODE}(?![\w.])", re.I),
)


def global_missing_codes(text: str | None) -> list[Category]:
    """Missing-value codes a document states once for every field (`99 always indicates a
    missing value`, `Missing values are coded as -9`), each with the sentence as its label."""
    if not text or not re.search(r"missing|unknown|applicable|refused|response|answer|blank",
                                 text, re.I):
        return []
    out: dict[str, Category] = {}
    for pattern in _GLOBAL_RULES:
        for m in pattern.finditer(text):
            code = m.group(1)
            if code not in out:
                out[code] = Category(code, collapse_spaces(m.group(0)).strip())
    return list(out.values())
