"""The jobs' CPU-bound steps: module-level functions of plain, picklable arguments, so an
executor may run each in a worker process (the app does: one hand-over per step, and the
serving process only sends what comes back).  The parse and profile one-call functions for
scripts are here too."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from ..errors import NoFieldsFound
from ..markers import Markers
from ..model import PackedSchema, Schema
from ..parsers import ParseResult, ParseUpdate, iter_parse, parse_dictionary
from ..parsers.coverage import Coverage
from .outputs import (AnySchema, SchemaOutputs, as_schema, compact_schema, field_changes,
                      field_table, schema_from_compact)

BATCH_SECONDS = 0.2     # a streamed parse sends the fields found so far at most this often


# ---- parse ---------------------------------------------------------------------------------
@dataclass
class RulesResult:
    """A finished rule-based parse, as the parse job carries it on."""

    format: str                      # "none": no field found, in an LLM job
    count: int
    seconds: float
    warnings: list[str]
    coverage: Coverage | None
    outputs: SchemaOutputs | None    # when asked for
    rules: PackedSchema | None       # an LLM job's rules (it holds them packed)
    schema: Schema | None            # the schema, when neither of the above holds it
    sheets: tuple[str, ...] = ()     # of a workbook, the sheets the fields came from


def parse_file(path: str | Path, filename: str | None = None, *,
               sheet: str | None = None) -> ParseResult:
    """Parse a dictionary completely by rules."""
    return parse_dictionary(path, filename, sheet=sheet)


def stream_rules(path: str | Path, filename: str, sheet: str | None, llm_job: bool
                 ) -> Iterator[ParseUpdate]:
    """A rule-based parse as it goes: the fields so far, then the final result.  In an LLM
    job a document the rules find no field in ends with an empty result (the LLM reads the
    whole document) instead of NoFieldsFound."""
    try:
        yield from iter_parse(path, filename, sheet=sheet, batch_seconds=BATCH_SECONDS)
    except NoFieldsFound:
        if not llm_job:
            raise
        yield ParseUpdate([], "none", True, None, ParseResult(Schema(), "none"))


def parse_rules(path: str | Path, filename: str, sheet: str | None, llm_job: bool,
                outputs: bool, outdir: str | None, markers: Markers | None = None
                ) -> RulesResult:
    """A whole rule-based parse in one step, with its outputs when asked (for an LLM job no
    descriptor nor downloads: they come with its final result)."""
    update = None
    for update in stream_rules(path, filename, sheet, llm_job):
        pass
    assert update is not None and update.result is not None
    return finish_rules(update.result, filename, llm_job, outputs, outdir, markers)


def finish_rules(result: ParseResult, filename: str, llm_job: bool, outputs: bool,
                 outdir: str | None, markers: Markers | None = None) -> RulesResult:
    """A parse's result as the job carries it on: the declared missing values written in,
    outputs made, an LLM job's rules packed.  (In an LLM job a marker may name a field the
    rules did not find: the LLM may find it, so that is a warning, not an error.)"""
    schema = result.schema
    warnings = list(result.warnings)
    if markers:
        if llm_job and markers.unknown(schema.names):
            warnings.append("Missing values name fields the rules did not find: "
                            + ", ".join(map(repr, markers.unknown(schema.names)))
                            + "; they apply if the LLM finds them.")
        schema = schema.with_missing_values(markers, strict=not llm_job)
    made = None
    if outputs:
        made = schema_outputs(schema, filename, None if llm_job else outdir,
                              descriptor=not llm_job)
    coverage = None if result.format == "none" else result.coverage
    rules = PackedSchema.of(schema) if llm_job else None
    keep = None if llm_job or outputs else schema
    return RulesResult(result.format, len(schema.fields), result.seconds, warnings,
                       coverage, made, rules, keep, tuple(result.sheets))


def schema_outputs(schema: AnySchema, filename: str, outdir: str | None, *,
                   descriptor: bool = True) -> SchemaOutputs:
    """A schema's (or a packed form's) table, descriptor, downloads (written under `outdir`;
    none without one) and compact form, in one step."""
    schema = as_schema(schema)
    desc = schema.to_descriptor()
    paths: tuple[str | None, str | None] = (None, None)
    if outdir is not None:
        from ..report.downloads import write_schema_downloads

        json_path, csv_path = write_schema_downloads(schema, filename, Path(outdir),
                                                     descriptor=desc)
        paths = (str(json_path), str(csv_path))
    return SchemaOutputs(field_table(schema), desc if descriptor else None, paths,
                         compact_schema(desc))


def refined_outputs(merged: AnySchema, rules: PackedSchema, filename: str, outdir: str | None,
                    markers: Markers | None = None):
    """An LLM job's final outputs (the declared missing values written in, for fields the LLM
    added too), and what it changed of the rules."""
    schema = as_schema(merged)
    if markers:
        schema = schema.with_missing_values(markers, strict=False)
    return schema_outputs(schema, filename, outdir), field_changes(rules.unpack(), schema)


# ---- profile and analysis ------------------------------------------------------------------
def load_schema(dictionary: str | Path | Schema | bytes | None, *, sheet: str | None = None
                ) -> Schema | None:
    """A Schema from a Schema, its compact form, a dictionary file of any supported format
    (read from `sheet` of a workbook), or None."""
    if dictionary is None or isinstance(dictionary, Schema):
        return dictionary
    if isinstance(dictionary, bytes):
        return schema_from_compact(dictionary)
    return parse_dictionary(dictionary, sheet=sheet).schema


def profile_file(path: str | Path, filename: str | None = None, *, sheet: str | None = None,
                 dictionary: str | Path | Schema | bytes | None = None):
    """Read and profile a dataset; returns (Profile, warnings)."""
    prof, ds = _read_and_profile(path, filename, sheet, dictionary)
    return prof, list(ds.warnings)


def _read_and_profile(path: str | Path, filename: str | None, sheet: str | None,
                      dictionary: Any):
    """(Profile, the Dataset it profiled)."""
    from ..formats import read_dataset
    from ..profile import profile_dataset

    ds = read_dataset(path, filename, sheet=sheet, schema=load_schema(dictionary))
    return profile_dataset(ds), ds


@dataclass
class Profiled:
    """A finished profile and its download."""

    profile: Any                     # engine.profile.Profile
    warnings: list[str]
    download: str | None             # the profile JSON, when written
    table: Any = None                # the data read (for a `present` to chart; never sent)


@dataclass
class Analyzed:
    """A finished analysis and its downloads."""

    analysis: Any                    # engine.analyze.Analysis
    downloads: dict[str, Path]       # kind -> path (see Analysis.write_downloads)


def profile_step(path: str, filename: str, sheet: str | None, dictionary: Any,
                 outdir: str | None, present: Callable | None = None) -> tuple[list[str], Any]:
    """Profile a dataset (its JSON written into `outdir`): (warnings, the Profiled, or what
    `present` makes of it, in the same process)."""
    prof, ds = _read_and_profile(path, filename, sheet, dictionary)
    warnings = list(ds.warnings)
    download = None
    if outdir is not None:
        from ..report.downloads import write_profile_download

        download = str(write_profile_download(prof, filename, Path(outdir)))
    if present is None:
        return warnings, Profiled(prof, warnings, download)
    return warnings, present(Profiled(prof, warnings, download, ds.table))


def analyze_step(data_path: str, dictionary_path: str | None, mapping: Any,
                 outdir: str | None, options: dict, present: Callable | None = None
                 ) -> tuple[list[str], Any]:
    """Analyze a dataset against a dictionary (every download written into `outdir`):
    (warnings, the Analyzed, or what `present` makes of it).  `options`: analyze_files'."""
    items = list(analyze_steps(data_path, dictionary_path, mapping, outdir, options))
    result = items[-1][1]
    return items[0][1], result if present is None else present(result)


def analyze_steps(data_path: str, dictionary_path: str | None, mapping: Any,
                  outdir: str | None, options: dict, present: Callable | None = None
                  ) -> Iterator[tuple]:
    """An analysis, then its downloads one by one (into `outdir`), as items:
    ("warnings", [...]), ("checked", the Analyzed without downloads, or what `present` makes
    of it), ("download", kind, path, done, total) for each file (and ("warnings", [...]) for
    a labelled .sav/.dta that could not be written), ("final", the Analyzed with its
    downloads, or what `present` makes of it).  `options`: analyze_files'."""
    from ..analyze import DOWNLOADS, analyze_files

    analysis = analyze_files(data_path, dictionary_path, mapping, **options)
    yield "warnings", list(analysis.warnings)
    result = Analyzed(analysis, {})
    yield "checked", result if present is None else present(result)
    downloads: dict[str, Path] = {}
    if outdir is not None:
        total = len(DOWNLOADS)
        said = 0
        for kind, path in analysis.iter_downloads(outdir):
            if len(analysis.download_warnings) > said:
                yield "warnings", analysis.download_warnings[said:]
                said = len(analysis.download_warnings)
            downloads[kind] = path
            yield "download", kind, str(path), len(downloads), total
        if len(analysis.download_warnings) > said:
            yield "warnings", analysis.download_warnings[said:]
    done = Analyzed(analysis, {k: downloads[k] for k in DOWNLOADS if k in downloads})
    yield "final", done if present is None else present(done)
