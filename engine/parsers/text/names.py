"""How much a piece of text looks like a variable name, and names that stand for several.

`name_likeness` scores a candidate name from its shape alone: identifiers (`wt82_71`,
`StoreType`, `AGE`) score highest, single words a little less, short labels (`Year of birth`)
less, file names, URLs, numbers and sentence fragments lowest.  Readers compare candidate
patterns by these scores, so the score must not depend on any one document's words.

`expand_names` splits an entry that names several variables: `CompetitionOpenSince[Month/Year]`
gives `CompetitionOpenSinceMonth` and `CompetitionOpenSinceYear`; `lat, lon` gives `lat` and
`lon`; `a, b and c` gives `a`, `b` and `c`.
"""

from __future__ import annotations

import re

_IDENTIFIER = re.compile(r"^[A-Za-z_$][\w.$]*(?:\[[^\]\s]{1,24}\])?[\w.$]*$")
_CODED = re.compile(r"_|\d|[a-z][A-Z]|[A-Z]{2}[a-z]|^[A-Z]{2,}$|\.")
_FILE = re.compile(r"\.(?:csv|tsv|txt|xlsx?|json|ya?ml|xml|r|rds|rda|py|ipynb|png|jpe?g|pdf|"
                   r"zip|gz|dta|sav|sas7bdat|parquet|feather|html?|md|docx?)$", re.I)
_VERSION = re.compile(r"^[vV]?\d+(?:\.\d+)+[a-z]?$")  # not `V1`: a common variable name
_WORD = re.compile(r"^[^\W\d_][\w'’/&().-]*$")
_LAST_JOIN = re.compile(r",?\s+(?:and|or|&|y|e|o|et|ou|und|oder)\s+(?=\S+$)", re.I)
_BRACKETED = re.compile(r"^(?P<stem>[^\[\]]+)\[(?P<alts>[^\[\]]+/[^\[\]]+)\](?P<tail>[^\[\]]*)$")
# Title-case words that head preamble lines and notes, not variables
PREAMBLE_WORDS = {
    "title", "source", "sources", "donor", "date", "dates", "author", "authors", "creator",
    "creators", "note", "notes", "nb", "summary", "abstract", "description", "version",
    "contact", "email", "e-mail", "url", "website", "homepage", "license", "licence",
    "citation", "cite", "reference", "references", "keywords", "created", "updated",
    "modified", "publisher", "copyright", "address", "phone", "tel", "fax", "doi", "isbn",
    "example", "examples", "warning", "caution", "important", "tip", "disclaimer",
    "acknowledgements", "acknowledgments", "funding", "file", "files", "filename", "format",
    "dataset", "data", "purpose", "see", "eg", "ie", "step", "layer", "approach", "figure",
    "table", "chapter", "section", "appendix", "page", "part",
}


def name_likeness(name: str) -> float:
    """0..1: how much `name` looks like a variable name (identifier 1, label 0.5, prose 0)."""
    name = name.strip()
    if not name or len(name) > 64 or not re.search(r"[^\W\d_]", name):
        return 0.0
    if "://" in name or name.startswith("www.") or "@" in name:
        return 0.0
    if _FILE.search(name):
        return 0.05  # a list of files is not a list of fields
    words = name.split()
    if len(name) == 1:
        return 0.3  # `M`, `a`: a code more often than a variable
    if len(words) == 1:
        if not _IDENTIFIER.match(name):
            return 0.3 if _WORD.match(name) else 0.1
        if name.lower().rstrip(".") in PREAMBLE_WORDS and not name.isupper():
            return 0.2
        if name.endswith(".") or _VERSION.match(name):
            return 0.3  # `etc.`, `No.`, `v1.2`
        return 1.0 if _CODED.search(name) else 0.8
    if len(words) > 6 or not all(_WORD.match(w) or w.isdigit() for w in words):
        return 0.0
    if name.endswith((".", ",", ";", "?", "!")):
        return 0.1  # a sentence
    return 0.5 if len(words) <= 4 else 0.3


def is_file_name(name: str) -> bool:
    """Whether `name` is a file's name or path (`train.csv`, `reports/summary.json`)."""
    return _FILE.search(name.strip()) is not None


def is_identifier(name: str) -> bool:
    """Whether `name` is one identifier-shaped token (`age`, `wt82_71`, `item[1]`)."""
    return bool(_IDENTIFIER.match(name.strip()))


def expand_names(name: str) -> list[str]:
    """The variables an entry names: `a[X/Y]` -> aX, aY; `a, b` -> a, b; else [name]."""
    name = name.strip()
    m = _BRACKETED.match(name)
    if m:
        alts = [a.strip() for a in m.group("alts").split("/")]
        if all(is_identifier(a) for a in alts):
            return [f"{m.group('stem')}{a}{m.group('tail')}" for a in alts]
    if "," in name:
        parts = [p.strip() for p in name.split(",")]
        if len(parts) >= 2 and all(p and is_identifier(p) for p in parts):
            return parts
        # `a, b and c` (the last joined by a word): names written as identifiers, not the
        # words of a title (`Height, weight and age`)
        parts = [p.strip() for p in _LAST_JOIN.sub(",", name).split(",")]
        if len(parts) >= 3 and all(p and is_identifier(p) and (p.islower() or _CODED.search(p))
                                   for p in parts):
            return parts
    return [name]


# ---- a name and a title on one heading line -------------------------------------------------
_HEADING_MARKS = re.compile(r"^\s*(?:#{1,6}\s+|>\s*)?(?:(?:[-*+•]|\d{1,4}(?:\.\d{1,4})*[.)]?)\s+)?")
_WRAPPED = re.compile(r"^(?P<mark>\*{1,3}|_{1,2}|`)(?P<name>[^*_`\s][^*`]{0,63}?)(?P<end>\*{1,3}|_{1,2}|`)"
                      r"(?=\s|$|[:.,;–—-])")
_NAME_TOKEN = re.compile(r"^(?P<name>[^\s:–—]+?)(?=\s|$|:\s|:$)")
_TITLE_SEP = re.compile(r"^\s*(?:[-–—:=|]{1,2}|\.\s)?\s*")


def heading_name(text: str) -> tuple[str, str]:
    """(name, title) of a heading line that names a variable: `### \\`SEXO\\` — Sexo`,
    `**age** - Age in years`, `WHD010 - Current height`, `age      Age in years`, `sex:`."""
    text = _HEADING_MARKS.sub("", text.strip()).rstrip("#").strip()
    m = _WRAPPED.match(text)
    if m:
        name, rest = m.group("name").strip().rstrip(":"), text[m.end():]
    else:
        m = _NAME_TOKEN.match(text)
        if not m:
            return "", ""
        name, rest = m.group("name"), text[m.end():]
        # `age      Age in years`, `WHD010 - Height`, `SEXO Sexo`: a separator or a coded
        # name; `siguiente estructura:` is a sentence
        spaced = re.match(r"^(?:\s{2,}|\t|\s*[-–—:=|]\s)", rest) is not None
        if rest.strip() and not spaced and not _CODED.search(name):
            return "", ""
    title = _TITLE_SEP.sub("", rest, count=1).strip()
    return name, title.strip("*_` ").strip()


# what a template's name slot says in place of a name (`VARIABLE_NAME`, `nombre_variable`)
_PLACEHOLDER = re.compile(
    r"^(?:(?:the\s+)?(?:variable|var|field|column|item)[\s_-]*(?:name|label)|varname|"
    r"(?:nombre|nom|nome)[\s_-]*(?:de[\s_-]*(?:la[\s_-]*)?|da[\s_-]*)?(?:variable|vari[aá]vel|"
    r"campo)|variablen[\s_-]*name|name[\s_-]*(?:of[\s_-]*(?:the[\s_-]*)?)?variable|"
    r"<[^<>]{1,30}>|x{3,}|\.{3}|…)$", re.I)


def is_placeholder(name: str) -> bool:
    """Whether `name` is a template's slot for a name (`VARIABLE_NAME`, `<variable>`), not one."""
    return _PLACEHOLDER.match(name.strip()) is not None
