"""Tables that look like dictionaries but list something other than fields.

- a list of files, data sets or tables: its names are file names (`train.csv`), or they are
  the headings of the other tables of the document (an index of the data sets each described
  further down);
- a legend: its names are the header cells of another table (`mean`: Mean value);
- a code list: a table without a header row under a caption that is the label of a field of
  a table above it (`Activité économique en 10 postes` over `AZ | Agriculture…`), and the
  header-less pages that continue it; `codetables.py` gives its codes to that field;
- code lists by name (a workbook's sheet of `YESNO | 1 | Yes` rows, several rows per name)
  whose names a column of the variable table refers to; `namedlists.py` reads them.
- a table read without a header whose first row is a header naming its first column as
  something else than the fields (`Oportunidade | Descrição`), in a document whose field
  table has a header with a name column: a list of name parts or of other things.

(Summary-statistics tables are still read for their names and types; `layout.py` keeps their
observed min/max/missing columns from becoming constraints.)
"""

from __future__ import annotations

import re

from ...formats import Document
from . import cells as C
from .columns import map_header, normalize
from .layout import Plan
from .profile import groups

_FILE_NAME = re.compile(r"\.(?:csv|tsv|txt|dat|xlsx?|ods|sav|dta|sas7bdat|xpt|parquet|feather|"
                        r"json|jsonl|xml|rds|rda|rdata|zip|gz|db|sqlite|h5|nc|shp|geojson)$", re.I)
_MIN_MATCHES = 3


def drop_non_fields(plans: list[Plan], doc: Document) -> list[Plan]:
    """The plans that define fields."""
    headings = _headings(doc)
    named = any(p.header and not p.guessed and "name" in p.roles
                and "name" in map_header(p.header)[0] for p in plans)
    keep: list[Plan] = []
    labels: set[str] = set()
    listed = False
    for plan in plans:
        names = plan_names(plan)
        if not names:
            continue
        if plan.header is None and (listed and plan.continued
                                    or normalize(plan.table.context) in labels):
            listed = True
            continue
        listed = False
        if named and _other_header(plan):
            continue
        if _share(names, lambda n: bool(_FILE_NAME.search(n))) >= 0.5:
            continue
        own = {normalize(plan.table.context), normalize(plan.title)}
        if _matches(names, headings - own) >= max(_MIN_MATCHES, 0.5 * len(names)):
            continue
        others = {normalize(c) for p in plans if p is not plan and p.header for c in p.header}
        if _matches(names, others - {""}) >= max(_MIN_MATCHES, 0.6 * len(names)):
            continue
        keep.append(plan)
        labels |= _labels(plan)
    if doc.kind in ("xlsx", "xls", "ods"):
        keep = [p for p in keep if not _named_lists(p, keep)]
    return keep


_MIN_LIST_ROWS = 2      # rows per name of a sheet of code lists, on average


def _named_lists(plan: Plan, plans: list[Plan]) -> bool:
    """A table of code lists by name: several rows per name, and most names are the values of
    one column of another table (beside its variables' names)."""
    groups_ = groups(plan.body, plan.roles["name"])
    names = set(plan_names(plan))
    if len(names) < 2 or len(plan.body) < _MIN_LIST_ROWS * len(groups_):
        return False
    for other in plans:
        if other.table is plan.table:
            continue
        j = other.roles["name"]
        width = max((len(r) for r in other.body), default=0)
        for k in range(width):
            values = {r[k].strip() for r in other.body if k != j and k < len(r) and r[k].strip()}
            hits = names & values
            if len(hits) >= 2 and len(hits) >= 0.6 * len(names):
                return True
    return False


def _labels(plan: Plan) -> set[str]:
    """The texts beside the names of a plan's rows (its fields' labels)."""
    j = plan.roles["name"]
    return {normalize(c) for r in plan.body for k, c in enumerate(r) if k != j and c} - {""}


def _other_header(plan: Plan) -> bool:
    """A plan read without a header whose first row heads its text column (`Descrição`) and
    its name column with a word that names no field (`Oportunidade`)."""
    if plan.header is not None or not plan.body:
        return False
    text = {plan.roles[r] for r in _TEXT_ROLES if r in plan.roles}
    roles, _ = map_header(plan.body[0])
    return "name" not in roles and any(roles.get(r) in text for r in _TEXT_ROLES)


_TEXT_ROLES = ("description", "title")


def plan_names(plan: Plan) -> list[str]:
    """The first name cell of each field of a plan, without marks."""
    j = plan.roles["name"]
    out = []
    for g in groups(plan.body, j):
        cell = g[0][j] if j < len(g[0]) else ""
        if cell:
            out.append(C.strip_marks(cell.split("\n")[0]))
    return out


def _headings(doc: Document) -> set[str]:
    """What the tables of the document are about: their headings, captions, sheet names."""
    return {normalize(t.context) for t in doc.tables if t.context} - {""}


def _share(names: list[str], pred) -> float:
    return sum(1 for n in names if pred(n)) / len(names)


def _matches(names: list[str], pool: set[str]) -> int:
    return sum(1 for n in names if normalize(n) in pool)
