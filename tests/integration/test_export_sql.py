"""The SQL export loads into DuckDB, SQLite and PostgreSQL, and the database rejects exactly the
rows Codebook's Check flags (harness/export_cases.py: real pairs with seeded violations).

Rows go in one INSERT each, cells as text for the database to convert (empty cells NULL;
missing-value codes the column's type cannot hold NULL, as the DDL's header asks).  DuckDB
takes the rows Codebook passes in one INSERT from an Arrow table of text (all of them must go
in), then every flagged row on its own (each must be refused): a statement costs DuckDB
milliseconds.

The one stated difference: a database compares a row with the rows it holds, Codebook with
the rows before it.  A row whose only problem is repeating a value of a unique column goes in
when every earlier row holding that value was refused for something else; `expected_refusals`
works those rows out from Codebook's own findings.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import pyarrow as pa
import pytest

from harness.export_cases import case, codebook_analysis
from engine.model import Category, Field, Schema
from engine.report.exports import render
from engine.report.exports.rules import number

CASES = ["house-prices", "uci-adult", "redcap"]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("export-cases"))


def load_values(c) -> tuple[list[str], list[list[str | None]]]:
    """The columns the DDL has and each row's cells as the loader sends them."""
    rules = c.rules
    columns = [h for h in c.header if h in rules]
    index = [c.header.index(h) for h in columns]
    rows = []
    for row in c.rows:
        cells = []
        for name, j in zip(columns, index):
            r, v = rules[name], row[j]
            unstorable = r.numeric and v in {m.value for m in r.missing} and number(v) is None
            cells.append(None if v in r.schema_missing or unstorable else v)
        rows.append(cells)
    return columns, rows


def _names(columns: list[str]) -> str:
    return ", ".join('"' + c.replace('"', '""') + '"' for c in columns)


def insert_sql(columns: list[str], mark: str) -> str:
    return f'INSERT INTO "data" ({_names(columns)}) VALUES ({", ".join([mark] * len(columns))})'


def expected_refusals(c) -> set[int]:
    """Codebook's flagged rows, less the unique-only repeats of refused rows (see above)."""
    flags: dict[int, set[str]] = {}
    for f in codebook_analysis(c).result.fields:
        for v in f.violations:
            if v.kind != "logic":
                for row in v.rows.tolist():
                    flags.setdefault(row, set()).add(v.kind)
    unique_columns = [r.name for r in c.rules.values() if r.unique]
    index = {h: i for i, h in enumerate(c.header)}
    accepted: dict[str, set[str]] = {col: set() for col in unique_columns}
    refused = set()
    for i, row in enumerate(c.rows):
        kinds = flags.get(i, set())
        repeats_accepted = any(row[index[col]] in accepted[col] for col in unique_columns)
        if kinds and (kinds != {"unique"} or repeats_accepted):
            refused.add(i)
            continue
        for col in unique_columns:
            accepted[col].add(row[index[col]])
    return refused


def refused_one_by_one(execute, rows, which) -> set[int]:
    """The rows of `which` whose INSERT fails."""
    out = set()
    for i in which:
        try:
            execute(rows[i])
        except Exception:   # noqa: BLE001 - every driver has its own constraint error
            out.add(i)
    return out


@pytest.mark.parametrize("name", CASES)
def test_sqlite_refuses_the_rows_codebook_flags(name, workdir):
    c = case(name, workdir)
    con = sqlite3.connect(":memory:")
    con.executescript(render(c.schema, "sql", dialect="sqlite"))
    columns, rows = load_values(c)
    sql = insert_sql(columns, "?")
    refused = refused_one_by_one(lambda r: con.execute(sql, r), rows, range(len(rows)))
    want = expected_refusals(c)
    assert len(want) > 50
    assert refused == want


@pytest.mark.parametrize("name", CASES)
def test_duckdb_refuses_the_rows_codebook_flags(name, workdir):
    import duckdb

    c = case(name, workdir)
    con = duckdb.connect()
    con.execute(render(c.schema, "sql", dialect="duckdb"))
    columns, rows = load_values(c)
    want = expected_refusals(c)
    sql = insert_sql(columns, "?")
    clean = pa.table({f"c{j}": pa.array([rows[i][j] for i in range(len(rows)) if i not in want],
                                        pa.string()) for j in range(len(columns))})
    # every row Codebook passes goes in, in one statement (DuckDB casts the text)
    con.execute(f'INSERT INTO "data" ({_names(columns)}) SELECT * FROM clean')
    assert con.execute('SELECT count(*) FROM "data"').fetchone()[0] == clean.num_rows
    refused = refused_one_by_one(lambda r: con.execute(sql, r), rows, sorted(want))
    assert refused == want


# ---- PostgreSQL ---------------------------------------------------------------------------------
def _pg_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return versions[-1].parent if versions else None


@pytest.fixture(scope="module")
def postgres():
    """A throw-away PostgreSQL server on a Unix socket (as `nobody` when run as root)."""
    psycopg = pytest.importorskip("psycopg")
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (no initdb)")
    root = Path(tempfile.mkdtemp(prefix="codebook-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "nobody")
        run_as = ["runuser", "-u", "nobody", "--"]
    data, port = root / "data", "54329"
    subprocess.run(run_as + [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U",
                             "postgres"], check=True, capture_output=True, timeout=120)
    subprocess.run(run_as + [str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l",
                             str(root / "log"), "-o", f"-c listen_addresses='' -k {root} -p {port}",
                             "start"], check=True, capture_output=True, timeout=60)
    try:
        yield lambda: psycopg.connect(host=str(root), port=port, user="postgres",
                                      dbname="postgres", autocommit=True)
    finally:
        subprocess.run(run_as + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("name", CASES)
def test_postgres_refuses_the_rows_codebook_flags(name, workdir, postgres):
    c = case(name, workdir)
    with postgres() as con:
        con.execute('DROP TABLE IF EXISTS "data"')
        con.execute(render(c.schema, "sql", dialect="postgres"))
        columns, rows = load_values(c)
        sql = insert_sql(columns, "%s")
        refused = refused_one_by_one(lambda r: con.execute(sql, r), rows, range(len(rows)))
    assert refused == expected_refusals(c)


# ---- what the DDL says --------------------------------------------------------------------------
HOSTILE = Schema([
    Field('x"; DROP TABLE data; --', title="it's\nhostile", type="integer",
          categories=[Category("0", "None"), Category("1", "One"), Category("2", "Two")],
          missing_values=[Category("-9", "Refused"), Category("NA")],
          constraints={"required": True, "minimum": 0, "maximum": 5}),
    Field("code", type="string", categories=[Category("a'); DROP TABLE data; --")],
          constraints={"unique": True, "pattern": "[^x']*'[^x]*"}),
])


@pytest.mark.parametrize("dialect", ["duckdb", "sqlite"])
def test_hostile_names_and_codes_stay_names_and_codes(dialect):
    """Quotes in names, codes and labels neither break the DDL nor run as SQL."""
    ddl = render(HOSTILE, "sql", dialect=dialect)
    if dialect == "sqlite":
        con = sqlite3.connect(":memory:")
        con.executescript(ddl)
        names = [r[1] for r in con.execute('PRAGMA table_info("data")')]
        execute = con.execute
    else:
        import duckdb

        con = duckdb.connect()
        con.execute(ddl)
        names = [r[0] for r in con.execute('DESCRIBE "data"').fetchall()]
        execute = con.execute
    assert names == ['x"; DROP TABLE data; --', "code"]
    sql = insert_sql(names, "?")
    execute(sql, ["-9", "a'); DROP TABLE data; --"])           # a missing code passes
    for bad in (["7", None], [None, None], ["3", None]):
        with pytest.raises(Exception):
            execute(sql, bad)
    assert execute('SELECT count(*) FROM "data"').fetchone()[0] == 1


def test_unknown_dialect_is_refused():
    with pytest.raises(ValueError, match="oracle"):
        render(HOSTILE, "sql", dialect="oracle")
