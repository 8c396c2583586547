"""Units stated in a description (`in square feet`, `(mm Hg)`, `in eV`, `en años`) or in a
name's bracket (`T [K]`, `S.n [µV/K]`).  Ranges are in `ranges` (re-exported here)."""

from __future__ import annotations

import re

from .ranges import find_range

__all__ = ["find_range", "find_unit", "unit_in_name"]

# (pattern, unit, hints): first match wins; a pattern is tried only when the lower-cased text
# holds one of its hints (a substring every match has).  Abbreviations are case-sensitive (`MM`
# is no mm).
_UNITS = (
    (r"(?i:square (?:feet|foot)|sq\.? ?ft\b|\bsqft\b)", "square feet", ("square", "sq")),
    (r"\bkg/m(?:2|²)", "kg/m²", ("kg/m",)),
    (r"(?i:square met(?:er|re)s?)|\bm²|\bm2\b|\bsqm\b", "m²", ("square", "m²", "m2", "sqm")),
    (r"(?i:cubic met(?:er|re)s?)|\bm³|\bm3\b", "m³", ("cubic", "m³", "m3")),
    (r"\bkm/h\b|\bkph\b|(?i:kilomet(?:er|re)s per hour)", "km/h", ("km/h", "kph", "per hour")),
    (r"\bm/s\b|(?i:met(?:er|re)s per second)", "m/s", ("m/s", "per second")),
    (r"\b(?i:mm ?hg)\b", "mm Hg", ("hg",)),
    (r"\b(?i:mg/dl)\b", "mg/dl", ("mg/dl",)),
    (r"\b(?i:mmol/l)\b", "mmol/L", ("mmol/l",)),
    (r"\b(?i:kpa)\b", "kPa", ("kpa",)),
    (r"\b(?i:beats per minute)\b|\bbpm\b", "bpm", ("beats", "bpm")),
    (r"\b(?i:decimal degrees)\b", "decimal degrees", ("decimal degrees",)),
    (r"\b(?i:kilo(?:gram|grammes?|gramos?|gramas?)s?)\b|\bkgs?\b(?!/)|ק[\"״]ג", "kg",
     ("kilo", "kg", 'ק"', "ק״")),
    (r"\b(?i:grams?|gramos|gramas|grammes)\b", "g", ("gram",)),
    (r"\b(?i:pounds)\b|\blbs?\b", "lb", ("pound", "lb")),
    (r"\b(?i:centimet(?:er|re)s?|cent[ií]metros?)\b|\bcm\b|ס[\"״]מ", "cm",
     ("centim", "centím", "cm", 'ס"', "ס״")),
    (r"\b(?i:millimet(?:er|re)s?|mil[ií]metros?)\b|\bmm\b|מ[\"״]מ", "mm",
     ("millim", "milím", "mm", 'מ"', "מ״")),
    (r"\b(?i:kilomet(?:er|re)s?|quil[oô]metros?|kil[oó]metros?)\b|\bkm\b|ק[\"״]מ", "km",
     ("kil", "quil", "km", 'ק"', "ק״")),
    (r"\b(?i:met(?:er|re)s|metros|mètres)\b|\b(?i:in|en|em) (?i:met(?:er|re)|metro)\b", "m",
     ("met", "mèt")),
    (r"\b(?i:millilit(?:er|re)s?)\b|\bmL\b", "mL", ("millilit", "ml")),
    (r"\b(?i:lit(?:er|re)s|litros)\b", "L", ("lit",)),
    (r"\b(?i:miles?)\b", "miles", ("mile",)),
    (r"\b(?i:feet|foot)\b|\bft\b", "feet", ("feet", "foot", "ft")),
    (r"\b(?i:inch(?:es)?)\b", "inches", ("inch",)),
    (r"\b(?i:dollars?)\b|\bUSD\b|\$", "USD", ("dollar", "usd", "$")),
    (r"\b(?i:euros?)\b|€|\bEUR\b", "EUR", ("eur", "€")),
    # `150% of expected time` mentions an amount; it is not the unit of the field
    (r"\b(?i:percent(?:age)?|porcentaje|porcentagem|pourcentage|prozent)\b|(?<!\d)(?<!\d )%",
     "%", ("cent", "zent", "%")),
    (r"\b(?i:degrees? (?:celsius|c))\b|°C|\b(?i:grados? cent[ií]grados?)\b", "°C",
     ("degree", "°c", "grado")),
    (r"\b(?i:degrees? (?:fahrenheit|f))\b|°F", "°F", ("degree", "°f")),
    (r"\b(?i:kelvin)\b", "K", ("kelvin",)),
    (r"\b(?i:in|en|em) (?i:degrees|grados|graus|degr[ée]s)\b", "degrees", ("deg", "grad")),
)
_UNIT_PATTERNS = tuple((re.compile(pattern), unit, hints) for pattern, unit, hints in _UNITS)
# a count or a share mentions money or a percentage without being measured in it: `Number of
# students (denominator for the percentage ...)`, `Percent of high-income (above $75,000) ...`
_COUNTED = r"\b(?:count|number of|denominator|numerator|n of)\b"
_NOT_UNIT = {"%": re.compile(_COUNTED, re.I),
             "USD": re.compile(rf"{_COUNTED}|\b(?:percent(?:age)?|rate|share|proportion|ratio)\b",
                               re.I)}
_MINUTES = re.compile(r"\bminutes\b")
_TIME_WORDS = {
    "year": "years", "years": "years", "yrs": "years", "años": "years", "anos": "years",
    "années": "years", "ans": "years", "jahren": "years", "jahre": "years",
    "month": "months", "months": "months", "meses": "months", "mois": "months",
    "monaten": "months", "monate": "months",
    "week": "weeks", "weeks": "weeks", "semanas": "weeks", "semaines": "weeks",
    "wochen": "weeks",
    "day": "days", "days": "days", "días": "days", "dias": "days", "jours": "days",
    "tagen": "days", "tage": "days",
    "hour": "hours", "hours": "hours", "hrs": "hours", "horas": "hours", "heures": "hours",
    "stunden": "hours",
    "minute": "minutes", "minutes": "minutes", "mins": "minutes", "minutos": "minutes",
    "minuten": "minutes",
    "second": "seconds", "seconds": "seconds", "secs": "seconds", "segundos": "seconds",
    "secondes": "seconds", "sekunden": "seconds",
}
_TIME = "|".join(sorted((re.escape(w) for w in _TIME_WORDS), key=len, reverse=True))
_TIME_UNIT = re.compile(
    rf"(?:\b(?:in|en|em|number of|how many|actual|número de|nombre de|anzahl (?:der )?)"
    rf"|\((?:in |en |em )?)\s*({_TIME})\b(?!\s+(?:of|since|ago|old|de|desde)\b)", re.I)

# unit symbols: a prefix and a base symbol, maybe a power; `W/K/m/s`, `µV/K`, `uW/cm2.K`
_PREFIX = "[YZEPTGMkhdcmµμunpf]?"
_BASE = (r"(?:mol|cd|Hz|Pa|eV|Wh|Bq|Gy|Sv|lm|lx|rad|sr|ohm|Ω|°C|°F|m|g|s|K|A|N|J|W|C|V|F|S|T|"
         r"H|L|l|h|d|yr|bar|atm|cal|B|%|°)")
_TOKEN = rf"(?:{_PREFIX}{_BASE}(?:\^?[-−]?\d|[²³])?)"
_UNIT_EXPR = re.compile(rf"{_TOKEN}(?:\s?[/.*·]\s?{_TOKEN}|{_TOKEN})*")
# symbols that stand alone in prose (`in eV`, `(kWh)`); one letter alone is too ambiguous
_ALONE = {"eV", "keV", "MeV", "GeV", "mm", "cm", "km", "nm", "µm", "μm", "um", "kg", "mg",
          "µg", "μg", "ng", "ms", "µs", "ns", "mL", "ml", "kWh", "Wh", "kW", "MW", "GW", "mV",
          "µV", "μV", "kV", "mA", "Hz", "kHz", "MHz", "GHz", "kPa", "MPa", "GPa", "hPa", "kJ",
          "MJ", "kN", "°C", "°F", "%", "mmol", "µmol", "μmol", "mol", "dB"}
_ALONE_IN_NAME = _ALONE | {"K", "m", "g", "s", "h", "W", "V", "J", "N", "Pa", "L"}
_IN_SYMBOL = re.compile(r"(?:\bin|\ben|\bem|\bunits of|\bin SI units of)\s+\[?([^\s\[\](),;]+?)"
                        r"\]?(?=$|[\s),;]|\.(?:\s|$))")
_PAREN_SYMBOL = re.compile(r"[(\[]\s*(?:in\s+)?([^\s()\[\]]{1,16})\s*[)\]]")
_SPELLED = {"volts", "microvolts", "millivolts", "kelvin", "meter", "meters", "metre", "metres",
            "second", "seconds", "watt", "watts", "hour", "hours", "kilogram", "kilograms",
            "gram", "grams", "liter", "liters", "litre", "litres", "joule", "joules", "mole",
            "moles", "minute", "minutes", "day", "days", "year", "years", "m2", "m3", "s", "h"}
_NAME_BRACKET = re.compile(r"[\[(]\s*([^\[\]()]{1,16}?)\s*[\])]\s*$")


def find_unit(text: str | None) -> str | None:
    """The unit a description states (`in square feet`, `mm Hg`, `$`, `in years`, `in eV`),
    else None."""
    if not text:
        return None
    # a unit written as symbols after `in` or in brackets first: `in [W/K/m/s]` before the `cm`
    # of `carriers/cm^-3`, `Dosage (mg)` before the `kg` of `0.5mg/kg`
    compound = _compound_unit(text) or _paren_symbol(text)
    if compound:
        return _whole_word_unit(compound) or compound
    unit = _word_unit(text)
    if unit:
        return unit
    m = _TIME_UNIT.search(text)
    if m:
        return _TIME_WORDS[m.group(1).lower()]
    if _MINUTES.search(text.lower()):
        return "minutes"
    return _symbol_unit(text)


def _word_unit(text: str) -> str | None:
    low = text.lower()
    for pattern, unit, hints in _UNIT_PATTERNS:
        if not any(h in low for h in hints):
            continue
        m = pattern.search(text)
        guard = _NOT_UNIT.get(unit)
        if m and not (guard and guard.search(text, 0, m.start())):
            return unit
    return None


def _whole_word_unit(text: str) -> str | None:
    """The unit a pattern names when it spans the whole text (`kg/m2` -> `kg/m²`)."""
    for pattern, unit, _ in _UNIT_PATTERNS:
        if pattern.fullmatch(text):
            return unit
    return None


def _compound_unit(text: str) -> str | None:
    """A unit of several parts after `in`: `in W/m.K`, `in [W/K/m/s]`, `in microVolts/Kelvin`."""
    if "/" not in text:
        return None
    for m in _IN_SYMBOL.finditer(text):
        unit = m.group(1)
        if "/" in unit and (_is_symbol(unit, _ALONE) or _spelled(unit)):
            return unit.strip("[]")
    return None


def _spelled(unit: str) -> bool:
    return all(part.lower() in _SPELLED for part in unit.split("/"))


def _symbol_unit(text: str) -> str | None:
    """A unit written as symbols: `in eV`, `in [W/K/m/s]`, `(kWh)`, `in uW/cm2.K`."""
    for m in _IN_SYMBOL.finditer(text):
        if _is_symbol(m.group(1), _ALONE):
            return m.group(1)
    return None


def _paren_symbol(text: str) -> str | None:
    for m in _PAREN_SYMBOL.finditer(text):
        if _is_symbol(m.group(1), _ALONE):
            return m.group(1)
    return None


def unit_in_name(name: str | None) -> str | None:
    """The unit in a name's trailing bracket: `T [K]`, `S.n [µV/K]`, `kappa [W/mK]`."""
    if not name or not name.rstrip().endswith(("]", ")")):
        return None
    m = _NAME_BRACKET.search(name)
    if not m:
        return None
    unit = m.group(1).strip()
    if _is_symbol(unit, _ALONE_IN_NAME):
        return unit
    if len(unit.split()) <= 2:  # `(years)`, `($)`, `(millimeters)`
        return find_unit(unit if unit.startswith("(") else f"({unit})")
    return None


def _is_symbol(text: str, alone: set[str]) -> bool:
    """Whether text is a unit made of symbols: a compound (`W/m.K`, `cm2`) or a known one."""
    if not _UNIT_EXPR.fullmatch(text):
        return False
    if text in alone:
        return True
    parts = re.split(r"[/.*·]", text)
    if len(parts) <= 2 and all(len(p) == 1 and p.isupper() for p in parts):
        return False  # `T/F`, `S/N` are codes
    compound = any(ch in text for ch in "/.*·^²³") or any(ch.isdigit() for ch in text)
    return compound and any(ch.isalpha() for ch in text)
