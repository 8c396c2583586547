"""What each column of a table holds, read from its cells: names, prose, code lists, types.

A column is scored as a whole (shares of its filled cells) so one odd cell does not decide.
The shapes:

- names: identifiers (`AGE_GRP`, `v2x_polyarchy`, `ind_*`, a list of them), mostly unique;
- prose: cells with words; the longest prose is the description, a shorter one the label;
- code lists: cells holding two or more `code = label` pairs (on lines or inline);
- types: type or measurement-level words (`varchar(20)`, `Numérica`, `Interval`);
- codes and their labels in rows of their own: within the rows of one field (the same or a
  blank name), a column whose value changes on every row.

`check_roles` keeps the header's roles whose cells look the part and gives roles to the
columns the header left unnamed; `content_roles` decides every role for a table without a
header row that could be read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import cells as C
from . import codecells as CC
from .coderows import code_pair, groups, values_one_per_row

_SAMPLE_ROWS = 400
_LABEL_WORDS = 5            # a describing column this short (words per cell) holds labels
_DISTINCT = 0.5             # share of distinct cells of names beside a grouping column
_MIN_PROSE_CHARS = 15       # mean characters of text that describes (not a code's label)
# roles a header gives surely: their columns never hold the names (a `Value | Meaning`
# table is a code list)
_FIXED_ROLES = {"description", "title", "type", "values", "unit", "min", "max", "range",
                "missing", "required", "notes", "code", "code_label"}
# a word: two letters or more, or one Hangul syllable, kana or CJK ideograph (`男`)
_WORD = re.compile(r"[^\W\d_]{2,}|[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_YES_NO = {"yes", "no", "y", "n", "true", "false", "si", "sí", "sim", "nao", "não", "oui",
           "non", "ja", "nein"}


@dataclass
class Column:
    """Shares over a column's filled cells (fill is over all rows)."""

    j: int
    filled: int
    fill: float
    names: float
    codelike: float
    unique: float
    numeric: float
    letters: float
    words: float
    lines: float
    codes: float
    types: float
    short: float
    distinct: int
    chars: float = 0.0           # mean characters per filled cell
    short_codes: float = 0.0     # share of one- or two-character cells
    sequence: bool = False       # row numbers: 0..n or 1..n down the column
    blocks: bool = False         # each value in one run of consecutive cells
    yes_no: float = 0.0          # share of yes/no, true/false cells
    valuelike: float = 0.0       # share of code lists, ranges and type words
    runs: int = 0                # runs of equal consecutive cells (a merged cell is one run)

    @property
    def vocabulary(self) -> bool:
        """A few values repeated down the column (a source, a table kind), not per-row text."""
        return self.filled >= 4 and self.distinct <= max(2, 0.3 * self.filled)

    @property
    def grouping(self) -> bool:
        """The group or table each row belongs to: few values, or each value in one run of
        rows (`Household` x 4, `Person` x 3)."""
        return self.vocabulary or (self.unique <= 0.5 and self.blocks)

    @property
    def prose(self) -> bool:
        return self.letters >= 0.6 and self.numeric < 0.5 and self.codelike < 0.5


def profile(rows: list[list[str]], j: int) -> Column:
    """The profile of column j over the rows."""
    values = [r[j] for r in rows[:_SAMPLE_ROWS] if j < len(r) and r[j]]
    n = max(len(values), 1)
    share = lambda pred: sum(1 for v in values if pred(v)) / n  # noqa: E731
    return Column(
        j=j, filled=len(values), fill=len(values) / max(len(rows[:_SAMPLE_ROWS]), 1),
        names=share(C.name_like), codelike=share(C.code_like), unique=len(set(values)) / n,
        numeric=share(lambda v: C.number(v) is not None or C.numbering(v)),
        letters=share(lambda v: _WORD.search(v) is not None),
        words=sum(len(v.split()) for v in values) / n,
        lines=share(lambda v: "\n" in v.strip()),
        codes=share(lambda v: _kind(v)[0]),
        types=share(lambda v: _kind(v)[1]),
        short=share(lambda v: len(v) <= 12 and " " not in v.strip()),
        distinct=len(set(values)), chars=sum(len(v) for v in values) / n,
        short_codes=share(lambda v: len(v.strip()) <= 2), sequence=_sequence(values),
        blocks=_blocks(values), yes_no=share(lambda v: v.strip().lower() in _YES_NO),
        valuelike=share(_valuelike), runs=_runs(values))


@lru_cache(maxsize=65536)
def _kind(text: str) -> tuple[bool, bool, bool]:
    """(a code list, a type or level word, a range): what a cell is, found once per text."""
    return (len(CC.cell_codes(text)) >= 2,
            C.type_word(text) is not None or C.level_word(text),
            C.cell_range(text) is not None)


def _valuelike(text: str) -> bool:
    """A cell a values column holds: a code list, a range, or a type word."""
    return any(_kind(text))


def _runs(values: list[str]) -> int:
    """How many runs of equal consecutive cells (a merged cell filled down is one)."""
    return sum(1 for k, v in enumerate(values) if k == 0 or v != values[k - 1])


def _blocks(values: list[str]) -> bool:
    """Each value in one run of consecutive cells (a value never comes back later)."""
    runs = [v for k, v in enumerate(values) if k == 0 or v != values[k - 1]]
    return len(runs) == len(set(runs))


def _sequence(values: list[str]) -> bool:
    """Whole numbers counting up (the row index a data frame export writes, gaps where
    rows were left out)."""
    nums = [C.number(v) for v in values]
    return (len(nums) >= 2 and all(x is not None and x.is_integer() for x in nums)
            and all(b > a for a, b in zip(nums, nums[1:])))


def width(rows: list[list[str]]) -> int:
    return max((len(r) for r in rows), default=0)


# ---- roles ---------------------------------------------------------------------------------
def name_column(rows: list[list[str]], skip: set[int] = frozenset(), leading: bool = False
                ) -> int | None:
    """The leftmost column that holds field names (identifiers, mostly unique).

    `leading`: only before any column of text (numbering or blank columns may come first),
    as in tables without a header, where nothing else tells where the names are.  A column
    of a few values repeated down it (the table or group each row belongs to) yields to a
    column of distinct identifiers after it."""
    grouping = None
    for j in range(width(rows)):
        if j in skip:
            continue
        col = profile(rows, j)
        if col.filled >= 2 and col.numeric < 0.3 and col.fill >= 0.4 and col.names >= 0.8:
            # names repeat on the rows of one field (merged cells filled down); count fields
            firsts = [g[0][j] for g in groups(rows, j)]
            distinct = len(set(firsts)) >= 0.8 * max(len(firsts), 1)
            if grouping is None and distinct and col.grouping:
                grouping = j
                continue
            if grouping is None and distinct:
                return j
            # beside a grouping column, a name may come back in another group (a key)
            if grouping is not None and col.unique >= _DISTINCT and not col.grouping:
                return j
        if leading and col.fill >= 0.2 and col.numeric < 0.8 and not col.grouping:
            return grouping
    return grouping


def check_roles(rows: list[list[str]], roles: dict[str, int]) -> dict[str, int]:
    """The header's roles whose cells look the part, plus roles for the unnamed columns."""
    out = dict(roles)
    # a header may name columns the body never reaches (rows cut short): profiled as empty
    span = max([width(rows), *(j + 1 for j in roles.values())])
    cols = {j: profile(rows, j) for j in range(span)}
    _drop_implausible(out, cols)
    if "name" in out:
        _check_name(rows, out, cols)
    if "name" in out:
        values_one_per_row(rows, out, cols)
    else:
        _content_name(rows, out, cols)
    if "name" in out:
        _fill_roles(rows, out, cols)
    return out


def content_roles(rows: list[list[str]]) -> dict[str, int]:
    """Roles from the cells alone (no header words): a name column and what describes it."""
    j = name_column(rows, leading=True)
    if j is None:
        return {}
    roles = {"name": j}
    cols = {k: profile(rows, k) for k in range(width(rows))}
    _fill_roles(rows, roles, cols)
    return roles


def _drop_implausible(roles: dict[str, int], cols: dict[int, Column]) -> None:
    """A type column names types, text columns hold words, a section column repeats."""
    def col(role: str) -> Column | None:
        c = cols.get(roles[role]) if role in roles else None
        return c if c is not None and c.filled else None

    c = col("type")
    if c is not None and c.types < 0.5:
        del roles["type"]
    for role in ("description", "title", "code_label"):
        c = col(role)
        if c is not None and (c.letters < 0.6 or role != "code_label" and c.filled >= 2
                              and c.codelike >= 0.8 and c.words <= 1):
            del roles[role]         # numbers, or identifiers (`Pickey Desc` over key names)
    c = col("section")
    if c is not None and c.fill >= 0.5 and not c.vocabulary:
        del roles["section"]        # `Group` over per-row labels: not a section
    c = col("table")
    if (c is not None and c.fill >= 0.9 and c.unique >= 0.8 and c.letters >= 0.6
            and c.numeric < 0.5 and "alias" not in roles):
        # `Nom dans le fichier de base` over a name on every row: the name in the data file
        roles["alias"] = roles.pop("table")
    c = col("code")
    if c is not None and c.words > 4:
        del roles["code"]
    c = col("missing")
    if c is not None and c.yes_no >= 0.9:
        del roles["missing"]        # whether the field has missing values, not their codes
    if "code_label" in roles and "code" not in roles:
        del roles["code_label"]


def _check_name(rows: list[list[str]], roles: dict[str, int], cols: dict[int, Column]) -> None:
    """A header's name column over numbers or sentences (misaligned, numbered): the column of
    names beside it takes the role."""
    j = roles.get("name")
    c = cols.get(j) if j is not None else None
    if c is None or c.filled == 0:
        return
    if c.names < 0.5 and c.prose:
        _titles_as_names(rows, roles, cols)
        return
    if c.numeric < 0.8 and c.words <= 6:
        return
    k = name_column(rows, skip={j})
    if k is None:
        del roles["name"]
        return
    for role, col in list(roles.items()):
        if col == k:
            del roles[role]
    roles["name"] = k


def _titles_as_names(rows: list[list[str]], roles: dict[str, int], cols: dict[int, Column]
                     ) -> None:
    """A name column of titles (`Site name`) beside a column of distinct identifiers
    (`site_id`): the identifiers are the names, the titles their labels."""
    j = roles["name"]
    # a `code` column of program names (`fork_length`) holds the names, not value codes
    fixed = {k for r, k in roles.items() if r in _FIXED_ROLES
             and not (r == "code" and cols[k].codelike >= 0.5)} | {j}
    k = name_column(rows, skip=fixed)
    if (k is None or not _per_field(cols[k], cols[j]) or cols[k].short_codes >= 0.5
            or _numbers_left(cols, set(roles.values()) | {k})):
        return
    for role, col in list(roles.items()):
        if col == k:
            del roles[role]
    roles["name"] = k
    for role in ("title", "description"):
        if role not in roles:
            roles[role] = j
            return


def _per_field(names: Column, titles: Column) -> bool:
    """A column of distinct values, one per field: unique cells, or merged cells filled down
    changing where the titles change (each value in one run, as many runs as the titles)."""
    return names.unique >= 0.8 or (names.blocks and names.distinct >= 0.8 * names.runs
                                   and names.runs >= 0.8 * titles.runs)


def _content_name(rows: list[list[str]], roles: dict[str, int], cols: dict[int, Column]
                  ) -> None:
    """The name column of a header that names none (`Row | Description`): distinct
    identifiers beside prose that describes them.  Not in a data file: no column the header
    left unnamed holds numbers (a row number aside), and the names are no one-letter codes."""
    prose = [cols[roles[r]] for r in ("description", "title") if r in roles]
    if not any(c.prose and (c.chars >= _MIN_PROSE_CHARS or c.words >= 2) for c in prose):
        return
    fixed = {j for r, j in roles.items() if r in _FIXED_ROLES}
    j = name_column(rows, skip=fixed)
    if j is None or cols[j].short_codes >= 0.5:
        return
    if _numbers_left(cols, set(roles.values()) | {j}):
        return
    for role, k in list(roles.items()):
        if k == j:
            del roles[role]
    roles["name"] = j


def _numbers_left(cols: dict[int, Column], taken: set[int]) -> bool:
    """A column of numbers no header word explains (a row index aside): a data file's."""
    return any(c.numeric >= 0.8 and not c.sequence for k, c in cols.items()
               if k not in taken and c.filled)


def _fill_roles(rows: list[list[str]], roles: dict[str, int], cols: dict[int, Column]) -> None:
    """Roles for the columns the header did not name, from their cells."""
    taken = set(roles.values())
    free = [c for j, c in cols.items() if j not in taken and c.fill >= 0.1 and c.filled >= 2]
    grouped = groups(rows, roles["name"])
    code_pair(roles, free, grouped, taken)
    for c in free:
        if c.j in taken:
            continue
        if "type" not in roles and c.types >= 0.6 and c.words <= 4:
            roles["type"] = c.j
            taken.add(c.j)
    text = [c for c in free if c.j not in taken and c.prose and not c.vocabulary]
    # code lists, also beside ranges (`0-110`) and type words (`Continuous`) in one column
    values = [c for c in free if c.j not in taken and not c.vocabulary
              and (c.codes >= 0.3 and c.prose or c.codes > 0 and c.valuelike >= 0.5)]
    prose = [c for c in text if c.codes < 0.5 and c.lines < 0.6] or text
    if "description" not in roles and prose:
        if "title" in roles:
            # beside a label column, only a longer text without code lists describes
            prose = [c for c in prose if c.words > cols[roles["title"]].words and c.codes < 0.3]
        best = max(prose, key=lambda c: (c.words, -c.j), default=None)
        if best is not None:
            # short texts are labels: a first line naming the field, remarks under it
            role = "title" if best.words <= _LABEL_WORDS and "title" not in roles \
                else "description"
            roles[role] = best.j
            taken.add(best.j)
    if "title" not in roles and "description" in roles and roles["description"] in cols:
        desc = cols[roles["description"]]
        # a label column labels most fields
        shorter = [c for c in prose if c.j not in taken and c.j < desc.j and c.words <= 10
                   and c.words < desc.words and c.codes < 0.3 and c.fill >= 0.5]
        if shorter:
            roles["title"] = shorter[0].j
            taken.add(shorter[0].j)
    if "values" not in roles:
        best = max((c for c in values if c.j not in taken), key=lambda c: c.codes, default=None)
        if best is not None:
            roles["values"] = best.j
            taken.add(best.j)
