"""Reading single cells of a dictionary table: names, code lists, missing codes, flags."""

from __future__ import annotations

import re

from ...model import Category
from ..codes import map_type, parse_code_line, parse_inline_codes

_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_NO_MISSING = re.compile(r"^(?:none|no|not allowed|not permitted|never|no missing\b.*)$", re.I)
_TRUE = {"true", "yes", "y", "x", "1", "required", "mandatory", "✓", "✔", "r", "req"}
_FALSE = {"false", "no", "n", "0", "optional", "opt", "-"}
# a field name: an identifier, also a wildcard family (`ind_*`) or a dotted/hyphened name
_IDENT = re.compile(r"^[A-Za-z_][\w.$\-]{0,79}(?:\*[\w.]*)?$|^[A-Za-z_]\w*\*$")
# between the names of a cell naming several fields: commas, semicolons, `and`, `y`, `e`, `et`
_NAMES_SPLIT = re.compile(r"\s*(?:[,;]|\n|\s(?:and|y|e|et|und)\s)\s*")
_NAMES_MARK = re.compile(r"[,;\n]|\s(?:and|y|e|et|und)\s")
_ELLIPSIS = re.compile(r"\.{3}|…")
_LETTERS = re.compile(r"[^\W\d_]")


def strip_marks(text: str) -> str:
    """A name without Markdown emphasis, code marks, quotes or brackets (`[age]`); `ind_*`
    keeps its star."""
    text = _MD_LINK.sub(r"\1", text.strip()).replace("**", "").replace("__", "").strip()
    while len(text) >= 2:
        if text[0] in "`'\"“[" and text[-1] in "`'\"”]":
            text = text[1:-1].strip()
        elif text[0] == "*" and text[-1] == "*" and len(text) > 2:
            text = text[1:-1].strip()
        elif text[0] == "`" or text[-1] == "`":
            text = text.strip("`").strip()
        else:
            break
    return text


def is_identifier(text: str) -> bool:
    """`AGE_GRP`, `v2x_polyarchy`, `ind_*`: a name as a program would write it."""
    return _IDENT.match(strip_marks(text)) is not None and not text.strip().endswith(":")


def split_names(text: str) -> list[str]:
    """The names a cell lists (`codbar, district`, or one per line); [] for one name."""
    if not _NAMES_MARK.search(text.strip()):
        return []
    parts = [strip_marks(p) for p in _NAMES_SPLIT.split(text.strip()) if p.strip()]
    if len(parts) > 2 and _ELLIPSIS.fullmatch(parts[-1]):
        parts = parts[:-1]          # `cdu, csu, spd, ...`: examples of a family of names
    if len(parts) < 2 or not all(is_identifier(p) for p in parts):
        return []
    if not re.search(r"[,;]|\s(?:and|y|e|et|und)\s", text):
        # one name per line: not a long name wrapped in a narrow column (`patients_inco` + `m`)
        longest = max(len(p) for p in parts)
        if any(len(p) < 0.5 * longest or p.endswith(("_", "-", ".")) for p in parts):
            return []
        if len(parts) == 2 and _bare_type(parts[1]) and not _bare_type(parts[0]):
            return []               # `site_id` + `character`: a name and its type
    return parts


_GLUED_TYPE = re.compile(r"^(\S.*?)\s*[(\[]\s*([^()\[\]\n]{1,25}?)\s*[)\]]$")


def glued_type(text: str) -> tuple[str, str | None]:
    """`BillID (string)`, `last_vers(string)`: (name, type as written) of a name cell that
    carries its type; (text, None) otherwise (`age (years)` names a unit, not a type)."""
    m = _GLUED_TYPE.match(text.strip())
    if m and type_word(m.group(2)):
        return m.group(1).strip(), m.group(2)
    return text, None


def _bare_type(line: str) -> bool:
    """`integer`, `character`: a line that is one type word (a name's type under it)."""
    return len(line.split()) == 1 and map_type(line.strip("()[]")) is not None


def code_like(text: str) -> bool:
    """An identifier no prose word looks like: `NU_ANO`, `v2x_polyarchy`, `bmiCat`, `Q12`."""
    name = strip_marks(text)
    if name.endswith("."):
        return False                # `Latitude.`: a word ending a sentence
    return is_identifier(name) and (re.search(r"[_\d.$]|[a-z][A-Z]", name) is not None
                                    or (name.isupper() and len(name) >= 2))


def name_like(text: str) -> bool:
    """A cell that names a field or several (as a column of names holds), its type glued
    on or not."""
    return is_identifier(glued_type(text)[0]) or bool(split_names(text))


def clean_name(text: str) -> tuple[str, str]:
    """(name, rest): the name without Markdown marks, quotes or a trailing colon, and any
    further lines of the cell (a name wrapped in a narrow column is joined back)."""
    first, rest = _wrapped_name(text.strip().split("\n"))
    name = _MD_LINK.sub(r"\1", first)
    name = name.replace("**", "").replace("__", "").strip()
    if len(name) >= 2 and (name[0] == name[-1] and name[0] in "`'\"*"
                           or name[0] == "[" and name[-1] == "]" and is_identifier(name[1:-1])):
        name = name[1:-1]
    name = name.strip("`“”").rstrip(":").strip()
    return name, rest.strip()


def _wrapped_name(lines: list[str]) -> tuple[str, str]:
    """`Improvement_` + `surcharge` is one name; `age` + `(years)` is a name and a remark."""
    name = lines[0]
    for k, line in enumerate(lines[1:], start=1):
        # `[what_is_the_patients_inco` + `m]`: a bracketed name wrapped inside its brackets
        glue = "" if name.endswith(("_", "-", ".", "/")) or (name[:1] == "[" and "]" not in name
                                                             and " " not in line) else " "
        joined = name + glue + line
        if (line.startswith("(") or len(joined) > 40 or len(joined.split()) > 5
                or parse_code_line(line) is not None or (glue and _bare_type(line))):
            return name, "\n".join(lines[k:]).strip()
        name = joined
    return name, ""


_NAME_UNIT = re.compile(r"\s[\[(]([^\[\]()]{1,15})[\])]\s*$")
_UNIT_MARK = re.compile(r"[/^°µ%]|[a-zA-Z][23²³]|^[A-Z]$|^[a-z][a-zA-Z]{0,2}$")


def name_unit(name: str) -> str | None:
    """`T [K]`, `kappa [W/mK]`, `Weight (kg)`: the unit a name carries in brackets."""
    from ..codes import find_unit

    m = _NAME_UNIT.search(name)
    if not m:
        return None
    unit = m.group(1).strip()
    if len(unit.split()) > 2 or not _LETTERS.search(unit):
        return None
    if find_unit(unit) or (" " not in unit and _UNIT_MARK.search(unit)):
        return unit
    return None


def is_sentence(name: str) -> bool:
    """A 'name' that reads like prose (a note row under the table), not a variable."""
    return len(name) > 120 or len(name.split()) > 10


def is_placeholder(name: str) -> bool:
    """`... (many other parties)`, `…`: a row standing for names it does not write; `[Your
    Text]`, `<variable name>`: a template's blank to fill in (words in brackets)."""
    name = name.strip()
    return (re.match(r"(?:\.{3}|…)(?:\s|\(|$)", name) is not None
            or re.fullmatch(r"\[[^\[\]]*\s[^\[\]]*\]|<[^<>]*\s[^<>]*>|\{[^{}]*\s[^{}]*\}",
                            name) is not None)


_NA_LABEL = re.compile(r"^\(?n/a\b|^not applicable\b", re.I)


def split_na(categories: list[Category]) -> tuple[list[Category], list[Category]]:
    """(valid, missing): codes labelled `N/A (...)` or `Not applicable ...` are missing."""
    from ..codes import split_missing

    valid, missing = split_missing(categories)
    na = [c for c in valid if c.label and _NA_LABEL.match(c.label.strip())]
    return [c for c in valid if c not in na], missing + na


def missing_codes(text: str) -> list[Category]:
    """Missing-value codes in a missing column: `NA or NULL - optional`, `9=Refused`, `-9`."""
    text = text.strip()
    if not text or _NO_MISSING.match(text.split(" - ")[0].strip()):
        return []
    inline = parse_inline_codes(text)
    if len(inline) >= 2:
        return inline
    single = parse_code_line(text)
    if single is not None and "=" in text:
        return [single]
    clause = re.split(r"\s+[-–—]\s+|[,.;](?:\s|$)|\(", text)[0]
    items = [i.strip().strip("\"'“”`") for i in
             re.split(r"\s*(?:\bor\b|\band\b|/(?!a\b)|,|;)\s*", clause) if i.strip()]
    if not items or any(len(i) > 20 or len(i.split()) > 2 for i in items):
        return []
    return [Category(i) for i in dict.fromkeys(items)]


def flag(text: str) -> bool | None:
    """TRUE/yes/y/x -> True, FALSE/no/optional -> False, anything else None."""
    low = text.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    return None


def number(text: str) -> float | None:
    """A bound written in a cell (`1,000`, `0.5`), or None."""
    s = text.strip().replace(",", "").replace("−", "-")
    try:
        return float(s)
    except ValueError:
        return None


def position(text: str) -> dict[str, int] | None:
    """`1-20` -> {"start": 1, "end": 20}; a single number is the start."""
    m = re.fullmatch(r"\s*(\d+)\s*(?:[-–:]|to)\s*(\d+)\s*", text)
    if m:
        return {"start": int(m.group(1)), "end": int(m.group(2))}
    m = re.fullmatch(r"\s*(\d+)\s*", text)
    return {"start": int(m.group(1))} if m else None


# type words that codes.map_type leaves alone: data APIs, other languages, measurement levels
_EXTRA_TYPES = {
    "autocomplete": "string", "keyword": "string",
    "numerica": "number", "numerico": "number", "numerique": "number", "numerisch": "number",
    "decimal": "number", "zahl": "number", "real": "number", "interval": "number",
    "ratio": "number", "continua": "number", "continuo": "number", "metrisch": "number",
    "entero": "integer", "inteiro": "integer", "entier": "integer", "ganzzahl": "integer",
    "ganze zahl": "integer", "binary": "integer", "binaria": "integer", "binario": "integer",
    "alfanumerica": "string", "alfanumerico": "string", "alphanumerique": "string",
    "texto": "string", "cadena": "string", "caracter": "string", "caractere": "string",
    "caracteres": "string", "chaine": "string", "zeichen": "string", "zeichenkette": "string",
    "fecha": "date", "datum": "date", "booleano": "boolean", "booleen": "boolean",
    "logico": "boolean",
}
# measurement levels that say what a column is without naming a storage type
_LEVELS = {"nominal", "ordinal", "categorical", "categorial", "dichotomous", "scale",
           "categorica", "categorico", "nominale", "ordinale", "kategorial", "factor",
           "ordered", "posixct", "posixt", "posixlt", "difftime"}
RANGE_IN = re.compile(r"(?<![\w.])([-−–]?\d+(?:\.\d+)?)\s*(?:[-–—]|to|a|bis|à)\s*"
                      r"([-−+]?\d+(?:\.\d+)?)(?![\w.])")


def _plain(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch)).strip()


def type_word(text: str) -> str | None:
    """The Table Schema type a cell names, ignoring parenthesised or bracketed remarks."""
    bare = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text).strip()
    found = map_type(bare) or map_type(text)
    if found:
        return found
    words = re.sub(r"[\d\s\-–—/.,:;()]+", " ", _plain(bare)).split()
    if 1 <= len(words) <= 2:
        return _EXTRA_TYPES.get(" ".join(words)) or _EXTRA_TYPES.get(words[0])
    return None


def level_word(text: str) -> bool:
    """`Nominal 0–13`, `Ordinal`: a measurement level (what a type column may hold)."""
    words = re.sub(r"[\d\s\-–—.,:;()/]+", " ", _plain(text)).split()
    return 1 <= len(words) <= 2 and all(w in _LEVELS or w in _EXTRA_TYPES for w in words)


_NUMBERING = re.compile(r"^[#(]?\d{1,5}[a-z]?(?:\s*[./-]\s*\d{1,5}[a-z]?)*[.)]?$")


def numbering(text: str) -> bool:
    """`12`, `3a`, `133/236`, `4.1`: a row number, not a name."""
    return _NUMBERING.match(text.strip()) is not None


def cell_range(text: str) -> tuple[float, float] | None:
    """`0–1 interval`, `Continuous (0–100)`, `1 – 7`, `17-24`: the one range a short cell
    states (None for a cell with other numbers, such as a code list)."""
    if len(text) > 60 or "\n" in text.strip():
        return None
    found = RANGE_IN.findall(text)
    if len(found) != 1 or len(re.findall(r"\d+(?:\.\d+)?", text)) != 2:
        return None
    lo, hi = (float(x.replace("−", "-").replace("–", "-")) for x in found[0])
    return (lo, hi) if lo < hi else None
