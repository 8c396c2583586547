"""What each column of a dictionary table means, read from its header words.

A header cell is normalised (`Variable / Field Name` -> `variable field name`, `Descrição` ->
`descricao`) and matched against the synonym table of `words.py`: exactly, as a phrase inside
a longer header (`Variable Name (in data)`), or fuzzily for typos (`Desription`).  Each
(column, role) candidate has a score; the best-scoring pairs are taken first, one column per
role.  `header_rows` finds every row of a table that reads as such a header: the first one
may sit below title rows, later ones start further tables in the same sheet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from .words import DEFINING_ROLES, SYNONYMS

__all__ = ["DEFINING_ROLES", "Header", "SYNONYMS", "candidates", "header_rows", "map_header",
           "normalize"]


# letters NFKD leaves whole: Turkish dotless i (`Açıklama`), Polish l with stroke, and others
_UNDECOMPOSED = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe"})


# Hangul syllables, kana and CJK ideographs: header words of Korean, Japanese and Chinese
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_TOKEN = re.compile(f"[a-z0-9%{_CJK}]+")
_CJK_TEXT = re.compile(f"[{_CJK}]")


@lru_cache(maxsize=16384)
def normalize(text: str) -> str:
    """`Variable / Field Name` -> `variable field name`; accents dropped (`Variável`);
    Korean, Japanese and Chinese words kept whole (`변수명(한글)` -> `변수명 한글`)."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text.strip())      # camelCase -> camel case
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("ß", "ss")
    # NFKD splits Hangul syllables into jamo: NFC joins them again
    text = unicodedata.normalize("NFC", text.translate(_UNDECOMPOSED))
    return " ".join(_TOKEN.findall(text))


def _phrase_index() -> dict[str, tuple[tuple[str, int], ...]]:
    """phrase -> its (role, weight) readings (`label` is a title and a description)."""
    index: dict[str, list[tuple[str, int]]] = {}
    for role, table in SYNONYMS.items():
        for phrase, weight in table.items():
            index.setdefault(normalize(phrase), []).append((role, weight))
    return {p: tuple(r) for p, r in index.items()}


_PHRASES = _phrase_index()
_ALL_PHRASES = list(_PHRASES)
_NAME_PHRASES = {p for p, r in _PHRASES.items() if any(role == "name" for role, _ in r)}
_CJK_PHRASES = [(p.replace(" ", ""), r) for p, r in _PHRASES.items() if _CJK_TEXT.search(p)]
_FUZZY_CUTOFF = 88
# weaker readings are noise: `text` inside a long header; `Region Name` in a data file
_MIN_SCORE = {"*": 45, "name": 75}
_MAX_HEADER_CHARS = 60
_HEADER_SCAN_ROWS = 25
_NEW_TABLE_SCORE = 150      # a header row further down must read clearly (two strong roles)
_PROSE_ROLES = {"description", "title"}
_SHORT_HEADER = 4
_LATER_HEADER = 1.25        # how much better a row under a full header must read to replace it
_UNNAMED = re.compile(r"Unnamed: \d+(?:_level_\d+)?")
# a header cell the synonyms may not know: a few words, no digits, braces or line breaks
_HEADER_WORDS = re.compile(r"(?=.{1,40}$)[^\W\d_][^\d{}\[\]=\n]*(?:\s[^\d{}\[\]=\n]+){0,4}")


@dataclass
class Header:
    """A table's header row and the role of each of its columns."""

    row: int                      # index of the header row in the table (-1: no header row)
    roles: dict[str, int]         # role -> column index
    score: float
    cells: list[str] | None = None    # a two-row header's cells, the lower under the upper


@lru_cache(maxsize=8192)
def candidates(cell: str) -> tuple[tuple[str, float], ...]:
    """(role, score) readings of one header cell, best first."""
    norm = normalize(cell)
    if not norm or len(cell) > _MAX_HEADER_CHARS:
        return ()
    found: dict[str, float] = {}
    for role, w in _PHRASES.get(norm, ()):
        found[role] = float(w)
    tokens = norm.split()
    padded = f" {norm} "
    if len(tokens) > 1:
        for phrase, readings in _PHRASES.items():
            if phrase != norm and f" {phrase} " in padded:
                extra = len(tokens) - len(phrase.split())
                for role, w in readings:
                    found[role] = max(found.get(role, 0.0), w * 0.9 - 3 * extra)
    if _CJK_TEXT.search(norm):
        _cjk_inside(norm, found)
    if norm not in _PHRASES and len(norm) >= 4:   # a typo (`Varible Name`) may still read
        best = process.extractOne(norm, _ALL_PHRASES, scorer=fuzz.ratio,
                                  score_cutoff=_FUZZY_CUTOFF)
        for role, w in _PHRASES[best[0]] if best else ():
            found[role] = max(found.get(role, 0.0), w * 0.85)
    return tuple(sorted(found.items(), key=lambda kv: -kv[1]))


def _cjk_inside(norm: str, found: dict[str, float]) -> None:
    """Korean, Japanese and Chinese write compounds without spaces (`변수설명`, `変数名称`):
    a phrase in those scripts reads inside a longer header word, less well the more the
    header adds."""
    joined = norm.replace(" ", "")
    for phrase, readings in _CJK_PHRASES:
        if phrase != joined and phrase in joined:
            extra = len(joined) - len(phrase)
            for role, w in readings:
                found[role] = max(found.get(role, 0.0), w * 0.9 - 4 * extra)


def map_header(cells: list[str]) -> tuple[dict[str, int], float]:
    """Assign roles to columns, best scores first; returns (role -> column, total score)."""
    read = [{r for r, _ in candidates(c)} for c in cells]
    code_col = next((j for j, r in enumerate(read) if "code" in r), None)
    # LABEL after VALUE is the code's label, unless another column says `value label`
    label_col = None
    if code_col is not None and not any("code_label" in r for r in read):
        label_col = next((j for j in range(code_col + 1, len(cells))
                          if normalize(cells[j]) in _LABEL_AFTER_CODE
                          or _paired(cells[code_col], cells[j])), None)
    pairs = []
    for j, cell in enumerate(cells):
        for role, score in candidates(cell):
            pairs.append((score, j, role))
        if j == label_col:
            pairs.append((96.0, j, "code_label"))
    roles: dict[str, int] = {}
    taken: set[int] = set()
    total = 0.0
    for score, j, role in sorted(pairs, key=lambda p: (-p[0], p[1])):
        if j in taken or role in roles or score < _MIN_SCORE.get(role, _MIN_SCORE["*"]):
            continue
        roles[role] = j
        taken.add(j)
        total += score
    if "code_label" in roles and "code" not in roles:
        _label_without_code(roles)
    second = [j for score, j, role in sorted(pairs, key=lambda p: (-p[0], p[1]))
              if role == "values" and j not in taken and score >= _MIN_SCORE["*"]]
    if "values" in roles and second:
        roles["values2"] = second[0]      # `Values` beside `Value labels`: both hold codes
    return _promote(roles), total


# a column right of the code column headed so holds the codes' labels (`符号 | 内容`)
_LABEL_AFTER_CODE = {"label", "labels", "meaning", "etiqueta", "etiquetas", "rotulo", "rotulos",
                     "libelle", "libelles", "significado", "signification", "bezeichnung",
                     "bedeutung", "etichetta",
                     "内容", "説明", "说明", "說明", "含义", "含義",
                     "意味", "ラベル", "标签", "標籤", "내용", "설명", "의미", "라벨", "레이블"}
_CODE_WORDS = {"code", "codes", "value", "values", "codigo", "valor", "wert", "werte"}
_LABEL_WORDS = {"label", "labels", "meaning", "text", "description", "etiqueta", "rotulo",
                "libelle", "bezeichnung", "descripcion", "descricao", "texto", "texte"}


def _paired(code: str, label: str) -> bool:
    """`Response Code` beside `Response Label` (`code de la réponse`, `libellé de la
    réponse`): the same words around a code word and a label word name a code's label."""
    a, b = normalize(code).split(), normalize(label).split()
    ka = [k for k, t in enumerate(a) if t in _CODE_WORDS]
    kb = [k for k, t in enumerate(b) if t in _LABEL_WORDS]
    if len(ka) != 1 or len(kb) != 1 or len(a) < 2:
        return False
    return a[:ka[0]] + a[ka[0] + 1:] == b[:kb[0]] + b[kb[0] + 1:]


def _label_without_code(roles: dict[str, int]) -> None:
    """A value-label column with no code column: `Codes | Values label` (the codes column
    read as a whole list) is a code and its label; alone (`Varlabel | Value label`), the
    column holds each field's whole list (`1=Urban 0=Rural`)."""
    label = roles.pop("code_label")
    if roles.get("values") == label - 1:
        roles["code"], roles["code_label"] = roles.pop("values"), label
    elif "values" not in roles:
        roles["values"] = label


def _promote(roles: dict[str, int]) -> dict[str, int]:
    """Without a description or title column, a notes column describes the field."""
    if "description" not in roles and "title" not in roles and "notes" in roles:
        roles["description"] = roles.pop("notes")
    return roles


def header_rows(rows: list[list[str]]) -> list[Header]:
    """Rows that read as dictionary headers (a name column and a defining one), in order.

    The first is the best-scoring row among the first ones (title rows may sit above it); a
    header written on two rows (a merged group label above) counts as its lower row.  Later
    headers start further tables in the same sheet: they must read clearly and differ from
    the header before them (a header repeated on each page continues the same table).
    """
    first = _best_first(rows)
    out = [first] if first else []
    start = first.row + 1 if first else _HEADER_SCAN_ROWS
    for i in range(start, len(rows)):
        row = rows[i]
        if not _may_be_header(row) or not any(_names_variables(c) for c in row if c):
            continue
        roles, score = map_header(row)
        if "name" not in roles or not DEFINING_ROLES & roles.keys() or score < _NEW_TABLE_SCORE:
            continue
        if out and _same_header(rows[out[-1].row], row):
            continue
        if out and _numbers_under_words(rows[out[0].row], row):
            continue            # a row of the table with a header word in it (`Name`)
        out.append(_lower_row(rows, Header(row=i, roles=roles, score=score)))
    return out


def _names_variables(cell: str) -> bool:
    """A header cell that is a name phrase, or one written with a letter left out, added or
    changed (`NOMBRE DE LA VARIBLE`): phrases of eight letters or more."""
    text = normalize(cell)
    if text in _NAME_PHRASES:
        return True
    return len(text) >= 8 and any(abs(len(p) - len(text)) <= 1 and len(p) >= 8
                                  and _one_edit(text, p) for p in _NAME_PHRASES)


def _one_edit(a: str, b: str) -> bool:
    """Whether a and b differ by one inserted, deleted or changed character."""
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), len(a))
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:]
    return a[i:] == b[i + 1:]


def _best_first(rows: list[list[str]]) -> Header | None:
    best: Header | None = None
    for i, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        if not _may_be_header(row):
            continue
        roles, score = map_header(row)
        if "name" not in roles:
            # `Row | Description`: a header that names what describes, not the names; the
            # cells will say which column holds them
            if not _PROSE_ROLES & roles.keys() or not _header_words(row):
                continue
            score *= 0.5
        elif not DEFINING_ROLES & roles.keys():
            # a name header beside words not read (`Variable stem | Group`): the cells decide;
            # not a row of the table whose name is a header word (`name | Name of the shop`)
            if not _header_words(row, short=True) or _below_names(rows, i, roles["name"]):
                continue
            score *= 0.5
        # a full header (names and what defines them) is the table's first row; a row under
        # it scoring about the same is a row of the table (`Description | what it records`)
        full = best is not None and "name" in best.roles and DEFINING_ROLES & best.roles.keys()
        if best is None or score > best.score * (_LATER_HEADER if full else 1):
            best = Header(row=i, roles=roles, score=score)
    return _lower_row(rows, best) if best else None


def _header_words(row: list[str], short: bool = False) -> bool:
    """Two or more cells, each a few words (as a header in any language is written); the
    header pandas gives an unnamed index column (`Unnamed: 0`) counts as blank.  `short`:
    at most _SHORT_HEADER words a cell (a header no synonym reads is no sentence)."""
    filled = [c for c in row if c and not _UNNAMED.fullmatch(c)]
    return len(filled) >= 2 and all(_HEADER_WORDS.fullmatch(c) for c in filled) and (
        not short or all(len(c.split()) <= _SHORT_HEADER for c in filled))


def _below_names(rows: list[list[str]], i: int, j: int) -> bool:
    """Whether a row of two or more cells above row `i` holds an identifier in column `j`
    (row `i` is then inside the table, not its header)."""
    from .cells import code_like

    return any(j < len(r) and sum(1 for c in r if c) >= 2 and code_like(r[j])
               for r in rows[:i])


def _may_be_header(row: list[str]) -> bool:
    filled = [c for c in row if c]
    return len(filled) >= 2 and sum(len(c) > _MAX_HEADER_CHARS for c in filled) <= len(filled) / 2


def _lower_row(rows: list[list[str]], header: Header) -> Header:
    """A header on two rows (the same name cell on both): the lower row, roles of both."""
    i, j = header.row, header.roles.get("name")
    if j is None:
        return header
    if i > 0 and j < len(rows[i - 1]) and normalize(rows[i - 1][j]) == normalize(rows[i][j]):
        _grouped_codes(rows[i - 1], header.cells or rows[i], header.roles)   # the upper row
    while i + 1 < len(rows) and j < len(rows[i + 1]):
        below = rows[i + 1]
        if normalize(below[j]) == normalize(rows[i][j]) and _may_be_header(below):
            cells = below
        elif _sub_header(below, j):
            # `Response` over `Code | Label`: the lower words under the upper ones
            upper = header.cells or rows[i]
            cells = [b or (upper[k] if k < len(upper) else "") for k, b in enumerate(below)]
        else:
            break
        roles, score = map_header(cells)
        if roles.get("name") != j:
            break
        _grouped_codes(rows[i], cells, roles)
        taken = set(roles.values())
        for role, k in header.roles.items():
            if role not in roles and k not in taken:
                roles[role] = k
        i, header = i + 1, Header(row=i + 1, roles=roles, score=max(score, header.score),
                                  cells=cells)
    return header


def _grouped_codes(upper: list[str], lower: list[str], roles: dict[str, int]) -> None:
    """`Categorias` merged over `Tipo | Descrição` (or `Código | Descrição`): a values word
    spanning two columns of the lower header row makes them a code and its label, whatever
    the lower words say."""
    for k in range(min(len(upper), len(lower)) - 1):
        top = upper[k]
        if (not top or upper[k + 1] != top or (k + 2 < len(upper) and upper[k + 2] == top)
                or (k > 0 and upper[k - 1] == top)):
            continue
        read = candidates(top)
        if (not read or read[0][0] != "values" or not lower[k] or not lower[k + 1]
                or lower[k] == lower[k + 1] or roles.get("name") in (k, k + 1)
                or roles.get("code", k) not in (k, k + 1)):
            continue
        for role, col in list(roles.items()):
            if col in (k, k + 1):
                del roles[role]
        roles["code"], roles["code_label"] = k, k + 1
        return


def _sub_header(row: list[str], j: int) -> bool:
    """The lower row of a two-row header: a blank name cell, two or more header words."""
    filled = [c for c in row if c]
    return (not row[j] and len(filled) >= 2 and _header_words(row)
            and all(candidates(c) for c in filled))


_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")


def _numbers_under_words(first: list[str], row: list[str]) -> bool:
    """A row with a bare number where the first header has words: a row of the table (a
    header cell is written in words)."""
    return any(c.strip() and _NUMBER.fullmatch(c.strip()) and k < len(first)
               and not _NUMBER.fullmatch(first[k].strip()) for k, c in enumerate(row))


def _same_header(a: list[str], b: list[str]) -> bool:
    return [normalize(c) for c in a] == [normalize(c) for c in b]
