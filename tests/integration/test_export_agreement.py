"""Each data-checking export, run by the tool it is for, finds what Codebook's Check finds.

Three real pairs with seeded violations (harness/export_cases.py): house-prices, uci-adult and a
REDCap project.  Counts are compared per (column, kind) against `engine.analyze.analyze_files`.
Where a tool cannot say what Codebook says, the test states the difference and checks it
exactly, instead of leaving the kind out:

- Great Expectations counts every row of a repeated value (Codebook: the repeats after the
  first): its unique count is Codebook's plus the number of values that repeat;
- JSON Schema describes one row: uniqueness across rows has no keyword;
- pandera's YAML (built-in checks only) coerces a column as a whole: a column with values of
  the wrong type reports them as `coerce_dtype` failures and its other checks do not run on
  the values that were fine; `str_length` is one check for both lengths.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from harness.export_cases import COMPARED, case, codebook_counts, text_table
from engine.report.exports import render
from engine.report.exports.gx import gx_frame
from engine.report.exports.jsonschema import json_rows

CASES = ["house-prices", "uci-adult", "redcap"]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("export-cases"))


def differences(want: Counter, got: Counter) -> dict:
    return {k: (want.get(k), got.get(k)) for k in set(want) | set(got) if want.get(k) != got.get(k)}


def test_the_seeded_data_breaks_every_kind_of_check(workdir):
    """The comparisons below are about something: Codebook finds every kind in the cases."""
    kinds = {k for name in CASES for (_, k) in codebook_counts(case(name, workdir))}
    assert kinds == {"type", "minimum", "maximum", "category", "required", "unique", "pattern",
                     "minLength", "maxLength"}


# ---- pandera ------------------------------------------------------------------------------------
def pandera_counts(errors) -> Counter:
    """{(column, kind)} of pandera's failure cases (check names are Codebook's kinds)."""
    names = {"not_nullable": "required", "field_uniqueness": "unique"}
    out: Counter = Counter()
    for row in errors.failure_cases.itertuples():
        out[(row.column, names.get(str(row.check), str(row.check)))] += 1
    return out


@pytest.mark.parametrize("name", CASES)
def test_pandera_code_finds_what_codebook_finds(name, workdir):
    import pandera.pandas as pa

    c = case(name, workdir)
    namespace: dict = {}
    exec(compile(render(c.schema, "pandera"), "schema.py", "exec"), namespace)
    df = pd.read_csv(c.csv_path, dtype=str, keep_default_na=False)
    with pytest.raises(pa.errors.SchemaErrors) as exc:
        namespace["schema"].validate(df, lazy=True)
    assert differences(codebook_counts(c), pandera_counts(exc.value)) == {}


def test_pandera_code_passes_clean_data_and_returns_it_typed(workdir):
    c = case("uci-adult", workdir)
    namespace: dict = {}
    exec(render(c.schema, "pandera"), namespace)
    df = pd.DataFrame({"age": ["39", "50", " 30.0 "], "hours-per-week": ["40", "", "99"],
                       "workclass": ["Private", "State-gov", "Private"],
                       "sex": ["Male", "Female", "Male"], "education-num": ["13", "99", "9"]})
    out = namespace["schema"].validate(df, lazy=True)
    assert out["age"].tolist() == [39, 50, 30]       # as Codebook reads integers
    assert pd.isna(out["hours-per-week"][1])
    assert isinstance(out["education-num"][1], namespace["MissingCode"])     # 99: missing


def yaml_kind(check: str) -> str:
    for prefix, kind in (("coerce_dtype", "type"), ("dtype", "dtype"), ("isin", "category"),
                         ("greater_than_or_equal_to", "minimum"),
                         ("less_than_or_equal_to", "maximum"), ("greater_than", "exclusiveMinimum"),
                         ("less_than", "exclusiveMaximum"), ("str_matches", "pattern"),
                         ("str_length", "length"), ("not_nullable", "required"),
                         ("field_uniqueness", "unique")):
        if check.startswith(prefix):
            return kind
    return check


@pytest.mark.parametrize("name", CASES)
def test_pandera_yaml_finds_what_codebook_finds(name, workdir):
    import pandera.pandas as pa

    c = case(name, workdir)
    schema = pa.DataFrameSchema.from_yaml(render(c.schema, "pandera-yaml"))
    df = pd.read_csv(c.csv_path, dtype=str, keep_default_na=False,
                     na_values=schema.metadata["missing_values"])
    with pytest.raises(pa.errors.SchemaErrors) as exc:
        schema.validate(df, lazy=True)
    got: Counter = Counter()
    for row in exc.value.failure_cases.itertuples():
        got[(row.column, yaml_kind(str(row.check)))] += 1
    want = codebook_counts(c)
    mistyped = {col for (col, kind) in want if kind == "type"}
    # the stated differences: a mistyped column is compared on its type only; lengths as one
    for (col, kind), n in list(want.items()):
        if col in mistyped and kind != "type":
            del want[(col, kind)]
        elif kind in ("minLength", "maxLength"):
            want[(col, "length")] += want.pop((col, kind))
    got = Counter({(col, kind): n for (col, kind), n in got.items()
                   if not (col in mistyped and kind not in ("type",))})
    assert differences(want, got) == {}


# ---- Great Expectations -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def gx_batch_definition():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    return context.data_sources.add_pandas("codebook").add_dataframe_asset("data") \
        .add_batch_definition_whole_dataframe("all")


def repeated_values(frame: pd.DataFrame, c) -> Counter:
    """{(column, "unique"): values that repeat} among the values Codebook compares."""
    out: Counter = Counter()
    for r in c.rules.values():
        if r.unique and r.name in frame:
            values = frame[r.name].dropna()
            values = values[~values.isin([m.value for m in r.missing])]
            repeats = int((values.value_counts() > 1).sum())
            if repeats:
                out[(r.name, "unique")] = repeats
    return out


@pytest.mark.parametrize("name", CASES)
def test_gx_suite_finds_what_codebook_finds(name, workdir, gx_batch_definition):
    import great_expectations as gx

    c = case(name, workdir)
    suite = gx.ExpectationSuite(**json.loads(render(c.schema, "gx")))
    frame = gx_frame(text_table(c), c.schema)
    result = gx_batch_definition.get_batch(batch_parameters={"dataframe": frame}).validate(
        suite, result_format="SUMMARY")
    got: Counter = Counter()
    for r in result.results:
        assert not (r.exception_info or {}).get("raised_exception"), r.exception_info
        kind = r.expectation_config.meta["codebook_check"]
        if r.result.get("unexpected_count"):
            got[(r.expectation_config.kwargs["column"], kind)] += r.result["unexpected_count"]
    want = codebook_counts(c) + repeated_values(frame, c)
    assert differences(want, got) == {}


# ---- Frictionless -------------------------------------------------------------------------------
_CONSTRAINT = re.compile(r'constraint "(\w+)"')


@pytest.mark.parametrize("name", CASES)
def test_frictionless_validate_of_the_package_finds_what_codebook_finds(name, workdir):
    c = case(name, workdir)
    package = c.csv_path.parent / "datapackage.json"
    package.write_text(render(c.schema, "datapackage", data_path=c.csv_path.name),
                       encoding="utf-8")
    cli = Path(sys.executable).with_name("frictionless")
    done = subprocess.run([str(cli), "validate", str(package), "--json", "--limit-errors",
                           "100000"], capture_output=True, text=True, timeout=300)
    report = json.loads(done.stdout)
    got: Counter = Counter()
    for task in report["tasks"]:
        for e in task["errors"]:
            if e["type"] == "type-error":
                kind = "type"
            elif e["type"] == "constraint-error":
                kind = _CONSTRAINT.search(e["note"]).group(1)
                kind = {"enum": "category"}.get(kind, kind)
            elif e["type"] == "unique-error":
                kind = "unique"
            else:
                raise AssertionError(f"unexpected error {e['type']}: {e.get('message')}")
            got[(e["fieldName"], kind)] += 1
    assert differences(codebook_counts(c), got) == {}


# ---- JSON Schema --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", CASES)
def test_json_schema_validates_rows_as_codebook_does(name, workdir):
    import jsonschema

    c = case(name, workdir)
    schema = json.loads(render(c.schema, "jsonschema"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    rules = c.rules
    found = set()
    for i, row in enumerate(json_rows(text_table(c), c.schema)):
        for e in validator.iter_errors(row):
            if e.validator == "required":
                found.update((i, n, "required") for n in e.validator_value if n not in row)
                continue
            column = e.path[0]
            kind = {"enum": "category", "format": "type"}.get(e.validator, e.validator)
            if kind == "pattern" and e.validator_value == rules[column].type_pattern:
                kind = "type"
            found.add((i, column, kind))
    got = Counter((column, kind) for _, column, kind in found)
    want = codebook_counts(c)
    unique = Counter({k: n for k, n in want.items() if k[1] == "unique"})
    assert differences(want - unique, got) == {}
    assert set(COMPARED) - {"unique"} >= {k for _, k in got}
