"""Real dictionary + data pairs with seeded violations, for the exports' agreement tests
(tests/integration/test_export_agreement.py, test_export_sql.py).

Each case is a real dictionary parsed by Codebook, its field names aligned with the data's
column names (Codebook's own matching), given a few constraints so that every kind of check
has something to find (stated per case below), and real data (house-prices, uci-adult) or data
drawn from the dictionary (the REDCap project, which ships none) in which a seeded
`random.Random(42)` corrupts cells.  `codebook_counts` is what Codebook's own Check
(`engine.analyze.analyze_files`) finds in that file: {(column, kind): count}.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import random
import sys
import uuid
from collections import Counter
from dataclasses import dataclass, field as dc_field, replace
from functools import lru_cache
from pathlib import Path

from engine.analyze import analyze_files
from engine.formats import read_dataset
from engine.jobs import parse_file
from engine.model import Category, Field, Schema
from engine.report.exports.rules import Rule, column_rules, number
from harness.fixtures import FIXTURES

COMPARED = ("type", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "category",
            "required", "unique", "pattern", "minLength", "maxLength")


@dataclass
class Case:
    """A dictionary, the corrupted data as CSV, and what Codebook's Check finds in it."""

    name: str
    schema: Schema
    csv_path: Path
    header: list[str]
    rows: list[list[str]]                      # data rows as written (text)
    seeded: Counter = dc_field(default_factory=Counter)   # corruption kinds used

    @property
    def rules(self) -> dict[str, Rule]:
        return {r.name: r for r in column_rules(self.schema)}


# ---- the cases --------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def case(name: str, workdir: str) -> Case:
    """The case `name` written under `workdir` (cached: every test reads the same files)."""
    build = {"house-prices": _house_prices, "uci-adult": _adult, "redcap": _redcap}[name]
    schema, header, rows = build()
    out = Path(workdir) / name
    out.mkdir(parents=True, exist_ok=True)
    c = Case(name, schema, out / "data.csv", header, rows)
    _corrupt(c, random.Random(42))
    with open(c.csv_path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(c.rows)
    (out / "schema.json").write_text(json.dumps(schema.to_descriptor(), indent=1),
                                     encoding="utf-8")
    return c


def _aligned(dictionary: Path, data: Path) -> tuple[Schema, list[str], list[list[str]]]:
    """The parsed dictionary with fields renamed to their matched columns, and the data."""
    a = analyze_files(data, dictionary)
    column_of = {p.field: p.column for p in a.matching.pairs if p.code is None}
    schema = a.schema
    schema.fields = [replace(f, name=column_of.get(f.name, f.name)) for f in schema.fields]
    table = a.table
    header = list(table.column_names)
    cols = [table.column(i).to_pylist() for i in range(table.num_columns)]
    rows = [["" if v is None else str(v) for v in row] for row in zip(*cols)]
    return schema, header, rows


def _house_prices() -> tuple[Schema, list[str], list[list[str]]]:
    """Added: Id (integer, required, unique, >= 1), LotFrontage's 'NA' a missing-value code,
    LotArea 1300-100000, YrSold a year 2006-2010, Street 4 letters, SaleType a pattern,
    MSZoning and OverallQual required."""
    d = FIXTURES / "house-prices"
    schema, header, rows = _aligned(d / "data_description.txt", d / "train.csv")
    schema.fields.insert(0, Field("Id", "Row identifier", type="integer",
                                  constraints={"required": True, "unique": True, "minimum": 1}))
    f = schema.field
    f("LotFrontage").missing_values = [Category("NA", "No street frontage")]
    f("LotArea").constraints.update(minimum=1300, maximum=100000)
    f("YrSold").constraints.update(minimum=2006, maximum=2010)
    f("Street").constraints.update(minLength=4, maxLength=4)
    f("SaleType").constraints["pattern"] = "[A-Z][A-Za-z]{1,4}"
    f("MSZoning").constraints["required"] = True
    f("OverallQual").constraints["required"] = True
    return schema, header, rows


def _adult() -> tuple[Schema, list[str], list[list[str]]]:
    """Added: age an integer 17-90 and required, education-num an integer 1-16 with 99 as a
    missing-value code, hours-per-week 1-99, workclass and sex required ('?' and '' are the
    dictionary's own missing values, so '?' leaves a required field empty)."""
    d = FIXTURES / "uci-adult"
    schema, header, rows = _aligned(d / "adult.names", d / "adult.data")
    f = schema.field
    f("age").type = "integer"
    f("age").constraints.update(minimum=17, maximum=90, required=True)
    f("education-num").type = "integer"
    f("education-num").constraints.update(minimum=1, maximum=16)
    f("education-num").missing_values = [Category("99", "Not asked")]
    f("hours-per-week").constraints.update(minimum=1, maximum=99)
    f("workclass").constraints["required"] = True
    f("sex").constraints["required"] = True
    return schema, header, rows


def _redcap() -> tuple[Schema, list[str], list[list[str]]]:
    """The REDCap project of the Takotsubo codebook PDF, with data drawn from it (300 records):
    added record_id required and unique, age 18-110, echo_date 2000-01-01 to 2030-12-31."""
    schema = parse_file(FIXTURES / "redcap-codebook-pdf-takotsubo" /
                        "Codebook_Takotsubo_pages_1_2_5.pdf").schema
    f = schema.field
    f("record_id").constraints.update(required=True, unique=True)
    f("age").constraints.update(minimum=18, maximum=110)
    f("echo_date").constraints.update(minimum="2000-01-01", maximum="2030-12-31")
    rules = column_rules(schema)
    rnd = random.Random(7)
    header = [r.name for r in rules]
    rows = [[_draw(r, i, rnd) for r in rules] for i in range(300)]
    return schema, header, rows


def _draw(r: Rule, i: int, rnd: random.Random) -> str:
    """A valid value of the rule (sometimes empty, sometimes a missing-value code)."""
    if r.name == "record_id":
        return str(1000 + i)
    if not r.required and rnd.random() < 0.1:
        return ""
    if r.missing and rnd.random() < 0.1:
        return rnd.choice(r.missing).value
    if r.codes:
        return rnd.choice(r.codes).value
    lo = number(r.bounds.get("minimum"))
    hi = number(r.bounds.get("maximum"))
    if r.type == "integer":
        return str(rnd.randint(int(lo if lo is not None else 0), int(hi if hi is not None else 99)))
    if r.type == "number":
        return f"{rnd.uniform(lo if lo is not None else 0, hi if hi is not None else 99):.1f}"
    if r.type == "date":
        return f"20{rnd.randint(10, 24):02d}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
    return rnd.choice(["alpha", "beta", "gamma", "delta"]) + str(rnd.randint(1, 9))


# ---- seeded corruption ------------------------------------------------------------------------
_BAD_TEXT = ["abc", "n/a?", "12x", "--"]


def _corrupt(c: Case, rnd: random.Random, cells: int = 60) -> None:
    """Corrupt one cell per way each rule can be broken (and each has missing codes), then
    `cells` more cells picked at random, each in a way its column's rule forbids."""
    rules = c.rules
    index = {name: i for i, name in enumerate(c.header)}
    targets = [r for r in rules.values() if r.name in index and _ways(r)]
    picks = [(r, way) for r in targets for way in _ways(r)]
    for _ in range(cells):
        r = rnd.choice(targets)
        picks.append((r, rnd.choice(_ways(r))))
    for r, way in picks:
        row = rnd.randrange(len(c.rows))
        c.rows[row][index[r.name]] = _bad(way, r, c, index[r.name], rnd)
        c.seeded[way] += 1


def _ways(r: Rule) -> list[str]:
    ways = []
    if r.checked and r.type not in ("boolean",):
        ways.append("type")
    if r.numeric and r.bounds:
        ways += [k for k in r.bounds if k in ("minimum", "maximum")]
    if r.codes:
        ways.append("category")
    if r.required:
        ways.append("required")
    if r.unique:
        ways.append("unique")
    if r.pattern:
        ways.append("pattern")
    if r.max_length is not None:
        ways.append("maxLength")
    if r.missing:
        ways.append("missing")
    return ways


def _bad(way: str, r: Rule, c: Case, col: int, rnd: random.Random) -> str:
    if way == "type":
        return "2021-02-30" if r.type == "date" and rnd.random() < 0.5 else rnd.choice(_BAD_TEXT)
    if way == "minimum":
        return str(number(r.bounds["minimum"]) - rnd.randint(1, 5))
    if way == "maximum":
        return str(number(r.bounds["maximum"]) + rnd.randint(1, 5))
    if way == "category":
        return "777" if r.numeric_codes() is not None else "ZZZ"
    if way == "required":
        return r.empty[0]
    if way == "unique":
        return c.rows[rnd.randrange(len(c.rows))][col]
    if way == "pattern":
        return "x" + rnd.choice(["1", "!", "_"])
    if way == "maxLength":
        return "Gravel"
    return rnd.choice(r.missing).value


# ---- what Codebook finds ----------------------------------------------------------------------
def codebook_analysis(c: Case):
    """Codebook's Check of the corrupted file against the dictionary (as a Table Schema file)."""
    return analyze_files(c.csv_path, c.csv_path.parent / "schema.json")


def codebook_counts(c: Case) -> Counter:
    """{(column, kind): rows} of Codebook's Check, for the kinds the exports state."""
    out: Counter = Counter()
    for f in codebook_analysis(c).result.fields:
        for v in f.violations:
            if v.kind in COMPARED:
                out[(v.column or f.columns[0], v.kind)] += v.count
    return out


def codebook_rows(c: Case) -> set[int]:
    """0-based rows with at least one violation of a compared kind."""
    rows: set[int] = set()
    for f in codebook_analysis(c).result.fields:
        for v in f.violations:
            if v.kind in COMPARED:
                rows.update(int(x) for x in v.rows)
    return rows


def text_table(c: Case):
    """The corrupted data as Codebook reads it (an Arrow table of text)."""
    return read_dataset(c.csv_path, typed=False).table


def load_exported_module(path: str | Path):
    """An exported Python file (pandera's schema module) executed as Python would import it,
    under a fresh name so that two exports never share a module."""
    name = f"exported_{uuid.uuid4().hex}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module   # dataclasses and pandera look their module up by name
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[name]
    return module
