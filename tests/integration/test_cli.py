"""python -m engine: output formats, exit codes, one-line errors on stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from harness.fixtures import fixture_path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_parse_prints_table_schema_json():
    r = run("parse", str(fixture_path("house-prices", "data_description.txt")))
    assert r.returncode == 0, r.stderr
    schema = json.loads(r.stdout)
    assert schema["$schema"].endswith("tableschema.json")
    assert schema["fields"][0]["name"] == "MSSubClass"


def test_parse_csv_and_markdown_formats():
    path = str(fixture_path("gss-happiness-extract", "GSS.sps"))
    csv_out = run("parse", path, "--format", "csv")
    assert csv_out.returncode == 0, csv_out.stderr
    assert csv_out.stdout.splitlines()[0].startswith("name,title,description")
    assert any(line.startswith("HAPPY,") for line in csv_out.stdout.splitlines())
    md = run("parse", path, "--format", "md")
    assert md.returncode == 0 and "| HAPPY |" in md.stdout


def test_profile_json_and_markdown():
    path = str(fixture_path("house-prices", "train.csv"))
    r = run("profile", path)
    assert r.returncode == 0, r.stderr
    prof = json.loads(r.stdout)
    assert prof["rows"] == 1460 and len(prof["columns"]) == 81
    md = run("profile", path, "--format", "md")
    assert md.returncode == 0 and "LotFrontage" in md.stdout


def test_profile_headerless_data_takes_names_from_dictionary():
    r = run("profile", str(fixture_path("uci-adult", "adult.data")),
            "--dictionary", str(fixture_path("uci-adult", "adult.names")))
    assert r.returncode == 0, r.stderr
    names = [c["name"] for c in json.loads(r.stdout)["columns"]]
    assert names[:3] == ["age", "workclass", "fnlwgt"] and len(names) == 15


def test_bad_input_exits_2_with_one_line(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    r = run("parse", str(empty))
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "empty" in lines[0]
    missing = run("profile", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and "not found" in missing.stderr.lower()
    unknown = tmp_path / "x.bin"
    unknown.write_bytes(b"\x00\x01\x02")
    r = run("parse", str(unknown))
    assert r.returncode == 2 and "not supported" in r.stderr


def test_analyze_prints_report_and_exit_codes(tmp_path):
    r = run("analyze", str(fixture_path("house-prices", "train.csv")),
            "--dictionary", str(fixture_path("house-prices", "data_description.txt")))
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    zoning = next(f for f in report["fields"] if f["name"] == "MSZoning")
    assert {v["kind"]: v["count"] for v in zoning["violations"]} == {"category": 10}
    html = run("analyze", str(fixture_path("house-prices", "train.csv")), "--format", "html")
    assert html.returncode == 0 and html.stdout.lstrip().lower().startswith("<!doctype html")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    bad = run("analyze", str(empty))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


def test_building_the_parser_imports_no_report_code():
    """The export names are written out in engine.__main__ (tests/unit/test_export_safety.py
    checks they are the exports there are), so a parse's start loads no report module."""
    code = ("import sys, engine.__main__ as m; m.build_parser(); "
            "print('engine.report' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.stdout.strip() == "False", done.stderr


def test_a_parse_leaves_pyarrow_unimported():
    """Reading a dictionary needs no Arrow (0.7 s of imports at every start otherwise): the
    formats registry and engine.memory import it only when a dataset is read."""
    dictionary = str(fixture_path("house-prices", "data_description.txt"))
    code = ("import contextlib, io, sys, engine.__main__ as m\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    code = m.main(['parse', {dictionary!r}])\n"
            "print(code, 'pyarrow' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.stdout.strip() == "0 False", done.stderr
