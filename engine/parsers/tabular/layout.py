"""Where the dictionary tables of a document are, and what each of their columns means.

Each table of the document (a sheet, a Word or HTML table, a pipe table, a PDF table) is cut
into one or more *plans*: the rows under a header row, up to the next header row of another
table in the same sheet.  Title rows above a header name that table.  Roles come from the
header words, checked against the cells and completed from them (`profile.py`).  A table
without a header row that could be read:

- continues the dictionary table before it when it is as wide and its first column holds
  names (a table split across pages, or by a page break in a Word document);
- else has its roles read from the cells alone.  A first row that does not look like the
  rows under it (words over a column of identifiers, in any language) is its header.  A
  first row of identifiers only is the header of a data file, which is no dictionary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...formats import Document, Table
from . import cells as C
from .columns import DEFINING_ROLES, Header, candidates, header_rows, map_header
from .profile import check_roles, content_roles, profile
from .stacked import joined

# roles a summary-statistics table cannot have: its min/max/missing columns are observed
_NOT_IN_STATS = ("min", "max", "range", "missing", "code", "code_label", "values", "unit")
_MIN_STAT_COLUMNS = 3
_MAX_GUESSED_WIDTH = 6
_MIN_GUESSED_PROSE = 15     # mean characters of the describing column of a header-less table
# delimited files and sheets are data files as often as dictionaries
_DATA_KINDS = ("csv", "xlsx", "xls", "text")
_WORDS = re.compile(r"[^\W\d_][^\W\d_ .-]*(?: [^\W\d_]+){0,3}")   # a header cell in words


@dataclass
class Plan:
    """One dictionary table: its rows under the header and the role of each column."""

    table: Table
    roles: dict[str, int]
    body: list[list[str]]
    header: list[str] | None = None   # the header row's cells (None: no header row)
    title: str = ""                   # title rows above the header in the same table
    score: float = 0.0
    guessed: bool = False             # roles read from the cells alone
    stats: bool = False               # a summary-statistics table
    continued: bool = False           # continues the table before it (no header of its own)


def plan_tables(doc: Document) -> list[Plan]:
    """The dictionary tables of a document, in order."""
    plans: list[Plan] = []
    prev: Plan | None = None
    for table in joined(doc.tables):
        found = _plan_table(table, doc.kind, prev)
        plans.extend(found)
        prev = found[-1] if found else None
    return plans


def _plan_table(table: Table, kind: str, prev: Plan | None) -> list[Plan]:
    rows = table.rows
    heads = header_rows(rows)
    if heads:
        plans = [p for p in (_segment(table, heads, k) for k in range(len(heads))) if p]
        if plans or "name" in heads[0].roles:
            return plans
        # a header without a name column whose cells hold none: read as if it had no header
    if prev is not None and _continues(prev, table, kind):
        return [Plan(table=table, roles=prev.roles, body=rows, header=prev.header,
                     guessed=prev.guessed, stats=prev.stats, continued=True)]
    guessed = _guess(table, kind)
    return [guessed] if guessed else []


def _segment(table: Table, heads: list[Header], k: int) -> Plan | None:
    """The plan of the k-th header of a table: its rows up to the next header's titles."""
    rows, head = table.rows, heads[k]
    end = heads[k + 1].row if k + 1 < len(heads) else len(rows)
    if k + 1 < len(heads):
        end = _title_start(rows, end)
    start = _title_start(rows, head.row) if k else 0
    title = " ".join(_title_text(r) for r in rows[start:head.row] if _title_text(r))
    body = rows[head.row + 1:end]
    header = head.cells or rows[head.row]
    roles = check_roles(body, head.roles)
    stats = _stat_columns(header) >= _MIN_STAT_COLUMNS
    if stats:
        for role in _NOT_IN_STATS:
            roles.pop(role, None)
    # a statistics table describes its fields by their statistics
    if "name" not in roles or not (DEFINING_ROLES & roles.keys() or stats):
        return None
    return Plan(table=table, roles=roles, body=body, header=header, title=title,
                score=head.score, stats=stats)


def _title_text(row: list[str]) -> str:
    """The text of a title row (one text, alone or repeated across merged cells), else ''."""
    filled = {c.strip() for c in row if c.strip()}
    return filled.pop() if len(filled) == 1 else ""


def _title_start(rows: list[list[str]], i: int) -> int:
    """First of the title (and blank) rows right above row i."""
    while i > 0 and (not any(rows[i - 1]) or _title_text(rows[i - 1])):
        i -= 1
    return i


def _stat_columns(header: list[str]) -> int:
    """Header cells that name an observed statistic (n, mean, sd, median, freq...)."""
    return sum(1 for c in header if candidates(c) and candidates(c)[0][0] == "stat")


def _continues(prev: Plan, table: Table, kind: str) -> bool:
    """A header-less table as wide as the dictionary table before it, names in the same
    column: the same table, continued (on the next page of a PDF)."""
    rows, ptable = table.rows, prev.table
    if not rows or not ptable.rows or len(rows[0]) != len(ptable.rows[0]):
        return False
    if _blank_name_header(rows[0], prev.roles["name"]):
        return False                # `| | Meaning |`: a header of its own
    col = profile(rows, prev.roles["name"])
    if kind == "pdf":
        # the next page's first table, names (not codes) where the names were
        return (table.page is not None and ptable.page is not None
                and table.page == ptable.page + 1 and col.numeric < 0.5
                and not _codes_header(rows, prev.roles["name"]))
    if (table.context, table.heading) != (ptable.context, ptable.heading):
        return False                # a table of its own, under its own heading or caption
    return col.filled >= 1 and col.names >= 0.8


def _codes_header(rows: list[list[str]], j: int) -> bool:
    """A first row of words over a column of numbers: the header of a code table."""
    rest = [r[j] for r in rows[1:] if j < len(r) and r[j]]
    return (bool(rest) and j < len(rows[0]) and C.number(rows[0][j]) is None
            and sum(C.number(c) is not None for c in rest) >= 0.8 * len(rest))


def _guess(table: Table, kind: str) -> Plan | None:
    """Roles from the cells of a table without a header row that could be read."""
    at = [i for i, r in enumerate(table.rows) if any(r)]
    while at and _title_text(table.rows[at[0]]) and len(at) > 3 \
            and not _blank_name_header(table.rows[at[0]], 0):
        at = at[1:]                 # title rows above the table
    rows = [table.rows[i] for i in at]
    if len(rows) < 3 or not 2 <= max(len(r) for r in rows) <= _MAX_GUESSED_WIDTH:
        return None
    first = rows[0]
    roles = content_roles(rows[1:])
    if "name" in roles and (_foreign_header(first, roles["name"])
                            or _unlike_names(first, rows[1:], roles["name"])):
        header, body = first, table.rows[at[0] + 1:]
    elif "name" in roles and _blank_name_header(first, roles["name"]):
        header, body = first, table.rows[at[0] + 1:]
        for role, j in map_header(first)[0].items():
            for other, k in list(roles.items()):
                if k == j:
                    del roles[other]
            roles[role] = j
    else:
        if kind in _DATA_KINDS and all(C.is_identifier(c) for c in first if c):
            return None             # the header row of a data file
        roles = content_roles(rows)
        header, body = None, table.rows[at[0]:]
        if "name" in roles and not _describes(rows, roles):
            return None
    if "name" not in roles or not {"description", "title", "values"} & roles.keys():
        return None
    return Plan(table=table, roles=roles, body=body, header=header, guessed=True)


def _foreign_header(first: list[str], name_col: int) -> bool:
    """A first row of short words over a column of identifiers: a header in any language."""
    name = first[name_col] if name_col < len(first) else ""
    filled = [c for c in first if c]
    return (bool(name) and not C.name_like(name) and len(filled) >= 2
            and all(len(c) <= 40 and len(c.split()) <= 5 and "\n" not in c for c in filled))


def _unlike_names(first: list[str], rows: list[list[str]], j: int) -> bool:
    """A first row of words (`Zmienna | Opis`) over names written otherwise (`id_gosp`,
    lower case): a header in any language, unless a column below holds numbers (a data
    file's header is written like its values, and its rows hold numbers)."""
    head = first[j] if j < len(first) else ""
    names = [r[j] for r in rows if j < len(r) and r[j]]
    filled = [c for c in first if c]
    if not head or not names or len(filled) < 2 or not all(_WORDS.fullmatch(c) for c in filled):
        return False
    marked = sum(bool(re.search(r"[_\d]", n)) for n in names) >= 0.5 * len(names)
    lower = sum(n.islower() for n in names) >= 0.8 * len(names)
    unlike = (marked and not re.search(r"[_\d]", head)) or (lower and head[:1].isupper()
                                                            and not head.isupper())
    numbers = any(profile(rows, k).numeric >= 0.8 and not profile(rows, k).sequence
                  for k in range(len(first)))
    return unlike and not numbers


def _blank_name_header(first: list[str], name_col: int) -> bool:
    """`| | Description`: header words over every column but the names'."""
    filled = [c for c in first if c]
    return (name_col < len(first) and not first[name_col] and bool(filled)
            and all(candidates(c) for c in filled))


def _describes(rows: list[list[str]], roles: dict[str, int]) -> bool:
    """A header-less table describes its names: long prose beside them, or code lists."""
    if "values" in roles:
        return True
    j = roles.get("description", roles.get("title"))
    if j is None:
        return False
    chars = sum(len(r[j]) for r in rows if j < len(r)) / len(rows)
    return chars >= _MIN_GUESSED_PROSE
