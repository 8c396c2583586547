"""What a job tells its consumer, in order: typed events, plain data (no widgets, no text
markup beyond the LLM's status line).

A parse:    Started, PartialFields*, Warning*, Parsed, [Warning], then either
            Final (rules only), or ChunkDone* (LLM steps; the last has done=True) and Final;
            Cancelled or Failed instead of the rest when the job is cancelled or fails.
A profile:  Started, Warning*, Final (its value: the profile, or what `present` made of it).
An analysis: Started, Warning*, Checked (the report: show it), DownloadWritten* (one per
            file, when the job writes them; a Warning among them for a labelled .sav/.dta
            its package refused), Final (the analysis with its downloads).

Every job ends with exactly one of Final, Cancelled, Failed; nothing is raised for a job's own
failure (the consumer decides: the CLI exits, the UI shows the error).
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import TYPE_CHECKING, Any

from ..model import Schema
from .outputs import FieldChanges, SchemaOutputs, as_schema, field_table, schema_from_compact

if TYPE_CHECKING:
    from ..llm import Usage
    from ..llm.merge import MergedSchema
    from ..model import PackedSchema
    from ..parsers.coverage import Coverage


@dataclass(frozen=True)
class Started:
    """A job began."""

    job: str                     # "parse", "profile" or "analyze"
    filename: str
    llm: bool = False            # a parse that an LLM refinement follows


@dataclass(frozen=True)
class PartialFields:
    """The fields a streamed rule-based parse (a long PDF, a big file) has read so far."""

    filename: str
    format: str
    progress: tuple[int, int] | None     # (pages read, pages), when the format has pages
    schema: Schema

    @property
    def count(self) -> int:
        return len(self.schema.fields)

    def table(self) -> list[list[str]]:
        """The fields as table rows (columns: engine.model.FIELD_ROW_COLUMNS)."""
        return field_table(self.schema)


@dataclass(frozen=True)
class Warning:  # noqa: A001 - the job's warning for the user, always used qualified
    """Something the user should know: about the file ("input"), a low coverage of the
    document by the fields ("coverage"), the LLM ("llm"), or an LLM asked for but not
    configured ("no-provider")."""

    message: str
    kind: str = "input"


@dataclass(frozen=True)
class Parsed:
    """The rule-based parse is finished.  `format` is "none" when the rules found no field in
    a document an LLM then reads whole."""

    filename: str
    format: str
    count: int
    seconds: float
    warnings: list[str]
    coverage: Coverage | None
    llm_follows: bool
    outputs: SchemaOutputs | None    # what the UI shows (None when the job makes none); for
    #                                  an LLM job no descriptor nor downloads yet


@dataclass(frozen=True)
class ChunkDone:
    """An LLM refinement step: every chunk answered since the last step is folded in (the
    first step, chunks_done 0, is the rules alone; the last has done=True)."""

    chunks_done: int
    chunks_total: int
    done: bool
    usage: Usage
    flagged: list[str]           # chunks that kept their rule-based fields, and why
    error: str | None            # a provider failure that stopped the job
    status: str                  # one Markdown line, e.g. "LLM refinement: 3 of 10 chunks. …"
    merged: MergedSchema = dc_field(repr=False)

    def table(self) -> list[list[str]]:
        """The merge so far as table rows (cheap: made from rows packed with the merge)."""
        return self.merged.table()

    def schema(self) -> Schema:
        """The merge so far (new objects on each call)."""
        return self.merged.schema()


@dataclass(frozen=True)
class Final:
    """The job's result.  A parse: its `outputs` (when the job makes them) and `source`, the
    schema in whatever form the job held it (`schema()` unpacks it); `stage` says whether the
    LLM refined it; `changes` what the LLM added and changed.  A profile or an analysis: its
    `value`."""

    job: str
    value: Any = None
    outputs: SchemaOutputs | None = None
    source: Schema | PackedSchema | MergedSchema | None = dc_field(default=None, repr=False)
    stage: str = "rules"
    llm: ChunkDone | None = None               # the refinement's last step
    llm_unavailable: str | None = None         # why no refinement ran although one was asked
    changes: FieldChanges | None = None

    def schema(self) -> Schema:
        """The parsed schema."""
        if self.source is not None:
            return as_schema(self.source)
        if self.outputs is not None:
            return schema_from_compact(self.outputs.compact)
        raise ValueError(f"a {self.job} job has no schema")


@dataclass(frozen=True)
class Checked:
    """An analysis is finished: its report and tables can be shown while its downloads are
    written (a DownloadWritten for each, then Final).  `value`: the analysis (a
    `steps.Analyzed` without downloads), or what the job's `present` made of it."""

    value: Any


@dataclass(frozen=True)
class DownloadWritten:
    """One download of an analysis is written: `done` of `total`."""

    kind: str                    # e.g. "report_html", "flagged_xlsx" (Analysis.iter_downloads)
    path: str
    done: int
    total: int


@dataclass(frozen=True)
class Cancelled:
    """The job was cancelled (its `cancel` event set).  `kept`: the outputs of what was
    finished by then (the rules, or the merge so far), with their downloads."""

    stage: str                                 # "rules" or "llm"
    kept: SchemaOutputs | None = None
    source: Schema | PackedSchema | MergedSchema | None = dc_field(default=None, repr=False)


@dataclass(frozen=True)
class Failed:
    """The job failed with `error` (an engine error carries a message fit for users).  `kept`:
    the rule-based result with its downloads when an LLM job failed before showing a step."""

    error: BaseException
    stage: str
    kept: SchemaOutputs | None = None


Event = (Started | PartialFields | Warning | Parsed | ChunkDone | Checked | DownloadWritten | Final
         | Cancelled | Failed)
