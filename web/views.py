"""What the UI shows of engine results: status lines (Markdown), job details, and the profile's
and analysis's views.  `profile_view` and `analysis_view` are the jobs' `present` functions:
they run where the step ran (a worker process), so the serving process only sends."""

from __future__ import annotations

import json
from dataclasses import dataclass, field as dc_field
from typing import Any

from engine.parsers.coverage import Coverage
from engine.pipeline import ChunkDone, Parsed, PartialFields, Warning
from engine.pipeline.steps import Analyzed, Profiled

from .session import json_safe

FORMAT_LABELS = {
    "table": "table", "text": "free text", "redcap-csv": "REDCap data dictionary",
    "redcap-pdf": "REDCap PDF", "uci-names": "UCI .names", "table-schema": "Table Schema",
    "ddi": "DDI XML", "spss-syntax": "SPSS syntax", "stata-dct": "Stata dictionary",
    "fhir-questionnaire": "FHIR Questionnaire", "odm-xml": "CDISC ODM / REDCap XML",
    "spss-sav": "SPSS .sav", "stata-dta": "Stata .dta", "sas": "SAS file",
}
COVERAGE_NOTICE = ("The fields account for only a small part of the document: see the status "
                   "line (Refine with LLM reads the whole document).")


def describe_warnings(warnings: list[str]) -> str:
    """Warnings as a Markdown bullet list (empty when none)."""
    return "\n".join(f"- {w}" for w in warnings)


def with_warnings(status: str, warnings: list[str]) -> str:
    """A status line followed by its warnings, if any."""
    return status + ("\n\n" + describe_warnings(warnings) if warnings else "")


def notice(event: Warning) -> str:
    """The text of a warning's pop-up."""
    return COVERAGE_NOTICE if event.kind == "coverage" else event.message


def coverage_status(cov: Coverage | None) -> str:
    """The end of a finished parse's status line: how much of the document the fields
    account for; when it is little, where and what to do."""
    if cov is None or cov.share is None:
        return "."
    if not cov.low:
        return f"; they account for {cov.summary()}."
    where = cov.where_unread()
    return (f" — **they account for only {cov.summary()}**" + (f": {where}" if where else "")
            + ". The rules may have missed fields: tick *Refine with LLM* to have the whole "
            "document read.")


def partial_status(event: PartialFields) -> str:
    """The status line while a long parse goes on."""
    where = (f" (page {event.progress[0]} of {event.progress[1]})" if event.progress else "")
    return f"Reading `{event.filename}`{where}: {event.count} fields so far…"


def rules_status(event: Parsed) -> str:
    """The status line of a finished rule-based parse."""
    if event.format == "none":
        return (f"The rules recognised no field in `{event.filename}`; the LLM reads the "
                "whole document.")
    label = FORMAT_LABELS.get(event.format, event.format)
    return (f"**{event.count} fields** read from `{event.filename}` ({label}, rules, "
            f"{event.seconds:.2f} s)" + coverage_status(event.coverage))


class ParseShown:
    """One parse as shown: its status line and job details, step after step."""

    def __init__(self) -> None:
        self.status = ""          # the rules' status line
        self.llm_status = ""      # the latest LLM step's
        self.job: dict[str, Any] = {"format": None, "warnings": [], "llm": None,
                                    "coverage": None}

    def parsed(self, event: Parsed) -> str:
        """The rules' result: its status (with warnings)."""
        self.job = {"format": event.format, "warnings": event.warnings, "llm": None,
                    "coverage": event.coverage.to_dict() if event.coverage else None}
        self.status = with_warnings(rules_status(event), event.warnings)
        return self.status

    def llm_unavailable(self, message: str) -> str:
        """No LLM although one was asked for: the rules' status, then why."""
        self.job["llm"] = {"error": message}
        return self.status + "\n\n" + message

    def chunk(self, event: ChunkDone) -> str:
        """An LLM step: its status (with the chunks that kept the rules' fields)."""
        self.job["llm"] = {"chunks_done": event.chunks_done,
                           "chunks_total": event.chunks_total, "usage": event.usage.to_dict(),
                           "flagged": event.flagged, "error": event.error, "done": event.done}
        self.llm_status = with_warnings(event.status, event.flagged)
        return self.llm_status

    def rules_again(self) -> str:
        """The rules' status (shown again with their downloads when the LLM job failed)."""
        self.job["llm"] = None
        return self.status

    def job_json(self) -> dict:
        """The job details for the JSON widget."""
        return json_safe(self.job)


@dataclass
class ProfileView:
    """A finished profile as the UI and API show it."""

    status: str             # Markdown: the summary, then the warnings
    table: Any              # the columns table (pandas DataFrame)
    data: dict              # the profile as JSON-safe values
    download: str | None    # the profile JSON
    warnings: list[str] = dc_field(default_factory=list)


def profile_view(result: Profiled) -> ProfileView:
    """What the Dataset tab shows of a profile (the profile job's `present`)."""
    prof = result.profile
    status = with_warnings(prof.summary_markdown(), result.warnings)
    return ProfileView(status, prof.column_rows(), json_safe(prof.to_dict()), result.download,
                       result.warnings)


@dataclass
class AnalysisView:
    """A finished analysis as the UI and API show it."""

    markdown: str
    fields: list[list[Any]]          # Analysis.fields_table()
    matching: list[list[Any]]        # Analysis.matching_table()
    preview: Any                     # the labelled preview (pandas DataFrame)
    figures: list[Any]               # matplotlib Figures, at most `plots`
    downloads: list[str]             # every download's path
    report: dict[str, Any]           # the JSON report, JSON-safe
    warnings: list[str]


def analysis_view(result: Analyzed, plots: int = 5) -> AnalysisView:
    """What the Check tab shows of an analysis (the analysis job's `present`)."""
    analysis = result.analysis
    figures = list(analysis.figures(max_fields=max(plots - 2, 0)).values())[:plots]
    report = json.loads(json.dumps(analysis.to_dict(), default=str))
    return AnalysisView(analysis.to_markdown(), analysis.fields_table(),
                        analysis.matching_table(), analysis.preview(50), figures,
                        [str(p) for p in result.downloads.values()], report,
                        list(analysis.warnings))
