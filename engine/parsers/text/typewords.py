"""Type words of dictionaries in several languages, statistics packages' formats, and the
kinds of variable (`categorical`, `binary`) a type column names beside types."""

from __future__ import annotations

import re

from ..codes import map_type

# type words of other languages (codes.map_type reads the English ones)
_TYPE_WORDS = {
    "integer": ("entier", "entera", "entero", "inteiro", "inteira", "ganzzahl", "ganzzahlig",
                "integer", "discreta", "discreto", "diskret", "numérica discreta"),
    "number": ("réel", "reel", "numérique", "numerique", "numérico", "numerico", "numérica",
               "numerica", "numérica continua", "continua", "continuo", "contínua", "contínuo",
               "stetig", "metrisch", "quantitativa", "cuantitativa", "quantitative", "decimal",
               "décimal", "número", "numero", "nombre", "zahl", "numerisch", "real", "flottant"),
    "string": ("texte", "caractère", "caractere", "chaîne", "chaine", "texto", "cadena",
               "carácter", "caracter", "alfanumérico", "alfanumerico", "zeichenkette",
               "alphanumérique"),
    "date": ("fecha", "data", "datum"),
    "boolean": ("booléen", "booleen", "booleano", "logisch"),
}
# R's abbreviations as a tibble prints them
_R_ABBREVIATIONS = {"chr": "string", "dbl": "number", "int": "integer", "lgl": "boolean",
                    "dttm": "datetime"}
_TYPE_LOOKUP = {w: t for t, words in _TYPE_WORDS.items() for w in words} | _R_ABBREVIATIONS
# kinds of variable a type column names beside types; the codes decide the type
_KIND_WORDS = re.compile(
    r"^(?:categori[ck]al|categ[oó]ric[oa]|cat[eé]goriel(?:le)?|kategorial|nominal|ordinal|"
    r"qualitative?|cualitativ[oa]|qualitativ[oa]|dichotom(?:ous)?|dicot[oóô]mic[oa]|binary|"
    r"binari[oa]|bin[aá]rio|binaire|factor|faktor|politómic[oa]|polit[oô]mic[oa]|"
    r"multinomial|likert|escala|scale|skala|[ée]chelle|fct|ord)$", re.I)
# SPSS and SAS display formats
_FORMAT = re.compile(r"^(?:(?P<num>(?:F|N|COMMA|DOLLAR|PCT)\d{1,2}(?:\.(?P<dec>\d{1,2}))?)|"
                     r"(?P<str>A\d{1,5}|\$\d{0,5}\.?)|(?P<date>[AE]?DATE\d{0,2}|SDATE\d{0,2}|"
                     r"DATETIME\d{0,2}|YYMMDD\d{0,2}\.?|MMDDYY\d{0,2}\.?|DDMMYY\d{0,2}\.?))$")
# Stata's storage types in parentheses (`numeric (byte)`, `string (str12)`) tell more
_STORAGE = re.compile(r"\(\s*(byte|int|long|float|double|str\d*|strL)\s*\)", re.I)


def type_of(value: str) -> str | None:
    """The Table Schema type a type word (in English or another language) or a statistics
    package's format (`F8.2`, `A10`, `$12.`, `DATE11`) means."""
    fmt = _FORMAT.match(value.strip())
    if fmt:
        if fmt.group("num"):
            return "number" if fmt.group("dec") and int(fmt.group("dec")) else "integer"
        return "string" if fmt.group("str") else "date"
    storage = _STORAGE.search(value)
    if storage:
        word = storage.group(1).lower()
        return ("integer" if word in ("byte", "int", "long") else
                "number" if word in ("float", "double") else "string")
    word = value.strip().strip("()[].:;,").lower()
    found = map_type(word) or _TYPE_LOOKUP.get(word)
    if found or " " not in word:
        return found
    # `Variable numérica`, `Variable de tipo texto`, `Type: numeric`: a type word led by words
    # that only say it is a type
    words = word.split()
    while len(words) > 1 and words[0] in _LEADING_WORDS:
        words = words[1:]
    rest = " ".join(words)
    return (map_type(rest) or _TYPE_LOOKUP.get(rest)) if rest != word else None


_LEADING_WORDS = {"variable", "variável", "variavel", "variabel", "variablen", "tipo", "type",
                  "typ", "de", "of", "du", "do", "da"}


def kind_word(value: str) -> bool:
    """Whether a value names a kind of variable (`categorical`, `binario`), not a type."""
    return _KIND_WORDS.match(value.strip().strip("()[].:;,")) is not None


# `name of the region [string].`: a type word in square brackets closing a line
_TRAILING_TYPE = re.compile(r"\[\s*([A-Za-z][\w()]{0,20})\s*\]\s*[.;,]?\s*$")


def trailing_type(text: str) -> tuple[str, str] | None:
    """(type, word as written) of a bracketed type word at the end of a line, else None."""
    m = _TRAILING_TYPE.search(text)
    if not m:
        return None
    found = type_of(m.group(1))
    return (found, m.group(1)) if found else None
