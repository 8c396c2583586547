"""The vocabulary of units: unit words and abbreviations (with the form a unit is reported in),
time words in several languages, unit symbols, and the marks of "no unit" and of a date format.
"""

from __future__ import annotations

import re

# (pattern, unit, hints): a pattern is tried only when the lower-cased text holds one of its
# hints (a substring every match has).  unit None: the unit as written (`mg/dL`).
# Abbreviations are case-sensitive (`MM` is no mm).
UNITS = (
    (r"(?i:square (?:feet|foot)|sq\.? ?ft\b|\bsqft\b)", "square feet", ("square", "sq")),
    (r"\bkg/m(?:2|²|\^2)", "kg/m²", ("kg/m",)),
    (r"(?i:square met(?:er|re)s?)|\bm²|\bm2\b|\bsqm\b", "m²", ("square", "m²", "m2", "sqm")),
    (r"(?i:cubic met(?:er|re)s?)|\bm³|\bm3\b", "m³", ("cubic", "m³", "m3")),
    (r"\bkm/h\b|\bkph\b|(?i:kilomet(?:er|re)s per hour)", "km/h", ("km/h", "kph", "per hour")),
    (r"\bm/s\b|(?i:met(?:er|re)s per second)", "m/s", ("m/s", "per second")),
    (r"\b(?i:mm ?hg)\b|(?i:millimet(?:er|re)s? of mercury)", "mm Hg", ("hg", "mercury")),
    (r"\b(?i:mg/dl)\b", None, ("mg/dl",)),
    (r"\b(?i:mmol/l)\b", None, ("mmol/l",)),
    (r"\b(?i:kpa)\b", "kPa", ("kpa",)),
    (r"\b(?i:beats per minute)\b|\bbpm\b", "bpm", ("beats", "bpm")),
    (r"\b(?i:decimal degrees)\b", "decimal degrees", ("decimal degrees",)),
    (r"\b(?i:kilo(?:gram|grammes?|gramos?|gramas?|gramm)s?|quilo(?:grama)?s)\b|\bkgs?\b(?!/)|"
     r"ק[\"״]ג", "kg", ("kilo", "quilo", "kg", 'ק"', "ק״")),
    (r"\b(?i:grams?|gramos|gramas|grammes|gramm)\b", "g", ("gram",)),
    (r"\b(?i:pounds)\b|\blbs?\b", "lb", ("pound", "lb")),
    (r"\b(?i:ounces?)\b|\boz\b", "oz", ("ounce", "oz")),
    (r"\b(?i:[cz]entim[eè]t(?:er|re)s?n?|cent[ií]metros?)\b|\bcm\b|ס[\"״]מ", "cm",
     ("centim", "centím", "zentim", "cm", 'ס"', "ס״")),
    (r"\b(?i:millim[eè]t(?:er|re)s?n?|mil[ií]metros?)\b|\bmm\b|מ[\"״]מ", "mm",
     ("millim", "milím", "mm", 'מ"', "מ״")),
    (r"\b(?i:kilom[eè]t(?:er|re)s?n?|quil[oô]metros?|kil[oó]metros?)\b|\bkm\b|ק[\"״]מ", "km",
     ("kil", "quil", "km", 'ק"', "ק״")),
    (r"\b(?i:met(?:er|re)s|metros|mètres|metern)\b|\b(?i:in|en|em) (?i:met(?:er|re)|metro|"
     r"mètre)\b", "m", ("met", "mèt")),
    (r"\b(?i:millilit(?:er|re)s?n?|mililitros?)\b|\bmL\b", "mL", ("millilit", "mililit", "ml")),
    (r"\b(?i:lit(?:er|re)s|litros|litern)\b", "L", ("lit",)),
    (r"\b(?i:miles?|millas|milhas)\b", "miles", ("mile", "milla", "milha")),
    # areas in words count in brackets or after `in` (`5 hectares` in prose is an amount)
    (r"(?:(?<=\()|(?<=\b[IiEe]n )|(?<=\b[Ee]m ))"
     r"(?i:hect[aá]reas?|hectares?|hektar(?:e|en)?|acres?)\b", None, ("hect", "hekt", "acre")),
    (r"\b(?i:feet|foot)\b|\bft\b", "feet", ("feet", "foot", "ft")),
    (r"\b(?i:inch(?:es)?|pulgadas|polegadas)\b", "inches", ("inch", "pulgada", "polegada")),
    (r"\b(?i:dollars?)\b|\bUSD\b|\$", "USD", ("dollar", "usd", "$")),
    (r"\b(?i:euros?)\b|€|\bEUR\b", "EUR", ("eur", "€")),
    (r"£|\bGBP\b|\b(?i:pounds? sterling)\b", "GBP", ("£", "gbp", "sterling")),
    (r"\bR\$|\b(?i:reais)\b|\bBRL\b", "R$", ("r$", "reais", "brl")),
    # `150% of expected time` mentions an amount; it is not the unit of the field
    (r"\b(?i:percent(?:age)?|porcentaje|porcentagem|pourcentage|prozent)\b|(?<!\d)(?<!\d )%",
     "%", ("cent", "zent", "%")),
    (r"\b(?i:degrees? (?:celsius|c)|degr[ée]s? celsius|grad celsius|graus? celsius)\b|°C|"
     r"\b(?i:grados? (?:cent[ií]grados?|celsius))\b", "°C", ("degr", "°c", "grad", "grau")),
    (r"\b(?i:degrees? (?:fahrenheit|f))\b|°F", "°F", ("degree", "°f")),
    (r"\b(?i:kelvin)\b", "K", ("kelvin",)),
    (r"\b(?i:in|en|em) (?i:degrees|grados|graus|degr[ée]s)\b", "degrees", ("deg", "grad")),
)
UNIT_PATTERNS = tuple((re.compile(pattern), unit, hints) for pattern, unit, hints in UNITS)

TIME_WORDS = {
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
# abbreviations a unit is written as after `in` or alone in brackets (`in Min`, `(yrs)`);
# alone they are words (`min`, `s`), so only these two places count
SHORT_TIME = {"min": "minutes", "sec": "seconds", "hr": "hours", "yr": "years", "mo": "months",
              "mos": "months", "wk": "weeks", "wks": "weeks"}
# a bracket holding only one of these is a unit (`Height (in)`, `Weight (lbs)`); one letter
# counts only when the bracket closes the text (`(a)`, `(d)` also number the items of a list)
BRACKET_ONLY = {"in": "in", "lb": "lb", "lbs": "lbs", "ft": "ft", "oz": "oz", "yd": "yd",
                "IU": "IU", "y": "years", "d": "days", "h": "hours", "s": "seconds",
                "°": "degrees", "ppm": "ppm", "ppb": "ppb"}
# one-letter SI symbols that count after `in` when they close the clause (`depth in m`)
SI_LETTERS = {"m", "g", "s", "h", "K", "L", "W", "V", "J", "N", "Pa"}
# what is counted per unit (`beats/min`, `U/L`, `cells/µL`)
COUNTED = {"U", "IU", "mU", "mIU", "µIU", "cells", "copies", "beats", "breaths", "cases",
           "events", "counts", "particles", "colonies", "CFU", "cfu"}
BRACKET_LETTERS = {"y", "d", "h", "s"}

# unit symbols: a prefix and a base symbol, maybe a power; `W/K/m/s`, `µV/K`, `uW/cm2.K`
_PREFIX = "[YZEPTGMkhdcmµμunpf]?"
_BASE = (r"(?:mol|cd|Hz|Pa|eV|Wh|Bq|Gy|Sv|lm|lx|rad|sr|ohm|Ω|°C|°F|m|g|s|K|A|N|J|W|C|V|F|S|T|"
         r"H|L|l|h|d|yr|bar|atm|cal|B|%|°)")
_TOKEN = rf"(?:{_PREFIX}{_BASE}(?:\^?[-−]?\d|[²³])?)"
UNIT_EXPR = re.compile(rf"{_TOKEN}(?:\s?[/.*·]\s?{_TOKEN}|{_TOKEN})*")
# symbols that stand alone in prose (`in eV`, `(kWh)`); one letter alone is too ambiguous
ALONE = {"eV", "keV", "MeV", "GeV", "mm", "cm", "km", "nm", "µm", "μm", "um", "kg", "mg",
         "µg", "μg", "ug", "ng", "pg", "ms", "µs", "ns", "mL", "ml", "dL", "dl", "µL", "μL", "uL",
         "fL", "kWh", "Wh", "kW", "MW", "GW", "mV", "µV", "μV", "kV", "mA", "Hz", "kHz", "MHz",
         "GHz", "kPa", "MPa", "GPa", "hPa", "kJ", "MJ", "kN", "°C", "°F", "%", "mmol", "µmol",
         "μmol", "umol", "nmol", "pmol", "mol", "dB", "mEq", "IU", "mIU", "µIU", "mmHg", "kcal",
         "ppm", "ppb"}
ALONE_IN_NAME = ALONE | {"K", "m", "g", "s", "h", "W", "V", "J", "N", "Pa", "L"}
SPELLED = {"volts", "microvolts", "millivolts", "kelvin", "meter", "meters", "metre", "metres",
           "second", "seconds", "watt", "watts", "hour", "hours", "kilogram", "kilograms",
           "gram", "grams", "liter", "liters", "litre", "litres", "joule", "joules", "mole",
           "moles", "minute", "minutes", "day", "days", "year", "years", "m2", "m3", "s", "h",
           "min", "sec", "week", "weeks", "month", "months", "kg", "g", "mg", "l", "ml", "dl",
           "km", "m", "cm", "mm"}

# `unitless`, `dimensionless`: the text says the field has no unit
NO_UNIT = re.compile(r"\b(?:unitless|dimensionless|no units?|without units?|sin unidad(?:es)?|"
                     r"sem unidade|sans unit[ée]|ohne einheit|adimensional)\b", re.I)
NO_UNIT_VALUES = {"unitless", "dimensionless", "none", "no unit", "no units", "n/a", "na", "-",
                  "–", "—", "sin unidad", "sin unidades", "sem unidade", "sans unité",
                  "ohne einheit", "adimensional", "not applicable", "."}
# a strftime pattern (`%Y-%m-%d`, `%d/%m/%Y %H:%M`) is a date format, not a unit
STRFTIME = re.compile(r"%[-_0^#]?[aAbBcdDeFHIjmMpSTuUwWyYzZ]"
                      r"(?:[^\w%\n]{0,3}%[-_0^#]?[aAbBcdDeFHIjmMpSTuUwWyYzZ])+")
