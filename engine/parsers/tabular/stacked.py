"""Header words stacked over the values in the same cells.

Some exports (survey tools printing a codebook to PDF) repeat the column headers inside every
row that starts a field: the name cell reads `Variablenname\\nv_277`, the next
`Externer Variablenname\\nv_277`.  A column whose cells start with the same header word, one
that names the variable, and go on with an identifier is such a column: the word goes up into
a header row put above the first of those rows, and the cells keep their values.  The rows
under it (codes and labels on rows of their own) are then read as any table's.  Such an
export breaks its table at every page and question: the pieces that follow, as wide and
either under the same stacked words or with none, are one table (`joined`).
"""

from __future__ import annotations

from ...formats import Table
from . import cells as C
from .columns import candidates

__all__ = ["joined", "unstacked"]


def joined(tables: list[Table]) -> list[Table]:
    """The tables with stacked header words unstacked, and the pieces after such a table
    (the same stacked words, or none, in as many columns) joined to it."""
    out: list[Table] = []
    head: list[str] | None = None        # the header row of the last unstacked table
    for table in tables:
        flat, found = _unstack(table)
        width = max((len(r) for r in table.rows), default=0)
        if head is not None and found is None and width < len(head) and _code_rows(flat.rows):
            # codes going on over a page break, their empty leading columns left out
            flat = Table(rows=[[""] * (len(head) - len(r)) + r for r in flat.rows],
                         name=flat.name, page=flat.page, context=flat.context)
            width = len(head)
        if head is not None and len(head) == width and (found is None or found == head):
            rows = [r for r in flat.rows if r is not found]
            out[-1] = Table(rows=out[-1].rows + rows, name=out[-1].name, page=out[-1].page,
                            context=out[-1].context, line=out[-1].line,
                            heading=out[-1].heading)
            continue
        out.append(flat)
        head = found
    return out


def unstacked(table: Table) -> Table:
    """The table with header words stacked in its cells moved up into a header row."""
    return _unstack(table)[0]


def _unstack(table: Table) -> tuple[Table, list[str] | None]:
    """(the table unstacked, the header row put in it, or None: nothing was stacked)."""
    rows = table.rows
    heads = {j: h for j in range(max((len(r) for r in rows), default=0))
             if (h := _stacked_word(rows, j))}
    if not any(candidates(h) and candidates(h)[0][0] == "name" for h in heads.values()):
        return table, None
    first = None
    out: list[list[str]] = []
    for i, row in enumerate(rows):
        cells = list(row)
        for j, head in heads.items():
            if j < len(cells) and _split(cells[j])[0] == head:
                cells[j] = _split(cells[j])[1]
                first = i if first is None else first
        out.append(cells)
    width = max(len(r) for r in rows)
    header = [heads.get(j, "") for j in range(width)]
    out.insert(first, header)
    return Table(rows=out, name=table.name, page=table.page, context=table.context,
                 line=table.line, heading=table.heading), header


def _split(cell: str) -> tuple[str, str]:
    """(first line, the rest) of a cell; the rest is '' for a one-line cell."""
    first, _, rest = cell.strip().partition("\n")
    return first.strip(), rest.strip()


def _stacked_word(rows: list[list[str]], j: int) -> str | None:
    """The header word the cells of column j that go on with an identifier on a second line
    all start with, when it reads as a header; else None."""
    parts = [_split(r[j]) for r in rows if j < len(r) and "\n" in r[j].strip()]
    heads = {h for h, v in parts if C.is_identifier(v)}
    if len(heads) != 1 or not candidates(head := heads.pop()):
        return None
    return head


def _code_rows(rows: list[list[str]]) -> bool:
    """Rows that each start with a number (a code) and hold something beside it."""
    return bool(rows) and all(r and C.number(r[0]) is not None and any(r[1:]) for r in rows)
