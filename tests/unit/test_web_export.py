"""The Dictionary tab's exports (web.export_handlers, web.steps.export_dictionary): the picker
names every export (SQL once per dialect), formats are named as `parse --to` names them, the
session's dictionary is exported with its edits, a file that was uploaded is read first, and
without a dictionary the tab says what to do."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from harness.export_cases import load_exported_module
from harness.fixtures import fixture_path
from engine.errors import InputError
from engine.parsers import parse_dictionary
from engine.pipeline import InlineExecutor
from engine.pipeline.outputs import compact_schema
from engine.report.exports import FORMATS
from web import steps
from web.export_handlers import ExportHandlers, export_choices, export_target

HOUSE_DICT = fixture_path("house-prices", "data_description.txt")


def _edited() -> bytes:
    """The house-prices dictionary as a session holds it after edits in the fields table."""
    schema = parse_dictionary(HOUSE_DICT).schema
    schema.field("LotArea").title = "Lot size (square feet)"
    schema.field("LotArea").constraints = {"minimum": 0, "maximum": 10000}
    return compact_schema(schema.to_descriptor())



def test_the_picker_names_every_export_and_each_sql_dialect():
    choices = export_choices()
    values = [v for _, v in choices]
    assert set(values) == (set(FORMATS) - {"sql"}) | {"sql:duckdb", "sql:postgres",
                                                      "sql:sqlite"}
    titles = dict((v, t) for t, v in choices)
    assert titles["sql:sqlite"] == "SQL CREATE TABLE (SQLite)"
    assert titles["pandera"] == "pandera schema (Python)" and titles["stata"] == "Stata do-file"


@pytest.mark.parametrize("given, dialect, expected", [
    ("pandera", None, ("pandera", None)), (" GX ", None, ("gx", None)),
    ("sql", None, ("sql", "duckdb")), ("sql", "SQLite", ("sql", "sqlite")),
    ("sql:postgres", None, ("sql", "postgres")), ("stata", "sqlite", ("stata", None)),
])
def test_formats_are_named_as_the_cli_names_them(given, dialect, expected):
    assert export_target(given, dialect) == expected


def test_an_unknown_format_or_dialect_names_the_choices():
    with pytest.raises(InputError, match="use one of pandera, pandera-yaml, gx"):
        export_target("xlsx")
    with pytest.raises(InputError, match="Unknown SQL dialect 'mysql': use one of duckdb"):
        export_target("sql", "mysql")


def test_the_session_dictionary_is_exported_with_its_edits(tmp_path):
    path = steps.export_dictionary(_edited(), "pandera", None, "data_description.txt",
                                   str(tmp_path))
    assert path.endswith("data_description.pandera.py")
    import pandas as pd
    import pandera.pandas as pa

    schema = load_exported_module(path).schema
    assert isinstance(schema, pa.DataFrameSchema) and "LotArea" in schema.columns
    assert schema.columns["LotArea"].title == "Lot size (square feet)"
    df = pd.read_csv(fixture_path("house-prices", "train.csv"), dtype=str,
                     keep_default_na=False)
    with pytest.raises(pa.errors.SchemaErrors) as failed:
        schema.validate(df, lazy=True)
    cases = failed.value.failure_cases
    big = cases[cases["column"] == "LotArea"]
    assert len(big) == sum(int(v) > 10000 for v in df["LotArea"])     # the edited maximum


def test_an_uploaded_dictionary_is_read_then_exported_as_sql_that_sqlite_loads(tmp_path):
    path = steps.export_dictionary(str(HOUSE_DICT), "sql", "sqlite", "data_description.txt",
                                   str(tmp_path))
    assert path.endswith("data_description.sqlite.sql")
    db = sqlite3.connect(":memory:")
    db.executescript(open(path, encoding="utf-8").read())
    columns = [row[1] for row in db.execute('PRAGMA table_info("data")')]
    assert len(columns) == 79 and columns[0] == "MSSubClass"
    with pytest.raises(sqlite3.IntegrityError):                     # a code not in the list
        db.execute('INSERT INTO "data" ("MSSubClass") VALUES (21)')


class _Tab(ExportHandlers):
    """The export callbacks with what Handlers gives them: steps inline, a folder per call."""

    def __init__(self, root, parsing=False):
        self.cpu, self.root, self.parsing, self.made = InlineExecutor(), root, parsing, 0

    @property
    def downloads(self):
        return self

    def new(self):
        self.made += 1
        folder = self.root / str(self.made)
        folder.mkdir()
        return folder

    def _parsing(self, request):
        return self.parsing


def test_the_tab_says_to_parse_first_and_then_offers_the_file(tmp_path):
    tab = _Tab(tmp_path)
    empty = asyncio.run(tab.export_ui("gx", None, None))
    assert empty["export_status"].startswith("Parse a dictionary first")
    assert empty["export_file"]["visible"] is False
    meta = {"filename": "data_description.txt", "fields": 79, "edited": True}
    done = asyncio.run(tab.export_ui("sql:postgres", _edited(), meta))
    assert done["export_file"]["value"].endswith("data_description.postgres.sql")
    assert done["export_status"] == ("✓ SQL CREATE TABLE (PostgreSQL) of the 79 fields of "
                                     "`data_description.txt` (with your edits): "
                                     "`data_description.postgres.sql`.")
    busy = asyncio.run(_Tab(tmp_path / "b", parsing=True).export_ui("gx", _edited(), meta))
    assert busy["export_status"].startswith("A parse is running")


def test_the_api_exports_the_upload_else_the_session_else_says_why_not(tmp_path):
    import gradio as gr

    tab = _Tab(tmp_path)
    path = asyncio.run(tab.export_dictionary("ddi", str(HOUSE_DICT)))
    assert path.endswith("data_description.ddi.xml") and "<var " in open(path).read()
    path = asyncio.run(tab.export_dictionary("sql", None, "sqlite", _edited(), None))
    assert path.endswith("dictionary.sqlite.sql")
    with pytest.raises(gr.Error, match="No dictionary to export"):
        asyncio.run(tab.export_dictionary("gx"))
    with pytest.raises(InputError, match="Unknown export format"):
        asyncio.run(tab.export_dictionary("xls", str(HOUSE_DICT)))
