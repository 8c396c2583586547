"""Analyze a dataset against its dictionary: the one call the app, the API and the CLI make.

    analysis = analyze_files("train.csv", "data_description.txt", mapping=None)
    analysis.to_dict()          # the JSON report (stable keys, see engine.report)
    analysis.to_markdown(), analysis.to_html()   # the HTML is self-contained (inline SVG)
    analysis.figures()          # {title: matplotlib Figure} for gr.Plot
    analysis.preview(50)        # labelled preview (pandas DataFrame)
    analysis.matching_table()   # [column, field, method, confidence] rows; edited rows go
                                # back in as `mapping` ([[column, field], ...] or a dict)
    analysis.fields_table()     # [field, column, type, status, verdict] rows
    analysis.write_downloads(outdir)   # {kind: Path}: report_json, report_md, report_html,
        # schema_json, fields_csv, fields_xlsx, labelled_csv, labelled_parquet, flagged_xlsx

Without a dictionary, a starter Table Schema is inferred from the data (and from the value
labels a .sav/.dta file carries), and the data is checked against it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field as dc_field
from functools import cached_property
from pathlib import Path
from typing import Any

import pyarrow as pa

from .labels import apply_labels, infer_schema
from .match import Matching, match_columns
from .model import Schema, merge_field
from .report import (build_report, fields_csv, report_html, report_markdown,
                     write_fields_xlsx, write_flagged_xlsx,
                     write_labelled)
from .report.downloads import safe_stem
from .validation import ValidationResult, to_arrow, validate_table

CHART_FIELDS = 8            # distribution charts in the HTML report


@dataclass
class Analysis:
    """A finished analysis: the data, the dictionary, the matching and what validation found."""

    table: pa.Table
    schema: Schema
    matching: Matching
    result: ValidationResult
    data_name: str = "data"
    data_format: str | None = None
    dictionary_name: str | None = None
    dictionary_format: str | None = None
    inferred: bool = False
    warnings: list[str] = dc_field(default_factory=list)
    seconds: float = 0.0

    @cached_property
    def report(self) -> dict[str, Any]:
        meta = {"data": {"file": self.data_name, "format": self.data_format,
                         "rows": self.result.n_rows, "columns": self.result.n_columns},
                "dictionary": {"file": self.dictionary_name, "format": self.dictionary_format,
                               "fields": len(self.schema.fields), "inferred": self.inferred},
                "warnings": self.warnings, "seconds": round(self.seconds, 3)}
        return build_report(self.result, self.matching, self.schema, meta)

    def to_dict(self) -> dict[str, Any]:
        """The JSON report (see engine.report.build_report)."""
        return self.report

    def to_json(self) -> str:
        return json.dumps(self.report, indent=2, ensure_ascii=False, default=str)

    def to_markdown(self) -> str:
        return report_markdown(self.report)

    def to_html(self, charts: bool = True) -> str:
        """The self-contained HTML report, charts inlined as SVG."""
        from .charts import figure_svg

        svgs = {k: figure_svg(f) for k, f in self.figures().items()} if charts else {}
        return report_html(self.report, svgs)

    def figures(self, max_fields: int = CHART_FIELDS) -> dict[str, Any]:
        """Charts by title: violations overview, heat-map, then 'field:<name>' distributions."""
        from .charts import distribution_figure, heatmap_figure, violations_figure

        figs: dict[str, Any] = {"Violations by field": violations_figure(self.result)}
        if self.result.heatmap()[0]:
            figs["Where the violations are"] = heatmap_figure(self.result)
        for name in self._chart_fields(max_fields):
            f = self.schema.field(name)
            col = self.matching.columns_of(name)[0].column
            figs[f"field:{name}"] = distribution_figure(self.table.column(col), f, name)
        return figs

    def _chart_fields(self, limit: int) -> list[str]:
        """Fields with problems first, then coded fields, all single-column and present."""
        present = [r for r in self.result.fields if len(r.columns) == 1]
        failing = [r.name for r in present if r.violations]
        coded = [r.name for r in present if r.name not in failing and
                 (self.schema.field(r.name) or Schema()).categories]
        return (failing + coded)[:limit]

    def matching_table(self) -> list[list[Any]]:
        """Rows [column, field, method, confidence] for an editable table (unmatched: '')."""
        by_column = {p.column: p for p in self.matching.pairs}
        rows = []
        for column in self.table.column_names:
            p = by_column.get(column)
            rows.append([column, p.field, p.method, round(p.confidence, 3)] if p
                        else [column, "", "unmatched", 0.0])
        return rows

    def fields_table(self) -> list[list[Any]]:
        """Rows [field, column, type, status, verdict] for a results table."""
        return [[f["name"], f["column"] or "", f["type"], f["status"], f["verdict"]]
                for f in self.report["fields"]]

    def labelled(self) -> pa.Table:
        """The data with codes replaced by their labels."""
        return apply_labels(self.table, self.schema, self.matching)

    def preview(self, n: int = 50, labelled: bool = True):
        """The first `n` rows as a pandas DataFrame (codes labelled by default)."""
        head = self.table.slice(0, n)
        table = apply_labels(head, self.schema, self.matching) if labelled else head
        return table.to_pandas()

    def write_downloads(self, outdir: str | Path, stem: str | None = None,
                        *, flagged_max_cells: int = 300_000) -> dict[str, Path]:
        """Write every download; returns {kind: path}."""
        out = Path(outdir)
        out.mkdir(parents=True, exist_ok=True)
        stem = stem or safe_stem(self.data_name)
        paths = {
            "report_json": out / f"{stem}.report.json", "report_md": out / f"{stem}.report.md",
            "report_html": out / f"{stem}.report.html",
            "schema_json": out / f"{stem}.{'starter.' if self.inferred else ''}schema.json",
            "fields_csv": out / f"{stem}.fields.csv", "fields_xlsx": out / f"{stem}.fields.xlsx",
            "labelled_csv": out / f"{stem}.labelled.csv",
            "labelled_parquet": out / f"{stem}.labelled.parquet",
            "flagged_xlsx": out / f"{stem}.flagged.xlsx"}
        paths["report_json"].write_text(self.to_json(), encoding="utf-8")
        paths["report_md"].write_text(self.to_markdown(), encoding="utf-8")
        paths["report_html"].write_text(self.to_html(), encoding="utf-8")
        paths["schema_json"].write_text(json.dumps(self.schema.to_descriptor(),
                                                   indent=2, ensure_ascii=False),
                                        encoding="utf-8")
        paths["fields_csv"].write_text(fields_csv(self.schema), encoding="utf-8")
        write_fields_xlsx(self.schema, paths["fields_xlsx"])
        write_labelled(self.labelled(), paths["labelled_csv"], paths["labelled_parquet"])
        write_flagged_xlsx(self.table, self.result, paths["flagged_xlsx"],
                           max_cells=flagged_max_cells)
        return paths


def analyze_files(data_path: str | Path, dictionary_path: str | Path | None = None,
                  mapping: Any = None, *, sheet: str | None = None,
                  data_filename: str | None = None, dictionary_filename: str | None = None,
                  dictionary_label: str | None = None, min_rows: int = 1) -> Analysis:
    """Read a dataset (and its dictionary, if given), match, validate: the whole analysis.
    `dictionary_label`: how reports name the dictionary (default: its file name)."""
    from .formats import read_dataset

    t0 = time.perf_counter()
    schema, fmt, warnings = None, None, []
    if dictionary_path is not None and str(dictionary_path) != "":
        schema, fmt, warnings = load_dictionary(dictionary_path, dictionary_filename)
    ds = read_dataset(data_path, data_filename, sheet=sheet, schema=schema, typed=False)
    analysis = analyze_table(ds.table, schema, mapping, min_rows=min_rows,
                             data_name=ds.filename, labels=ds.labels)
    analysis.data_format = ds.format
    analysis.dictionary_name = (dictionary_label or dictionary_filename
                                or Path(dictionary_path).name if schema is not None else None)
    analysis.dictionary_format = fmt
    analysis.warnings = list(ds.warnings) + warnings + analysis.warnings
    analysis.seconds = time.perf_counter() - t0
    return analysis


def analyze_table(table: Any, schema: Schema | None = None, mapping: Any = None, *,
                  min_rows: int = 1, data_name: str = "data",
                  labels: Schema | None = None) -> Analysis:
    """Match and validate an in-memory table (Arrow or pandas) against a schema."""
    t0 = time.perf_counter()
    table = to_arrow(table)
    inferred = schema is None
    if schema is None:
        schema = starter_schema(table, labels)
    matching = match_columns(table.column_names, schema, mapping)
    warnings = list(matching.warnings)
    if inferred:
        warnings += [f"Column {f.name!r}: {f.description}" for f in schema.fields
                     if (f.description or "").startswith("Mixed types")]
    if schema.fields and table.num_columns and not matching.pairs:
        warnings.append("No column of the data matches a field of the dictionary: check that "
                        "the dictionary describes this file, or pair columns and fields with "
                        "a mapping.")
    result = validate_table(table, schema, matching, min_rows=min_rows)
    return Analysis(table, schema, matching, result, data_name, inferred=inferred,
                    warnings=warnings, seconds=time.perf_counter() - t0)


def starter_schema(table: pa.Table, labels: Schema | None = None) -> Schema:
    """A schema inferred from the data, enriched with labels stored in the data file."""
    schema = infer_schema(table)
    if labels is None:
        return schema
    for i, f in enumerate(schema.fields):
        known = labels.field(f.name)
        if known is not None:
            merged = merge_field(known, f)
            merged.type = f.type
            schema.fields[i] = merged
    return schema


def load_dictionary(path: str | Path, filename: str | None = None
                    ) -> tuple[Schema, str, list[str]]:
    """A dictionary of any supported format (a re-uploaded Table Schema included):
    (schema, format, warnings)."""
    from .parsers import parse_dictionary

    result = parse_dictionary(path, filename or Path(path).name)
    return result.schema, result.format, list(result.warnings)
