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
        # schema_json, fields_csv, fields_xlsx, labelled_csv, labelled_parquet, labelled_sav,
        # labelled_dta, flagged_xlsx
    analysis.iter_downloads(outdir)    # the same, one (kind, path) at a time, quick ones first
    analysis.download_warnings         # the labelled .sav/.dta that could not be written, why

Without a dictionary, a starter Table Schema is inferred from the data (and from the value
labels a .sav/.dta file carries), and the data is checked against it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field as dc_field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa

from .labels import apply_labels, infer_schema
from .markers import Markers, parse_markers
from .match import Matching, match_columns
from .model import Schema, merge_field
from .report import (build_report, fields_csv, fields_in_report_order, report_html,
                     report_markdown, write_fields_xlsx, write_flagged_xlsx, write_labelled)
from .report.downloads import pretty_json, safe_stem
from .validation import ValidationResult, to_arrow, validate_table

CHART_FIELDS = 8            # distribution charts in the HTML report
DOWNLOADS = ("report_json", "report_md", "report_html", "schema_json", "fields_csv",
             "fields_xlsx", "labelled_csv", "labelled_parquet", "labelled_sav", "labelled_dta",
             "flagged_xlsx")
# written quick ones first: the HTML (its charts) and the flagged workbook take longest
_WRITE_ORDER = ("report_json", "report_md", "schema_json", "fields_csv", "fields_xlsx",
                "labelled_csv", "labelled_parquet", "labelled_sav", "labelled_dta",
                "report_html", "flagged_xlsx")
# the files another package writes, and may refuse (Stata: a number beyond its range): a
# refusal is a warning (`download_warnings`), the other downloads are still written
OPTIONAL_DOWNLOADS = {"labelled_sav": "SPSS", "labelled_dta": "Stata"}


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
    markers: Markers = dc_field(default_factory=Markers)   # missing values the user declared
    download_warnings: list[str] = dc_field(default_factory=list)   # downloads not written
    _figures: dict[str, Any] = dc_field(default_factory=dict, repr=False)   # made, by title

    @cached_property
    def report(self) -> dict[str, Any]:
        meta = {"data": {"file": self.data_name, "format": self.data_format,
                         "rows": self.result.n_rows, "columns": self.result.n_columns},
                "dictionary": {"file": self.dictionary_name, "format": self.dictionary_format,
                               "fields": len(self.schema.fields), "inferred": self.inferred,
                               "missing_values_declared": self.markers.text() or None},
                "warnings": self.warnings, "seconds": round(self.seconds, 3)}
        return build_report(self.result, self.matching, self.schema, meta)

    def to_dict(self) -> dict[str, Any]:
        """The JSON report (see engine.report.build_report)."""
        return self.report

    def to_json(self) -> str:
        return json.dumps(self.report, indent=2, ensure_ascii=False, default=str)

    def to_markdown(self, folds: bool = False) -> str:
        """The Markdown report, problems first; `folds`: the passing and absent fields in
        <details> blocks (for a Markdown view that renders HTML)."""
        return report_markdown(self.report, folds=folds)

    def to_html(self, charts: bool = True) -> str:
        """The self-contained HTML report, charts inlined as SVG."""
        from .charts import figure_svg

        svgs = {k: figure_svg(f) for k, f in self.figures().items()} if charts else {}
        return report_html(self.report, svgs)

    def figures(self, max_fields: int = CHART_FIELDS) -> dict[str, Any]:
        """Charts by title: violations overview, heat-map, then 'field:<name>' distributions
        (each made once: the app's view and the HTML report share them)."""
        from .charts import distribution_figure, heatmap_figure, violations_figure

        made = self._figures

        def chart(title: str, make) -> Any:
            if title not in made:
                made[title] = make()
            return made[title]

        figs = {"Violations by field": chart("Violations by field",
                                             lambda: violations_figure(self.result))}
        if self.result.heatmap()[0]:
            figs["Where the violations are"] = chart("Where the violations are",
                                                     lambda: heatmap_figure(self.result))
        for name in self._chart_fields(max_fields):
            f = self.schema.field(name)
            col = self.matching.columns_of(name)[0].column
            figs[f"field:{name}"] = chart(f"field:{name}", lambda: distribution_figure(
                self.table.column(col), f, name))
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
        """Rows [field, column, type, status, verdict] for a results table, in the report's
        order: problems (most rows affected first), passing fields, fields not in the data."""
        return [[f["name"], f["column"] or "", f["type"], f["status"], f["verdict"]]
                for f in fields_in_report_order(self.report)]

    def labelled(self, typed: bool = False) -> pa.Table:
        """The data with codes replaced by their labels; `typed`: numeric columns as numbers
        and labels in coded columns only (see labels.apply_labels)."""
        return apply_labels(self.table, self.schema, self.matching, typed=typed)

    def preview(self, n: int = 50, labelled: bool = True):
        """The first `n` rows as a pandas DataFrame (codes labelled by default)."""
        head = self.table.slice(0, n)
        table = apply_labels(head, self.schema, self.matching) if labelled else head
        return table.to_pandas()

    def download_paths(self, outdir: str | Path, stem: str | None = None) -> dict[str, Path]:
        """Where each download goes: {kind: path} (kinds in DOWNLOADS order)."""
        out = Path(outdir)
        stem = stem or safe_stem(self.data_name)
        names = {"report_json": "report.json", "report_md": "report.md",
                 "report_html": "report.html",
                 "schema_json": f"{'starter.' if self.inferred else ''}schema.json",
                 "fields_csv": "fields.csv", "fields_xlsx": "fields.xlsx",
                 "labelled_csv": "labelled.csv", "labelled_parquet": "labelled.parquet",
                 "labelled_sav": "labelled.sav", "labelled_dta": "labelled.dta",
                 "flagged_xlsx": "flagged.xlsx"}
        return {kind: out / f"{stem}.{names[kind]}" for kind in DOWNLOADS}

    def iter_downloads(self, outdir: str | Path, stem: str | None = None,
                       *, flagged_max_cells: int = 300_000) -> Iterator[tuple[str, Path]]:
        """Write the downloads one by one, the quick ones first; yields (kind, path) after
        each.  A labelled .sav/.dta its package refuses is skipped, and said in
        `download_warnings`."""
        paths = self.download_paths(outdir, stem)
        Path(outdir).mkdir(parents=True, exist_ok=True)
        writers = {
            "report_json": lambda p: p.write_text(self.to_json(), encoding="utf-8"),
            "report_md": lambda p: p.write_text(self.to_markdown(), encoding="utf-8"),
            "schema_json": lambda p: p.write_bytes(pretty_json(self.schema.to_descriptor())),
            "fields_csv": lambda p: p.write_text(fields_csv(self.schema), encoding="utf-8"),
            "fields_xlsx": lambda p: write_fields_xlsx(self.schema, p),
            "labelled_csv": lambda p: write_labelled(self.labelled(), csv_path=p),
            "labelled_parquet": lambda p: write_labelled(self.labelled(typed=True),
                                                         parquet_path=p),
            "labelled_sav": lambda p: self._labelled_file(p, "sav"),
            "labelled_dta": lambda p: self._labelled_file(p, "dta"),
            "report_html": lambda p: p.write_text(self.to_html(), encoding="utf-8"),
            "flagged_xlsx": lambda p: write_flagged_xlsx(self.table, self.result, p,
                                                         max_cells=flagged_max_cells),
        }
        for kind in _WRITE_ORDER:
            if kind in OPTIONAL_DOWNLOADS:
                if not self._optional(kind, paths[kind], writers[kind]):
                    continue
            else:
                writers[kind](paths[kind])
            yield kind, paths[kind]

    def _labelled_file(self, path: Path, fmt: str) -> None:
        """The data with its labels as SPSS .sav or Stata .dta (pyreadstat)."""
        from .report.exports.labelled import write_dta, write_sav

        if fmt == "sav":
            write_sav(self.table, self.schema, path, self.matching)
            return
        notes: list[str] = []
        write_dta(self.table, self.schema, path, self.matching, notes)
        self.download_warnings += [f"{path.name} (Stata): {note}" for note in notes]

    def _optional(self, kind: str, path: Path, write: Any) -> bool:
        """Write an optional download; False (a warning said why, no file left) when its
        package refuses the data."""
        try:
            write(path)
            return True
        except Exception as exc:  # noqa: BLE001 - the package's refusal, whatever its class
            path.unlink(missing_ok=True)
            reason = " ".join(str(exc).split()).rstrip(".") or type(exc).__name__
            self.download_warnings.append(
                f"{path.name} ({OPTIONAL_DOWNLOADS[kind]}) could not be written: {reason}. "
                "The other downloads are written.")
            return False

    def write_downloads(self, outdir: str | Path, stem: str | None = None,
                        *, flagged_max_cells: int = 300_000) -> dict[str, Path]:
        """Write every download; returns {kind: path} (kinds in DOWNLOADS order; a labelled
        .sav/.dta not written is left out, see `download_warnings`)."""
        written = dict(self.iter_downloads(outdir, stem, flagged_max_cells=flagged_max_cells))
        return {kind: written[kind] for kind in DOWNLOADS if kind in written}


def analyze_files(data_path: str | Path, dictionary_path: str | Path | None = None,
                  mapping: Any = None, *, sheet: str | None = None,
                  data_filename: str | None = None, dictionary_filename: str | None = None,
                  dictionary_label: str | None = None, min_rows: int = 1,
                  missing_values: Any = None, dictionary_sheet: str | None = None) -> Analysis:
    """Read a dataset (and its dictionary, if given), match, validate: the whole analysis.
    `dictionary_label`: how reports name the dictionary (default: its file name);
    `dictionary_sheet`: the workbook sheet the dictionary is read from (default: every one);
    `missing_values`: markers declared missing ('NA,NULL; Age=-9': see engine.markers)."""
    from .formats import read_dataset

    t0 = time.perf_counter()
    schema, fmt, warnings = None, None, []
    if dictionary_path is not None and str(dictionary_path) != "":
        schema, fmt, warnings = load_dictionary(dictionary_path, dictionary_filename,
                                                dictionary_sheet)
    ds = read_dataset(data_path, data_filename, sheet=sheet, schema=schema, typed=False)
    analysis = analyze_table(ds.table, schema, mapping, min_rows=min_rows,
                             data_name=ds.filename, labels=ds.labels,
                             missing_values=missing_values)
    analysis.data_format = ds.format
    analysis.dictionary_name = (dictionary_label or dictionary_filename
                                or Path(dictionary_path).name if schema is not None else None)
    analysis.dictionary_format = fmt
    analysis.warnings = list(ds.warnings) + warnings + analysis.warnings
    analysis.seconds = time.perf_counter() - t0
    return analysis


def analyze_table(table: Any, schema: Schema | None = None, mapping: Any = None, *,
                  min_rows: int = 1, data_name: str = "data",
                  labels: Schema | None = None, missing_values: Any = None) -> Analysis:
    """Match and validate an in-memory table (Arrow or pandas) against a schema (without one,
    a starter schema inferred from it), with `missing_values` declared missing."""
    t0 = time.perf_counter()
    table = to_arrow(table)
    markers = parse_markers(missing_values)
    inferred = schema is None
    if schema is None:
        schema = starter_schema(table, labels, markers)
    elif markers:
        schema = schema.with_missing_values(markers)
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
                    warnings=warnings, seconds=time.perf_counter() - t0, markers=markers)


def starter_schema(table: pa.Table, labels: Schema | None = None,
                   markers: Markers | None = None) -> Schema:
    """A schema inferred from the data (declared markers left out of the inference),
    enriched with labels stored in the data file."""
    markers = markers or Markers()
    every = [""] + [v for v in markers.every if v != ""]
    schema = infer_schema(table, missing_values=every if markers.every else None)
    if markers.fields:
        schema = schema.with_missing_values(Markers((), markers.fields))
    if labels is None:
        return schema
    for i, f in enumerate(schema.fields):
        known = labels.field(f.name)
        if known is not None:
            merged = merge_field(known, f)
            merged.type = f.type
            schema.fields[i] = merged
    return schema


def load_dictionary(path: str | Path, filename: str | None = None, sheet: str | None = None
                    ) -> tuple[Schema, str, list[str]]:
    """A dictionary of any supported format (a re-uploaded Table Schema included), from
    `sheet` of a workbook when given: (schema, format, warnings)."""
    from .parsers import parse_dictionary

    result = parse_dictionary(path, filename or Path(path).name, sheet=sheet)
    return result.schema, result.format, list(result.warnings)
