"""The data written as SPSS .sav and Stata .dta reads back with pyreadstat with the dictionary's
variable labels, value labels and missing-value codes, and every cell as it was.

Stated differences (the packages' own limits): Stata labels integer codes of numeric columns
only and holds a field's missing codes as extended missing values (`.a`, `.b` ... labelled as
the codes were); names the package refuses are rewritten (`names.target_names`).
"""

from __future__ import annotations

import math

import pyreadstat
import pytest

from harness.fixtures import fixture_path
from engine.__main__ import main as cli
from engine.analyze import analyze_files
from engine.report.exports.labelled import labelled_columns, write_labelled_data
from engine.report.exports.names import target_names
from engine.report.exports.rules import number

PAIRS = {
    "gss": (("gss-happiness-extract", "GSS.dat"), ("gss-happiness-extract", "GSS.sps")),
    "house-prices": (("house-prices", "train.csv"), ("house-prices", "data_description.txt")),
    "uci-adult": (("uci-adult", "adult.data"), ("uci-adult", "adult.names")),
}


def write(name: str, out):
    data, dictionary = PAIRS[name]
    a = analyze_files(fixture_path(*data), fixture_path(*dictionary))
    paths = write_labelled_data(a.table, a.schema, out, stem=name, matching=a.matching)
    return a, labelled_columns(a.table, a.schema, a.matching), paths


@pytest.fixture(scope="module", params=list(PAIRS))
def written(request, tmp_path_factory):
    return write(request.param, tmp_path_factory.mktemp("labelled"))


def same_cell(read, written_value) -> bool:
    if written_value is None or written_value == "":
        return read is None or read == "" or (isinstance(read, float) and math.isnan(read))
    if isinstance(written_value, float):
        return isinstance(read, float) and read == written_value
    return read == written_value


def test_sav_reads_back_with_its_labels_missing_values_and_cells(written):
    a, columns, paths = written
    df, meta = pyreadstat.read_sav(str(paths["sav"]), user_missing=True)
    names = target_names([c.source for c in columns], "spss")
    assert list(df.columns) == names
    labels = dict(zip(meta.column_names, meta.column_labels))
    for c, n in zip(columns, names):
        assert labels[n] == (c.label or None)
        want = {(float(number(k.value)) if c.numeric else k.value): k.label
                for k in c.codes + c.missing if k.label}
        assert meta.variable_value_labels.get(n, {}) == want
        missing = meta.missing_ranges.get(n, [])
        codes = [m.value for m in c.missing]
        if c.numeric and len(codes) <= 3:
            assert sorted(r["lo"] for r in missing) == sorted(float(number(v)) for v in codes)
        assert all(same_cell(r, w) for r, w in zip(df[n].tolist(), c.values)), n


def test_dta_reads_back_with_its_labels_extended_missing_values_and_cells(written):
    a, columns, paths = written
    df, meta = pyreadstat.read_dta(str(paths["dta"]), user_missing=True)
    names = target_names([c.source for c in columns], "stata")
    assert list(df.columns) == names
    labels = dict(zip(meta.column_names, meta.column_labels))
    for c, n in zip(columns, names):
        assert labels[n] == ((c.label or "")[:80] or None)
        letters = {float(number(m.value)): chr(97 + i) for i, m in
                   enumerate(m for m in c.missing if isinstance(number(m.value), int))}
        want = {}
        if c.numeric:
            want = {int(number(k.value)): k.label for k in c.codes
                    if k.label and isinstance(number(k.value), int)}
            want.update({letters[float(number(m.value))]: m.label for m in c.missing
                         if m.label and float(number(m.value)) in letters})
        assert meta.variable_value_labels.get(n, {}) == want, n
        expected = [letters.get(v, v) if c.numeric else v for v in c.values]
        assert all(same_cell(r, w) for r, w in zip(df[n].tolist(), expected)), n


def test_gss_codes_are_labelled_and_missing_in_both(tmp_path):
    _, _, paths = write("gss", tmp_path)
    _, sav = pyreadstat.read_sav(str(paths["sav"]), user_missing=True)
    dta_df, dta = pyreadstat.read_dta(str(paths["dta"]), user_missing=True)
    assert sav.variable_value_labels["HAPPY"][1.0] == "Very happy"
    assert {r["lo"] for r in sav.missing_ranges["HAPPY"]} == {0.0, 8.0, 9.0}
    assert dta.variable_value_labels["HAPPY"][1] == "Very happy"
    assert set(dta_df["EDUC"].dropna()) & {"a", "b", "c"}         # 97-99 became .a-.c


def test_cli_analyze_to_sav_and_dta(tmp_path, capsys):
    data = fixture_path("gss-happiness-extract", "GSS.dat")
    dictionary = fixture_path("gss-happiness-extract", "GSS.sps")
    for fmt in ("sav", "dta"):
        assert cli(["analyze", str(data), "--dictionary", str(dictionary), "--to", fmt,
                    "--outdir", str(tmp_path)]) == 0
        assert (tmp_path / f"GSS.labelled.{fmt}").exists()
    assert cli(["analyze", str(data), "--to", "xls", "--outdir", str(tmp_path)]) == 2
    assert cli(["analyze", str(data), "--to", "sav"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-2:] == ["error: unknown --to 'xls': use one of sav, dta",
                        "error: --to needs --outdir, the directory to write the data file into"]
