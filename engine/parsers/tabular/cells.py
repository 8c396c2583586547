"""Reading single cells of a dictionary table: names, code lists, missing codes, flags."""

from __future__ import annotations

import re

from ...model import Category
from ..codes import map_type, parse_code_line, parse_inline_codes

_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_BRACKETED = re.compile(r"^[\[{]\s*(.+?)\s*[\]}]$", re.S)
_LIST_SPLIT = re.compile(r"\s*[;,|]\s*")
_NO_MISSING = re.compile(r"^(?:none|no|not allowed|not permitted|never|no missing\b.*)$", re.I)
_TRUE = {"true", "yes", "y", "x", "1", "required", "mandatory", "✓", "✔", "r", "req"}
_FALSE = {"false", "no", "n", "0", "optional", "opt", "-"}
# a field name: an identifier, also a wildcard family (`ind_*`) or a dotted/hyphened name
_IDENT = re.compile(r"^[A-Za-z_][\w.$\-]{0,79}(?:\*[\w.]*)?$|^[A-Za-z_]\w*\*$")
# between the names of a cell naming several fields: commas, semicolons, `and`, `y`, `e`, `et`
_NAMES_SPLIT = re.compile(r"\s*(?:[,;]|\n|\s(?:and|y|e|et|und)\s)\s*")
_NAMES_MARK = re.compile(r"[,;\n]|\s(?:and|y|e|et|und)\s")
_ELLIPSIS = re.compile(r"\.{3}|…")


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
    """`... (many other parties)`, `…`: a row standing for names it does not write."""
    return re.match(r"(?:\.{3}|…)(?:\s|\(|$)", name.strip()) is not None


def split_codes(text: str) -> tuple[list[str], list[Category]]:
    """(prose lines, codes) of a multi-line cell: code-list lines come out as codes.

    A line of inline codes (`1= A; 2= B`) counts; single `code = label` lines count only
    when there are two or more of them, and the first line only when every line is a code.
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    codes: list[Category] = []
    singles: dict[int, Category] = {}
    prose: dict[int, str] = {}
    for i, line in enumerate(lines):
        inline = parse_inline_codes(line)
        if len(inline) >= 2 and starts_with_code(line, inline[0]):
            codes.extend(inline)
            continue
        code = parse_code_line(line)
        if code is not None:
            singles[i] = code
        prose[i] = line
    if len(singles) >= 2 or (singles and codes):
        if 0 in singles and len(singles) < len(lines):
            del singles[0]
        for i in singles:
            del prose[i]
        codes.extend(singles.values())
    return list(prose.values()), codes


def starts_with_code(line: str, first: Category) -> bool:
    """Whether the line opens with the first code, as a token (`A=Lost`, not `Angin`)."""
    rest = line.lstrip(" \"'“(")
    value = str(first.value)
    return rest.startswith(value) and not (value[-1:].isalnum() and rest[len(value):][:1].isalnum())


def values_codes(text: str) -> list[Category]:
    """Codes in a values column: `1=Yes; 2=No`, one per line, `[a, b, c]`, `a; b; c`."""
    text = text.strip()
    if not text:
        return []
    bracketed = _BRACKETED.match(text)
    if bracketed and "," in bracketed.group(1):
        return _plain_list(bracketed.group(1))
    listed = _listed_pairs(text)
    if listed:
        return listed
    inline = parse_inline_codes(text)
    if len(inline) >= 2:
        return _oriented(inline)
    lines = [line for line in text.split("\n") if line.strip()]
    parsed = [parse_code_line(line) for line in lines]
    if len(lines) >= 2 and all(parsed):
        return _oriented([c for c in parsed if c])
    if len(lines) == 1 and parsed[0] and re.search(r"[=:\t]", text):
        return [parsed[0]]
    numbered = _numbered_lines(lines)
    if numbered:
        return numbered
    if len(lines) >= 2 and all(len(x.split()) <= 4 for x in lines):
        return _plain_list("\n".join(lines).replace("\n", ";"))
    return _plain_list(text) if re.search(r"[;|]|,\s", text) else []


_NUMBERED = re.compile(r"^(\d{1,3})(?:\s+(\S.*))?$")
_MAX_NUMBERED_WORDS = 6


def _numbered_lines(lines: list[str]) -> list[Category]:
    """`1 Nada satisfecho / 2 / 3 / 4 / 5 Muy satisfecho`, `1 18 a 29 años / 2 30 a 44 años`:
    every line opens with a number, the numbers count up, and two lines or more go on with a
    label: the numbers are the codes (a bare one has no label)."""
    found = [_NUMBERED.match(x.strip()) for x in lines]
    if len(lines) < 2 or not all(found):
        return []
    nums = [int(m.group(1)) for m in found]
    labelled = sum(bool(m.group(2) and _LETTERS.search(m.group(2))) for m in found)
    if labelled < 2 or any(b <= a for a, b in zip(nums, nums[1:])) \
            or any(m.group(2) and len(m.group(2).split()) > _MAX_NUMBERED_WORDS for m in found):
        return []               # numbered sentences are steps or notes, not code labels
    return [Category(m.group(1), m.group(2).strip() if m.group(2) else None) for m in found]


_PAIR = re.compile(r"^([-+]?\d{1,6})\s*[-–—=:.)]\s*([^\W\d_].*)$")
_LABEL_CODE = re.compile(r"^([^\W\d_][^()]*?)\s*\(\s*([-+]?\d{1,6})\s*\)$")


def _listed_pairs(text: str) -> list[Category]:
    """`1 - Yes, 2 - No`, `1 = Homme / 2 = Femme` or `Yes (1), No (0)`: a separated list
    whose every item pairs a number with a label; [] otherwise."""
    items = [i.strip() for i in re.split(r"\s*[;,|\n]\s*|\s+/\s+", text) if i.strip()]
    if len(items) < 2:
        return []
    pairs = [_PAIR.match(i) for i in items]
    if all(pairs):
        return [Category(m.group(1), m.group(2).strip()) for m in pairs]
    pairs = [_LABEL_CODE.match(i) for i in items]
    if all(pairs):
        return [Category(m.group(2), m.group(1).strip()) for m in pairs]
    return []


def _oriented(codes: list[Category]) -> list[Category]:
    """`Male = 1`: words facing numbers are the labels, the numbers the codes."""
    if all(c.label and number(c.label) is not None and number(c.value) is None
           and _LETTERS.search(c.value) for c in codes):
        return [Category(c.label.strip(), c.value) for c in codes]
    return codes


def _plain_list(text: str) -> list[Category]:
    """Short items of a separated list as codes without labels; [] when it reads as prose."""
    items = [i.strip().strip("\"'“”`") for i in _LIST_SPLIT.split(text) if i.strip()]
    if len(items) < 2 or any(len(i) > 40 or len(i.split()) > 4 for i in items):
        return []
    if any(re.search(r"[=:]", i) or i.count("(") != i.count(")") for i in items):
        return []  # `Free input (minimum 0, maximum 24)`, `in kg; 999 = refused`: prose cut up
    if any(map_type(i) for i in items):
        return []  # `integer, float` names types, not values
    if any(cell_range(i) and not re.fullmatch(r"\w+", i) for i in items):
        return []  # `Número de días, 0-31`: a quantity and its range, not values (`1to7` is a
        # code word)
    return [Category(i) for i in dict.fromkeys(items)]


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


_BAND = re.compile(r"^\s*([-−]?\d+(?:\.\d+)?)\s*(?:[-–—]|to)\s*([-−]?\d+(?:\.\d+)?)"
                   r"\s*[=:]\s*[^\W\d_]")


def bands(text: str) -> tuple[float, float] | None:
    """`0-30=None; 31-49=Mild; 50-79=Moderate`: labelled bands of a score, whose span is the
    field's range (a band is no code), else None."""
    items = [i for i in re.split(r"\s*[;\n]\s*|,\s+(?=\d)", text.strip()) if i.strip()]
    found = [_BAND.match(i) for i in items]
    if len(items) < 2 or not all(found):
        return None
    nums = [float(x.replace("−", "-")) for m in found for x in m.groups()]
    return min(nums), max(nums)


# `1 - Yes`, `2-  No`, `3– Other`, `A. Label`: a code and its label in a code-list cell
_LETTERS = re.compile(r"[^\W\d_]")
_LOOSE_CODE = re.compile(r"^([-+]?\d{1,6}(?:\.\d+)?|[A-Za-z]{1,2})\s*[-–—=:.)]\s*(\S.*)$")


def cell_codes(text: str) -> list[Category]:
    """The codes of a cell that holds a code list (labelled: two or more), else []."""
    text = text.strip()
    if not text:
        return []
    lines = [x.strip() for x in text.split("\n") if x.strip() and not x.strip().startswith("*")]
    if len(lines) >= 2:
        loose = [_LOOSE_CODE.match(x) for x in lines]
        # a label has letters: `1990-2000` is a bare label, not code 1990
        hits = [m for m in loose if m and _LETTERS.search(m.group(2))]
        if len(hits) >= 2 and len(hits) >= 0.6 * len(lines):
            return [Category(m.group(1), m.group(2).strip()) for m in hits]
    numbered = _numbered_lines(lines)
    if numbered:
        return numbered             # bare middle points of a scale stay codes
    found = [c for c in values_codes(text) if c.label]
    return found if len(found) >= 2 else []
