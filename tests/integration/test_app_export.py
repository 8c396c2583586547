"""The exports through gradio_client on the real app: /export_dictionary writes an uploaded
dictionary, or the one parsed in the Client's session, as a file its tool accepts (pandera
runs it, SQLite loads it); /analyze's downloads include the labelled .sav and .dta, which
pyreadstat reads back with their value labels, and a file Stata cannot hold is named in the
report's warnings while the other downloads come."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import pyreadstat
from gradio_client import Client, handle_file

from harness.export_cases import load_exported_module
from harness.fixtures import fixture_path

HOUSE_DATA = fixture_path("house-prices", "train.csv")
HOUSE_DICT = fixture_path("house-prices", "data_description.txt")


@pytest.fixture(scope="module")
def client(app_server):
    return Client(app_server.url, verbose=False)



def test_the_endpoint_takes_a_format_an_optional_file_and_a_dialect(client):
    api = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    params = api["/export_dictionary"]["parameters"]
    assert [p["parameter_name"] for p in params] == ["format", "dictionary_file", "dialect"]
    assert [p["parameter_has_default"] for p in params] == [False, True, True]


def test_an_uploaded_dictionary_comes_back_as_pandera_code_that_runs(client):
    import pandas as pd
    import pandera.pandas as pa

    path = client.predict("pandera", handle_file(str(HOUSE_DICT)),
                          api_name="/export_dictionary")
    assert Path(path).name == "data_description.pandera.py"
    schema = load_exported_module(path).schema
    assert isinstance(schema, pa.DataFrameSchema) and len(schema.columns) == 79
    df = pd.read_csv(HOUSE_DATA, dtype=str, keep_default_na=False)
    with pytest.raises(pa.errors.SchemaErrors) as failed:
        schema.validate(df, lazy=True)
    assert "LotFrontage" in set(failed.value.failure_cases["column"])   # its 259 'NA'


def test_the_sessions_dictionary_comes_back_as_sql_that_sqlite_loads(app_server):
    client = Client(app_server.url, verbose=False)          # a session of its own
    with pytest.raises(Exception, match="No dictionary to export"):
        client.predict("sql", api_name="/export_dictionary")
    client.predict(handle_file(str(HOUSE_DICT)), False, "NA", api_name="/parse_dictionary")
    path = client.predict("sql", None, "sqlite", api_name="/export_dictionary")
    assert Path(path).name == "dictionary.sqlite.sql"
    db = sqlite3.connect(":memory:")
    db.executescript(Path(path).read_text(encoding="utf-8"))
    assert len(db.execute('PRAGMA table_info("data")').fetchall()) == 79
    with pytest.raises(sqlite3.IntegrityError):
        db.execute('INSERT INTO "data" ("Street") VALUES (\'Gravel\')')   # not a code
    with pytest.raises(Exception, match="Unknown SQL dialect 'mysql'"):
        client.predict("sql", None, "mysql", api_name="/export_dictionary")


def test_the_checks_downloads_include_labelled_sav_and_dta(client):
    *_, files, report = client.predict(handle_file(str(HOUSE_DATA)),
                                       handle_file(str(HOUSE_DICT)), "",
                                       api_name="/analyze")
    by_suffix = {Path(f).name.split(".", 1)[1]: f for f in files}
    assert len(files) == 11 and {"labelled.sav", "labelled.dta"} <= set(by_suffix)
    _, sav = pyreadstat.read_sav(by_suffix["labelled.sav"])
    _, dta = pyreadstat.read_dta(by_suffix["labelled.dta"])
    assert sav.variable_value_labels["OverallQual"][10.0] == "Very Excellent"
    assert dta.variable_value_labels["OverallQual"][10] == "Very Excellent"
    assert dict(zip(sav.column_names, sav.column_labels))["LotArea"] == "Lot size in square feet"
    assert not [w for w in report["warnings"] if "could not be written" in w]


def test_a_value_stata_cannot_hold_is_said_and_every_file_comes(client, tmp_path):
    data = tmp_path / "weights.csv"
    data.write_text("sex,weight\n1,61.5\n2,inf\n1,70\n")
    dictionary = tmp_path / "weights.schema.json"
    dictionary.write_text(json.dumps({"fields": [
        {"name": "sex", "type": "integer", "categories": [{"value": 1, "label": "Male"},
                                                          {"value": 2, "label": "Female"}]},
        {"name": "weight", "type": "number"}]}))
    *_, files, report = client.predict(handle_file(str(data)), handle_file(str(dictionary)),
                                       "", api_name="/analyze")
    by_name = {Path(f).name: f for f in files}
    assert len(files) == 11 and {"weights.labelled.sav", "weights.labelled.dta"} <= set(by_name)
    df, meta = pyreadstat.read_dta(by_name["weights.labelled.dta"], user_missing=True)
    assert df["weight"].tolist() == [61.5, "z", 70.0]
    assert meta.variable_value_labels["weight"] == {"z": "inf"}
    assert "weights.labelled.dta (Stata): weight: 1 cell Stata cannot hold as numbers became " \
           "extended missing values labelled with their value (.z = inf)." in report["warnings"]
