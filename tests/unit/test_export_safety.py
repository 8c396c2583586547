"""Every text export is safe against hostile dictionaries: names and labels with quotes, line
breaks, markup, code, formulas and SQL stay data in the file written, and the file still
works in its tool.  Also: `write_all` and the CLI's `parse --to`."""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
import yaml

from engine.__main__ import main as cli
from engine.jobs import parse_file
from engine.model import Category, Field, Schema
from engine.report.exports import FORMATS, SQL_DIALECTS, render, write_all
from test_exports import unsafe

CODE = "'); import os; os.system('echo pwned') #"
NAMES = ['a"b', "c'd", "e`f g", "h\nj", "=1+1", "<k>&l", "x\x01y"]
HOSTILE = Schema([
    Field(NAMES[0], title=CODE, description='"""\nend of docstring', type="integer",
          categories=[Category("1", "=HYPERLINK(\"x\")"), Category("2", "<b>two</b>")],
          missing_values=[Category("-9", "Refused")], constraints={"minimum": 0}),
    Field(NAMES[1], title="@SUM(A1)", type="string", constraints={"pattern": "[a-z']+"}),
    Field(NAMES[2], title="back`tick $HOME", type="number", missing_values=[Category("NA")]),
    Field(NAMES[3], title="line\nbreak", type="date", constraints={"required": True}),
    Field(NAMES[4], title="-2+3", type="string", categories=[Category("x'); DROP TABLE t;--")]),
    Field(NAMES[5], title="]]></labl><evil/>", type="boolean"),
    Field(NAMES[6], title="control \x01\x02 chars", type="string"),
], missing_values=["", "N/A"])


def test_pandera_code_keeps_every_text_a_string():
    namespace: dict = {}
    exec(compile(render(HOSTILE, "pandera"), "schema.py", "exec"), namespace)
    schema = namespace["schema"]
    assert list(schema.columns) == NAMES
    assert schema.columns[NAMES[0]].title == CODE
    assert schema.columns[NAMES[0]].description == '"""\nend of docstring'


def test_pandera_yaml_keeps_every_text_a_string():
    import pandera.pandas as pa

    doc = yaml.safe_load(render(HOSTILE, "pandera-yaml"))
    assert list(doc["columns"]) == NAMES
    assert list(pa.DataFrameSchema.from_yaml(render(HOSTILE, "pandera-yaml")).columns) == NAMES


def test_json_exports_keep_every_name():
    suite = json.loads(render(HOSTILE, "gx"))
    assert {e["kwargs"]["column"] for e in suite["expectations"]} == set(NAMES)
    row = json.loads(render(HOSTILE, "jsonschema"))
    assert list(row["properties"]) == NAMES
    package = json.loads(render(HOSTILE, "datapackage", data_path="../../etc/passwd"))
    assert [f["name"] for f in package["resources"][0]["schema"]["fields"]] == NAMES
    assert package["resources"][0]["path"] == "passwd"          # a bare file name only


def test_gx_runs_with_hostile_column_names():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    from engine.report.exports.gx import gx_frame

    data = pd.DataFrame({n: ["", "", ""] for n in NAMES})
    data[NAMES[0]] = ["1", "-9", "abc"]
    data[NAMES[2]] = ["NA", "1.5", "x"]
    context = gx.get_context(mode="ephemeral")
    batch = context.data_sources.add_pandas("p").add_dataframe_asset("a") \
        .add_batch_definition_whole_dataframe("b").get_batch(
            batch_parameters={"dataframe": gx_frame(data, HOSTILE)})
    result = batch.validate(gx.ExpectationSuite(**json.loads(render(HOSTILE, "gx"))))
    assert not [r for r in result.results if (r.exception_info or {}).get("raised_exception")]
    failed = {(r.expectation_config.kwargs["column"], r.expectation_config.meta["codebook_check"])
              for r in result.results if not r.success}
    assert failed == {(NAMES[0], "type"), (NAMES[2], "type"), (NAMES[3], "required")}


def test_frictionless_reads_the_hostile_package(tmp_path):
    from frictionless import Package

    (tmp_path / "datapackage.json").write_text(render(HOSTILE, "datapackage"), encoding="utf-8")
    package = Package(str(tmp_path / "datapackage.json"))
    assert package.get_resource("data").schema.field_names == NAMES


def test_ddi_is_well_formed_xml_with_every_text_as_text():
    root = ET.fromstring(render(HOSTILE, "ddi").encode("utf-8"))
    ns = {"d": "ddi:codebook:2_5"}
    variables = root.findall(".//d:var", ns)
    assert [v.get("name") for v in variables] == [n.replace("\x01", "") for n in NAMES]
    assert variables[5].find("d:labl", ns).text == "]]></labl><evil/>"
    assert not root.findall(".//evil")


def test_redcap_csv_has_no_cell_a_spreadsheet_reads_as_a_formula():
    cells = [c for row in csv.reader(io.StringIO(render(HOSTILE, "redcap"))) for c in row]
    assert not [c for c in cells if unsafe(c)]
    assert " =HYPERLINK(\"x\")" not in cells                       # inside the choices cell
    assert any("=HYPERLINK" in c for c in cells)


@pytest.mark.parametrize("kind", ["spss", "stata"])
def test_syntax_keeps_texts_on_one_line_and_quoted(kind):
    text = render(HOSTILE, kind)
    assert "line break" in text and "line\nbreak" not in text
    if kind == "spss":                                          # quotes doubled inside strings
        assert "'''); import os; os.system(''echo pwned'') #'" in text
    else:
        assert "\\$HOME" in text and "\\`" in text             # no macro expands


# ---- write_all and the CLI ----------------------------------------------------------------------
def test_write_all_writes_every_export(tmp_path):
    paths = write_all(HOSTILE, tmp_path, stem="survey")
    kinds = set(FORMATS) - {"sql"} | {f"sql_{d}" for d in SQL_DIALECTS}
    assert set(paths) == kinds
    assert paths["datapackage"].name == "survey.datapackage.json"
    assert paths["sql_sqlite"].read_text(encoding="utf-8") == render(HOSTILE, "sql",
                                                                     dialect="sqlite")
    assert all(p.parent == tmp_path and p.stat().st_size for p in paths.values())


@pytest.fixture()
def dictionary(tmp_path):
    path = tmp_path / "dictionary.json"
    path.write_text(json.dumps(HOSTILE.to_descriptor()), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", list(FORMATS))
def test_cli_parse_to_prints_the_export(kind, dictionary, capsys):
    assert cli(["parse", str(dictionary), "--to", kind]) == 0
    assert capsys.readouterr().out == render(parse_file(dictionary).schema, kind)


def test_cli_parse_to_sql_dialect(dictionary, capsys):
    assert cli(["parse", str(dictionary), "--to", "sql", "--dialect", "postgres"]) == 0
    assert "DOUBLE PRECISION" in capsys.readouterr().out


@pytest.mark.parametrize("args,message", [
    (["--to", "excel"], "error: unknown --to 'excel': use one of " + ", ".join(FORMATS)),
    (["--to", "sql", "--dialect", "oracle"],
     "error: unknown --dialect 'oracle': use one of duckdb, postgres, sqlite"),
])
def test_cli_bad_to_is_exit_2_and_one_line(args, message, dictionary, capsys):
    assert cli(["parse", str(dictionary)] + args) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == message + "\n"


def test_the_cli_names_the_exports_there_are():
    """engine.__main__ writes the names out so that building its parser imports no report code
    (that it does not: tests/integration/test_cli.py)."""
    from engine import __main__ as main_module
    from engine.report.exports import DATA_FORMATS

    assert main_module.EXPORT_NAMES == tuple(FORMATS)
    assert main_module.SQL_DIALECT_NAMES == SQL_DIALECTS
    assert main_module.DATA_FORMAT_NAMES == DATA_FORMATS
