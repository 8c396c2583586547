"""Missing-value codes: labels such as `Refused` or `Don't know` (in several languages),
negative sentinels, and a document's global rule (`99 always indicates a missing value`)."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Iterable

from ...model import Category
from .lines import collapse_spaces

# Whole labels (or every part of one, split at `/`, `,`, `or`) that say "no valid value".
_STRONG_MISSING = (
    r"missing(?: data| values?| information| info)?|system missing|sysmis|user missing|"
    r"refused(?: to answer)?|refusal|declined to (?:answer|respond|state)|"
    r"don'?t know|do not know|does not know|doesn'?t know|did not know|didn'?t know|"
    r"(?:does|did) not respond|(?:doesn|didn)'?t respond|"
    r"dk|rf|dk/na|dk/rf|dk/ref|"
    r"not applicable|n/?a|n\.a|inapplicable|inap|iap|no answer|no response|non-?response|"
    r"not answered|not asked|not ascertained|not stated|not reported|not recorded|"
    r"not specified|not stated or inferred|not enumerated|unascertained|out of universe|"
    r"invalid(?: response| answer| data| entry| value)?|blank (?:answer|response)|left blank|"
    r"double mark(?:ing)?|multiple marks?|multiple marking|non-?interview|"
    r"respuesta en blanco|doble marca(?:ci[oó]n)?|resposta em branco|dupla marca[cç][aã]o|"
    r"marca[cç][aã]o dupla|r[ée]ponse vide|double marquage|"
    r"not in universe|niu|inadequate information|insufficient information|"
    r"(?:legitimate|valid|invalid|logical) skip|skipped|skip|"
    r"prefer(?:red)? not to (?:say|answer)|rather not say|"
    r"unknown|unknown/not stated|not known|no data|no information|blank|n/d|n\.d|"
    # Spanish, Portuguese
    r"no (?:lo )?s[ée]|no sabe|no responde|no contesta|no respondi[oó]|no contest[oó]|ns/nc|"
    r"ns/nr|no aplica|no aplicable|no corresponde|sin datos?|s/d|"
    r"sin informaci[oó]n|sin respuesta|desconocid[oa]|ignorad[oa]|se ignora|perdido|valor perdido|"
    r"faltantes?|(?:datos?|valor(?:es)?) faltantes?|se neg[oó] a (?:responder|contestar)|"
    r"reh[uú]s[oa](?: (?:responder|contestar))?|no (?:quiso|desea) (?:responder|contestar)|"
    r"prefiere no (?:responder|contestar|decir)|"
    r"no especificad[oa]|no consta|no procede|sin especificar|no declarad[oa]|no informad[oa]|"
    r"ns/nc/nr|"
    r"n[aã]o declarad[oa]|n[aã]o (?:sabe|sei)|n[aã]o respond(?:eu|ido)|n[aã]o se aplica|"
    r"n[aã]o aplic[aá]vel|n[aã]o especificad[oa]|sem informa[cç][aã]o|sem dados?|"
    r"sem declara[cç][aã]o|sem resposta|desconhecid[oa]|recus(?:a|ou)(?:-se a responder)?|"
    r"n[aã]o quis responder|prefere n[aã]o (?:responder|dizer)|n[aã]o informad[oa]|em branco|"
    # French
    r"(?:je )?ne sai[st] pas|nsp|refus|refus de r[ée]pondre|a refus[ée] de r[ée]pondre|"
    r"sans r[ée]ponse|pas de r[ée]ponse|aucune r[ée]ponse|non[- ]r[ée]ponse|"
    r"non (?:d[ée]clar|pr[ée]cis|sp[ée]cifi|indiqu|renseign|concern)[ée]e?s?|non connue?s?|"
    r"non applicable|sans objet|ne s'applique pas|hors champ|"
    r"ne (?:r[ée]pond pas|(?:veut|souhaite) pas r[ée]pondre)|pr[ée]f[èe]re ne pas r[ée]pondre|"
    r"encha[iî]nement valide|saut (?:valide|logique|l[ée]gitime)|"
    r"manquante?s?|(?:valeurs?|donn[ée]es?|r[ée]ponses?) manquantes?|inconnue?s?|"
    # German, Italian, Dutch
    r"(?:ich )?wei(?:ß|ss) (?:es )?nicht|wei(?:ß|ss) ich (?:es )?nicht|keine angabe|ohne angabe|k\. ?a\.?|"
    r"(?:antwort |angabe )?verweigert|trifft nicht zu|nicht zutreffend|entf(?:ä|a|ae)llt|"
    r"nicht (?:angegeben|bekannt|gefragt|anwendbar|erhoben|beantwortet)|"
    r"fehlend|fehlende[rn]? (?:werte?|angaben?)|unbekannt|keine antwort|"
    r"ung(?:ü|u|ue)ltig(?:e (?:antwort|angabe))?|"
    r"non so|non sa|non risponde|non applicabile|mancante|sconosciuto|"
    r"weet niet|onbekend|geen antwoord|niet van toepassing|ontbrekend|"
    # Danish, Norwegian, Swedish, Finnish, Czech, Hungarian
    r"ved ikke|vet ikke|vet ej|ikke svar|ubesvart|uoplyst|ikke oppgitt|uppgift saknas|"
    r"ej svar|inget svar|ei osaa sanoa|en osaa sanoa|ei vastausta|puuttuva|tieto puuttuu|"
    r"ei relevantti|ei koske|"
    r"nev[ií]m|nev[ií]|bez odpov[eě]di|chyb[eě]j[ií]c[ií]|nezji[sš]t[eě]no|"
    r"nem tudja|nem tudom|nem v[aá]laszolt|hi[aá]nyz[oó]"
)
# non-Latin scripts: Hebrew, Russian, Chinese, Japanese, Korean, Arabic (whole label)
_OTHER_SCRIPTS = (
    r"לא ידוע|לא יודע|חסר|אין תשובה|סירב|לא רלוונטי|"
    r"не знаю|нет ответа|отказ|неизвестно|нет данных|"
    r"不知道|缺失|拒绝回答|不适用|不详|不詳|不明|無回答|わからない|非該当|該当なし|"
    r"모름|무응답|비해당|해당 ?없음|결측|응답 ?거절|"
    r"غير معروف|لا أعرف|مفقود"
)
_MISSING_PART = re.compile(rf"^(?:{_STRONG_MISSING}|{_OTHER_SCRIPTS})$", re.I)
# parts that say missing only beside a part above (`Don't know/Not sure`; `Not sure` alone may
# be an answer)
_WEAK_PART = re.compile(r"^(?:not sure|unsure|can'?t say|cannot say|don'?t remember|"
                        r"can'?t remember|do not remember|no recuerda|n[aã]o lembra|ns|nr|"
                        r"no sabe no responde|nsnr|kann ich nicht (?:sagen|beurteilen)|"
                        r"wei(?:ß|ss) nicht genau)$", re.I)
_MISSING_HEAD = re.compile(  # `Not applicable (never married)`, `Missing - not asked`
    r"^(?:missing|system missing|refused|don'?t know|does not know|doesn'?t know|"
    r"not applicable|inapplicable|inap|n/a|niu|"
    r"not in universe|legitimate skip|valid skip|skipped|no answer|"
    r"prefer(?:red)? not to (?:say|answer)|"
    r"no sabe|no aplica|no procede|no corresponde|n[aã]o sabe|n[aã]o se aplica|ne sait pas|"
    r"sans objet|"
    r"keine angabe|wei(?:ß|ss) nicht|trifft nicht zu|לא ידוע|not asked|not ascertained|"
    r"not stated|not reported|not recorded|no response|non-?response|no data|no information|"
    r"blank|invalid|out of universe|not enumerated|sin datos?|sin informaci[oó]n|ignorado|"
    r"desconocido|n[aã]o informado|sem informa[cç][aã]o|non renseign[ée]e?|manquant|fehlend|"
    r"unbekannt|logical skip|invalid skip|encha[iî]nement valide|saut valide|hors champ|"
    r"non d[ée]clar[ée]e?|entf(?:ä|a|ae)llt|nicht beantwortet|no responde|n[aã]o respondeu)"
    r"(?=$|\s*[-:(,;/–])"
    r"|^unknown(?=\s*[-:(–])", re.I)  # `unknown/ no savings account` is a valid answer
# a word of every ASCII missing label above, in lower case (spaces and quotes are normalised
# before matching): an ASCII label with none of them is no missing label.  A non-ASCII label
# always gets the full test (it may hold `ß`, accents, other scripts, or letters such as `ſ`
# that match ASCII ones when case is ignored).
_MISSING_WORD = re.compile(
    r"missing|sysmis|refus|declin|know|dk|rf|n/?a|iap|inap|applicable|answer|response|asked|"
    r"ascertained|stated|reported|recorded|universe|niu|information|skip|prefer|rather|data|"
    r"blank|sabe|respond|contesta|ns/|aplica|corresponde|sin |ignora|perdido|"
    r"sem |desconh|descono|sai[st]|informad|branco|nsp|objet|concern|reponse|manquant|"
    r"inconnu|renseign|weiss|angabe|k\.|verweigert|trifft|zutreffend|fehlend|unbekannt|antwort|"
    r"non |mancante|sconosciuto|weet|onbekend|geen|toepassing|ontbrekend|enumerated|consta|"
    r"procede|declar|pas de|erhoben|beantwortet|invalid|mark|marca|vide|blanco|specif|n\.a|"
    r"n/d|n\.d|s/d|interview|no (?:lo )?se|nao sei|faltant|nego|rehus|quis|desea|prefier|"
    r"prefere|recus|repond|aucune|precis|indiqu|connu|appliqu|hors|enchai|saut|"
    r"entf|angegeben|bekannt|gefragt|anwendbar|ung(?:ue|u)ltig|ved ikke|vet |ikke |ubesvart|"
    r"uoplyst|saknas|ej svar|inget svar|osaa|vastaus|puuttu|relevantti|koske|nevi|odpovedi|"
    r"chybejici|"
    r"nezjisteno|tudja|tudom|valaszolt|hianyzo")
_TRAILING_PUNCT = re.compile(r"[\s.\-:]+$")
# apostrophes as typed (`DON`T KNOW`, `Don´t know`, `Don’t know`): one
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
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
    r"ne sait pas|manquant|non renseign|keine angabe|fehlend|unbekannt|non disponible|"
    r"indisponible|no disponible|n[aã]o dispon[ií]vel|nicht verf[üu]gbar|"
    # who was not asked: `-300 = Persons aged 13 or less are not asked`
    r"nicht (?:be)?fragt|nicht erhoben|non pos[ée]e|non interrog[ée]|no se (?:le )?pregunt[oó]|"
    r"n[aã]o (?:foi )?perguntad[oa]|n[aã]o coletad[oa]", re.I)


@functools.lru_cache(maxsize=8192)
def is_missing_label(label: str | None) -> bool:
    """Whether a code's label says the code marks a missing value (`Refused`, `Don't know`);
    cached: a program gives the same value labels to thousands of variables."""
    if not label or label.isascii() and not _MISSING_WORD.search(label.lower()):
        return False
    if not label.isascii():  # `é` written as `e` and a combining accent is `é`
        label = unicodedata.normalize("NFC", label)
    text = _TRAILING_PUNCT.sub("", collapse_spaces(label.translate(_APOSTROPHES))).strip()
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


# a label that starts with its own code: `-7 RF`, `8 - Not applicable`, `(9) Missing`
_OWN_CODE = re.compile(r"[(\[]?\s*([-+]?\d+(?:\.\d+)?|\.[A-Za-z]?|[A-Za-z]{1,3})\s*[)\]]?"
                       r"(?:\s*[-–—:=]\s*|\s*\.\s+|\s+)(?=\S)")


def without_own_code(value: str, label: str | None) -> str | None:
    """The label without the code it repeats in front (`-7 RF` -> `RF` for code -7); other
    labels, and labels that are only their code, unchanged."""
    if not label:
        return label
    m = _OWN_CODE.match(label.strip())
    if not m:
        return label
    written, code = m.group(1), value.strip()
    if written.lower() != code.lower():
        try:
            if float(written) != float(code):
                return label
        except ValueError:
            return label
    return label.strip()[m.end():]


def split_missing(categories: Iterable[Category]) -> tuple[list[Category], list[Category]]:
    """(valid codes, missing-value codes): labels like `Refused` (also after the code they
    repeat: `-8 DK`), negative sentinels."""
    valid: list[Category] = []
    missing: list[Category] = []
    for c in categories:
        value = c.value.strip()
        sentinel = _SENTINEL.fullmatch(value) is not None
        bare = without_own_code(value, c.label)
        if is_missing_label(c.label) or bare != c.label and is_missing_label(bare) \
                or (sentinel and c.label and _LOOSE_MISSING.search(c.label)) \
                or value[:1] == "." and _SAS_MISSING.fullmatch(value):
            missing.append(c)
        else:
            valid.append(c)
    return valid, missing


# ---- a rule stated once for a whole document -------------------------------------------------
# a code: quoted (`“#NULO”`, `'NA'`), or a number, a SAS missing value, a short capital code
_CODE = (r"(?:[“\"'‘«]\s?([^”\"'’»\s]{1,12})\s?[”\"'’»]|"
         r"(?<![\w.-])(-?\d+(?:\.\d+)?|\.[A-Za-z]?|[A-Z]{1,3})(?!\w|\.\w))")
_SAYS = (r"(?:always\s+)?(?:indicates?|denotes?|means?|represents?|signals?|stands? for|"
         r"(?:is|are)\s+(?:always\s+)?(?:used\s+(?:for|to\s+(?:indicate|denote|mark))|"
         r"coded\s+as|reserved\s+for)|"
         # Portuguese, Spanish, French, German
         r"significa[mn]?(?:\s+que)?|indica[mn]?(?:\s+que)?|representa[mn]?|quer(?:em)? dizer|"
         r"signifie(?:nt)?(?:\s+que?)?|indique(?:nt)?(?:\s+que?)?|repr[ée]sente(?:nt)?|"
         r"bedeute[nt]|steh(?:t|en) f(?:ü|u|ue)r|kennzeichne[nt])")
_MISSING_NOUN = (r"(?:an?\s+|the\s+)?(?:missing|unknown|not\s+applicable|refused|"
                 r"non-?response|no\s+answer|blank)(?:\s+(?:values?|data|responses?|answers?|"
                 r"information|cases?))?|"
                 r"(?:(?:a|la|l')\s*)?informa(?:[cç][aã]o|ci[oó]n|tion)\s+(?:(?:est[aá]|"
                 r"est|se\s+encuentra)\s+)?(?:em|en)\s+(?:branco|blanco)|"
                 r"(?:(?:a|la|l')\s*)?informa(?:[cç][aã]o|ci[oó]n|tion)\s+n(?:[aã]o|o|')\s*"
                 r"(?:est|era|foi|fue|estaba|[ée]tait|a\s+[ée]t[ée])\s+"
                 r"(?:registrad|informad|preenchid|disponible|disponível|renseign[ée])\w*|"
                 r"(?:um\s+|un\s+|une\s+|einen?\s+)?(?:valor(?:es)?|dados?|datos?|valeurs?|"
                 r"donn[ée]es?)\s+(?:ausentes?|faltantes?|perdidos?|manquantes?|omis)|"
                 r"sem\s+informa[cç][aã]o|sin\s+informaci[oó]n|n[aã]o\s+informad[oa]|"
                 r"no\s+aplica|n[aã]o\s+se\s+aplica|sans\s+objet|non[- ]r[ée]ponse|"
                 r"fehlende[nr]?\s+(?:Werte?|Angaben?)|keine\s+Angabe")
_GLOBAL_RULES = (
    # `99 always indicates a missing value`, `“#NULO” significam que a informação está em
    # branco`, `-9 bedeutet keine Angabe`
    re.compile(rf"{_CODE}\s+(?:\([^)]{{0,20}}\)\s+)?(?:[-–—:=]\s*)?{_SAYS}\s+"
               rf"(?:\w+\s+){{0,2}}?(?:{_MISSING_NOUN})\b", re.I),
    # `missing values are coded as -9`, `Missing data is denoted by 999`
    re.compile(rf"\b(?:missing|unknown)\s+(?:values?|data|responses?)\s+(?:is|are)\s+"
               rf"(?:always\s+)?(?:coded|denoted|indicated|marked|represented|recorded)\s+"
               rf"(?:as|by|with)\s+{_CODE}", re.I),
)
_RULE_WORDS = re.compile(r"missing|unknown|applicable|refused|response|answer|blank|branco|"
                         r"blanco|informa|ausente|faltante|perdido|manquant|objet|fehlend|"
                         r"angabe|aplica", re.I)


def global_missing_codes(text: str | None) -> list[Category]:
    """Missing-value codes a document states once for every field (`99 always indicates a
    missing value`, `Missing values are coded as -9`, `Campos preenchidos com “#NULO”
    significam que a informação está em branco`), each with the sentence as its label."""
    if not text or not _RULE_WORDS.search(text):
        return []
    out: dict[str, Category] = {}
    for pattern in _GLOBAL_RULES:
        for m in pattern.finditer(text):
            code = m.group(1) or m.group(2)
            if code and code not in out:
                out[code] = Category(code, collapse_spaces(m.group(0)).strip())
    return list(out.values())


def document_missing(text: str, fields: Iterable) -> list[str]:
    """Codes `text` says mean missing data for every field, leaving out a rule written in a
    field's own description (it is that field's)."""
    rules = global_missing_codes(text)
    if not rules:
        return []
    own = [" ".join(str(t).split()) for f in fields
           for t in (getattr(f, "description", None), getattr(f, "title", None)) if t]
    return [r.value for r in rules if not any(r.label in t for t in own)]
