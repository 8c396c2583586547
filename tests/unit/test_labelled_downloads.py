"""The check's downloads include the data with its labels as SPSS .sav and Stata .dta (beside
the labelled CSV and Parquet), written after the report through the same stream; what Stata
cannot hold as it is (infinities, numbers beyond its doubles, labels on huge codes) is adapted
and said; a file that cannot be written at all is a warning naming it and why, and every other
download is still written, in the app's job as in the CLI's --outdir."""

from __future__ import annotations

import json

import pyarrow as pa
import pyreadstat

from harness.fixtures import fixture_path
from engine.__main__ import main as cli
from engine.analyze import DOWNLOADS, analyze_table
from engine.model import Category, Field, Schema
from engine.pipeline import (Checked, DownloadWritten, Final, InlineExecutor, Warning,
                             analyze_job, run_job)

HOUSE = fixture_path("house-prices", "train.csv"), fixture_path("house-prices",
                                                                "data_description.txt")


_BEYOND_STATA = [f"{9 + i / 100}e307" for i in range(30)]   # doubles, but beyond Stata's


def _refused() -> tuple[pa.Table, Schema]:
    """A coded column both packages hold, and a number column with 30 distinct values beyond
    what a Stata double holds: more than Stata's 26 extended missing values can name, so no
    .dta can keep them; SPSS's doubles hold them."""
    table = pa.table({"sex": ["1", "2", "1"] * 10, "weight": _BEYOND_STATA})
    schema = Schema([Field("sex", type="integer", title="Sex",
                           categories=[Category("1", "Male"), Category("2", "Female")]),
                     Field("weight", type="number", title="Weight (kg)")])
    return table, schema


def _write(tmp_path, name="refused"):
    table, schema = _refused()
    (tmp_path / f"{name}.csv").write_text(table.to_pandas().to_csv(index=False))
    (tmp_path / f"{name}.schema.json").write_text(json.dumps(schema.to_descriptor()))
    return tmp_path / f"{name}.csv", tmp_path / f"{name}.schema.json"


def test_every_download_includes_the_labelled_sav_and_dta(tmp_path):
    table = pa.table({"sex": ["1", "2", "1"], "weight": ["61.5", "80", "70"]})
    analysis = analyze_table(table, _refused()[1])
    paths = analysis.write_downloads(tmp_path)
    assert list(paths) == list(DOWNLOADS) and len(paths) == 11
    assert paths["labelled_sav"].name == "data.labelled.sav"
    _, sav = pyreadstat.read_sav(str(paths["labelled_sav"]))
    _, dta = pyreadstat.read_dta(str(paths["labelled_dta"]))
    assert sav.variable_value_labels["sex"] == {1.0: "Male", 2.0: "Female"}
    assert dta.variable_value_labels["sex"] == {1: "Male", 2: "Female"}
    assert analysis.download_warnings == []


def test_a_file_the_package_refuses_is_a_warning_and_the_rest_is_written(tmp_path):
    analysis = analyze_table(*_refused())
    paths = analysis.write_downloads(tmp_path)
    assert "labelled_dta" not in paths and len(paths) == 10
    assert not (tmp_path / "data.labelled.dta").exists()          # no broken file left
    assert all(p.exists() and p.stat().st_size > 0 for p in paths.values())
    [warning] = analysis.download_warnings
    assert warning.startswith("data.labelled.dta (Stata) could not be written: 30 distinct "
                              "values beyond what a Stata double holds")
    df, sav = pyreadstat.read_sav(str(paths["labelled_sav"]))
    assert df["weight"].tolist() == [float(v) for v in _BEYOND_STATA]    # SPSS holds them


def test_what_stata_cannot_hold_becomes_labelled_extended_missing_values(tmp_path):
    table = pa.table({"sex": ["1", "2", "1", "3000000000"],
                      "weight": ["61.5", "inf", "70", "-inf"],
                      "height": ["1e308", "NaN", "172", None]})
    schema = Schema([Field("sex", type="integer", categories=[
        Category("1", "Male"), Category("2", "Female"), Category("3000000000", "Other")]),
        Field("weight", type="number", missing_values=[Category("-9", "Refused")]),
        Field("height", type="number")])
    analysis = analyze_table(table, schema)
    paths = analysis.write_downloads(tmp_path)
    assert len(paths) == 11
    df, meta = pyreadstat.read_dta(str(paths["labelled_dta"]), user_missing=True)
    assert df["weight"].tolist() == [61.5, "z", 70.0, "y"]          # still a numeric column
    assert df["height"].tolist()[:3] == ["z", "y", 172.0]
    assert meta.variable_value_labels["weight"] == {"a": "Refused", "z": "inf", "y": "-inf"}
    assert meta.variable_value_labels["height"] == {"z": "1e+308", "y": "NaN"}
    assert meta.variable_value_labels["sex"] == {1: "Male", 2: "Female"}
    assert analysis.download_warnings == [
        "data.labelled.dta (Stata): sex: no value labels for 3000000000 (a Stata value label "
        "names integers from -2,147,483,647 to 2,147,483,620 only).",
        "data.labelled.dta (Stata): weight: 2 cells Stata cannot hold as numbers became "
        "extended missing values labelled with their value (.z = inf, .y = -inf).",
        "data.labelled.dta (Stata): height: 2 cells Stata cannot hold as numbers became "
        "extended missing values labelled with their value (.z = 1e+308, .y = NaN)."]


def test_the_job_streams_the_report_first_then_the_files_and_the_warning(tmp_path):
    data, dictionary = _write(tmp_path)
    out = tmp_path / "out"
    events = []
    final = run_job(analyze_job(data, dictionary, executor=InlineExecutor(),
                                outdir=lambda: out), on_event=events.append)
    after = events[[type(e) for e in events].index(Checked) + 1:]
    written = [e.kind for e in after if isinstance(e, DownloadWritten)]
    assert written[:2] == ["report_json", "report_md"] and "labelled_sav" in written
    assert "labelled_dta" not in written and len(written) == 10
    warning = next(i for i, e in enumerate(after) if isinstance(e, Warning))
    assert "refused.labelled.dta (Stata) could not be written" in after[warning].message
    assert after[warning - 1].kind == "labelled_sav"               # said when it happened
    assert isinstance(after[-1], Final) and set(final.value.downloads) == set(written)


def test_house_prices_check_writes_both_with_value_labels(tmp_path):
    final = run_job(analyze_job(*HOUSE, executor=InlineExecutor(), outdir=lambda: tmp_path))
    downloads = final.value.downloads
    assert len(downloads) == 11 and final.value.analysis.download_warnings == []
    _, sav = pyreadstat.read_sav(str(downloads["labelled_sav"]))
    _, dta = pyreadstat.read_dta(str(downloads["labelled_dta"]))
    assert sav.variable_value_labels["OverallQual"][10.0] == "Very Excellent"
    assert dta.variable_value_labels["OverallQual"][10] == "Very Excellent"


def test_the_cli_outdir_writes_the_same_set_and_to_requires_its_file(tmp_path, capsys):
    data, dictionary = _write(tmp_path)
    out = tmp_path / "out"
    assert cli(["analyze", str(data), "--dictionary", str(dictionary), "--outdir",
                str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    wrote = [line.split(":")[0].removeprefix("wrote ") for line in err
             if line.startswith("wrote ")]
    assert len(wrote) == 10 and "labelled_sav" in wrote and "labelled_dta" not in wrote
    assert any(line.startswith("warning: refused.labelled.dta (Stata) could not be written")
               for line in err)
    assert cli(["analyze", str(data), "--dictionary", str(dictionary), "--outdir", str(out),
                "--to", "sav"]) == 0
    assert cli(["analyze", str(data), "--dictionary", str(dictionary), "--outdir", str(out),
                "--to", "dta"]) == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("error: --to dta: refused.labelled.dta (Stata) could not be "
                           "written: ")
