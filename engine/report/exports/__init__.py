"""Exports of a parsed dictionary to the tools people check and label data with.

Each export is one module, a pure function from a `Schema` to text:

    pandera_code   pandera DataFrameSchema as Python code        (--to pandera)
    pandera_yaml   pandera's YAML, built-in checks only           (--to pandera-yaml)
    gx             Great Expectations 1.x expectation suite JSON  (--to gx)
    datapackage    Frictionless datapackage.json, schema inline   (--to datapackage)
    sql            CREATE TABLE for DuckDB, PostgreSQL, SQLite    (--to sql --dialect ...)
    jsonschema     JSON Schema (2020-12) of one row               (--to jsonschema)
    redcap         REDCap data dictionary CSV                     (--to redcap)
    ddi            DDI Codebook 2.5 XML                           (--to ddi)
    spss           SPSS syntax (labels, missing values)           (--to spss)
    stata          Stata do-file (labels, missing values)         (--to stata)

and `labelled` writes the data itself as SPSS `.sav` and Stata `.dta`.  The exports that
check data state Codebook's own Check (engine.validation) as far as each tool allows
(`rules.py` says it once); each module's docstring says what its tool does otherwise.

    render(schema, "sql", dialect="sqlite")      # the text
    write_all(schema, outdir, stem="survey")     # {kind: Path}, every export
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...model import Schema


@dataclass(frozen=True)
class Export:
    """One export: its module and function, the file it is written to, and what renames."""

    module: str
    function: str
    suffix: str                  # appended to the stem ("datapackage.json" is a whole name)
    title: str
    names: str | None = None     # the naming rules it applies (engine.report.exports.names)


FORMATS: dict[str, Export] = {
    "pandera": Export("pandera_code", "pandera_code", ".pandera.py", "pandera schema (Python)"),
    "pandera-yaml": Export("pandera_yaml", "pandera_yaml", ".pandera.yaml",
                           "pandera schema (YAML)"),
    "gx": Export("gx", "gx_suite", ".gx.json", "Great Expectations suite"),
    "datapackage": Export("datapackage", "datapackage", "datapackage.json",
                          "Frictionless Data Package"),
    "sql": Export("sql", "sql_ddl", ".sql", "SQL CREATE TABLE"),
    "jsonschema": Export("jsonschema", "json_schema", ".row.schema.json",
                         "JSON Schema of a row"),
    "redcap": Export("redcap", "redcap_csv", ".redcap.csv", "REDCap data dictionary",
                     names="redcap"),
    "ddi": Export("ddi", "ddi_xml", ".ddi.xml", "DDI Codebook 2.5"),
    "spss": Export("spss", "spss_syntax", ".sps", "SPSS syntax", names="spss"),
    "stata": Export("stata", "stata_do", ".do", "Stata do-file", names="stata"),
}
SQL_DIALECTS = ("duckdb", "postgres", "sqlite")
DATA_FORMATS = ("sav", "dta")


def render(schema: Schema, kind: str, **options: Any) -> str:
    """The export `kind` of the schema as text (options: `dialect` for sql, `data_path` for
    datapackage)."""
    spec = FORMATS.get(kind)
    if spec is None:
        raise ValueError(f"unknown export {kind!r}: one of {', '.join(FORMATS)}")
    module = importlib.import_module(f"{__name__}.{spec.module}")
    return getattr(module, spec.function)(schema, **options)


def file_name(kind: str, stem: str, dialect: str | None = None) -> str:
    """The file an export is written to: `stem` + suffix (`stem.duckdb.sql` for SQL)."""
    spec = FORMATS[kind]
    if kind == "datapackage":
        return f"{stem}.datapackage.json"
    if kind == "sql":
        return f"{stem}.{dialect or 'duckdb'}.sql"
    return stem + spec.suffix


def write_all(schema: Schema, outdir: str | Path, *, stem: str = "dictionary",
              data_path: str = "data.csv") -> dict[str, Path]:
    """Write every export into `outdir`: {kind: path} (SQL once per dialect: `sql_duckdb`,
    `sql_postgres`, `sql_sqlite`).  `data_path`: the data file the Data Package names."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for kind in FORMATS:
        if kind == "sql":
            for dialect in SQL_DIALECTS:
                path = out / file_name(kind, stem, dialect)
                path.write_text(render(schema, kind, dialect=dialect), encoding="utf-8")
                paths[f"sql_{dialect}"] = path
            continue
        options = {"data_path": data_path} if kind == "datapackage" else {}
        path = out / file_name(kind, stem)
        path.write_text(render(schema, kind, **options), encoding="utf-8")
        paths[kind] = path
    return paths
