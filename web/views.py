"""What the UI shows of engine results: status lines (Markdown), job details, a parse as shown
step after step (`ParseShown`), and the profile's view (`profile_view`, the profile job's
`present` function: it runs where the step ran, a worker process, so the serving process only
sends).  The check's views are web.steps.CheckView and web.report_view."""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
from typing import Any

from engine.parsers.coverage import Coverage
from engine.pipeline import ChunkDone, Parsed, PartialFields, Warning
from engine.pipeline.steps import Profiled

from .session import json_safe

FORMAT_LABELS = {
    "table": "table", "text": "free text", "redcap-csv": "REDCap data dictionary",
    "redcap-pdf": "REDCap PDF", "uci-names": "UCI .names", "table-schema": "Table Schema",
    "ddi": "DDI XML", "spss-syntax": "SPSS syntax", "stata-dct": "Stata dictionary",
    "fhir-questionnaire": "FHIR Questionnaire", "odm-xml": "CDISC ODM / REDCap XML",
    "spss-sav": "SPSS .sav", "stata-dta": "Stata .dta", "sas": "SAS file",
}
ALL_SHEETS = "(every sheet)"
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
    return working(f"Reading `{event.filename}`{where}: {event.count} fields so far…")


def rules_status(event: Parsed) -> str:
    """The status line of a finished rule-based parse."""
    if event.format == "none":
        return (f"The rules recognised no field in `{event.filename}`; the LLM reads the "
                "whole document.")
    label = FORMAT_LABELS.get(event.format, event.format)
    return (f"**{event.count} fields** read from `{event.filename}` ({label}, rules, "
            f"{event.seconds:.2f} s)" + coverage_status(event.coverage))


class ParseShown:
    """One parse as shown: its status line, job details and fields table, step after step;
    an LLM job's rows marked where the LLM added or changed a field."""

    def __init__(self) -> None:
        self.status = ""          # the rules' status line
        self.llm_status = ""      # the latest LLM step's
        self.job: dict[str, Any] = {"format": None, "warnings": [], "llm": None,
                                    "coverage": None}
        self.filename = ""
        self._rules_table: list[list[str]] | None = None  # an LLM job's rules rows
        self._rules: dict[str, list[str]] | None = None   # … by loose name (when asked)
        self.chunks = (0, 0)
        self.count = 0

    def parsed(self, event: Parsed) -> str:
        """The rules' result: its status (with warnings)."""
        self.filename = event.filename
        self.job = {"format": event.format, "warnings": event.warnings, "llm": None,
                    "coverage": event.coverage.to_dict() if event.coverage else None}
        self.status = with_warnings(rules_status(event), event.warnings)
        if event.llm_follows:
            self._rules_table = event.outputs.table if event.outputs is not None else []
        self.count = event.count
        return self.status

    def llm_unavailable(self, message: str) -> str:
        """No LLM although one was asked for: the rules' status, then why."""
        self.job["llm"] = {"error": message}
        return self.status + "\n\n" + message

    def chunk(self, event: ChunkDone, table: list[list[str]] | None = None) -> str:
        """An LLM step: its status (progress, fields so far, the chunks that kept the rules'
        fields)."""
        self.job["llm"] = {"chunks_done": event.chunks_done,
                           "chunks_total": event.chunks_total, "usage": event.usage.to_dict(),
                           "flagged": event.flagged, "error": event.error, "done": event.done}
        self.chunks = (event.chunks_done, event.chunks_total)
        counts = ""
        if table is not None:
            self.count = len(table)
            added, changed = self.changes(table)
            counts = (f" — **{len(table)} fields** ({added} added, {changed} changed by the "
                      f"LLM{'' if event.done else ' so far'})")
        self.llm_status = with_warnings(event.status + counts, event.flagged)
        return self.llm_status

    def rules_again(self) -> str:
        """The rules' status (shown again with their downloads when the LLM job failed)."""
        self.job["llm"] = None
        return self.status

    def cancelled(self, kept: int | None, stage: str) -> str:
        """The status of a cancelled job: what it kept."""
        if kept is None:
            return (f"**Cancelled** while the rules read `{self.filename or 'the file'}`: "
                    "nothing was kept.")
        done, total = self.chunks
        what = (f"rules + {done} of {total} chunks" if stage == "llm" and total else "rules")
        self.job["cancelled"] = True
        return (f"**Cancelled — kept {kept} fields ({what}).** The Table Schema and CSV below "
                "hold exactly these fields.")

    def changes(self, table: list[list[str]]) -> tuple[int, int]:
        """(added, changed) fields of `table` against the rules' rows."""
        marks = self.marks(table)
        return marks.count("added"), marks.count("changed")

    def marks(self, table: list[list[str]]) -> list[str]:
        """Per row: "added" or "changed" by the LLM, or "" (rules-only jobs: all "")."""
        if self._rules_table is None:
            return [""] * len(table)
        if self._rules is None:
            self._rules = {loose_name(r[0]): r for r in self._rules_table}
        rules = self._rules
        out = []
        for row in table:
            before = rules.get(loose_name(row[0]))
            out.append("added" if before is None else "" if before == row else "changed")
        return out

    def marked(self, table: list[list[str]]) -> list[list[str]]:
        """The table with its LLM column (see `marks`)."""
        return with_marks(table, self.marks(table))

    def job_json(self) -> dict:
        """The job details for the JSON widget."""
        return json_safe(self.job)


def descriptor_markers(descriptor: dict | None) -> str:
    """The dictionary-wide missing values of a Table Schema, as a user types them."""
    values = (descriptor or {}).get("missingValues") or []
    return ", ".join(str(v.get("value") if isinstance(v, dict) else v) for v in values
                     if (v.get("value") if isinstance(v, dict) else v) not in ("", None))


def session_note(meta: dict, descriptor: dict | None) -> str:
    """The Check tab's line on the dictionary parsed (and edited) in the Dictionary tab."""
    markers = descriptor_markers(descriptor)
    return (f"Without a dictionary file here, the check uses **`{meta['filename']}`** from the "
            f"Dictionary tab: {meta['fields']} fields"
            + (", as you edited them" if meta.get("edited") else "")
            + (f"; missing values {markers}" if markers else "") + ".")


def with_marks(table: list[list[str]], marks: list[str]) -> list[list[str]]:
    """Rows of the UI's fields table: the name, what the LLM did, then the other cells."""
    return [[row[0], mark, *row[1:]] for row, mark in zip(table, marks)]


def loose_name(name: str) -> str:
    """A field name compared loosely (case and punctuation aside), as FieldChanges does."""
    return re.sub(r"[\W_]+", "", str(name).casefold())


def working(text: str) -> str:
    """A status line for work under way (a spinner drawn by the app's CSS before it)."""
    return f'<span class="cb-spin"></span>{text}'


def progress_bar(done: int, total: int) -> str:
    """A progress bar for a status line (Markdown keeps the element)."""
    total = max(total, 1)
    return f"<progress value=\"{done}\" max=\"{total}\"></progress>"


@dataclass
class ProfileView:
    """A finished profile as the UI and API show it."""

    status: str             # Markdown: the summary, then the warnings
    table: Any              # the columns table (pandas DataFrame)
    data: dict              # the profile as JSON-safe values
    download: str | None    # the profile JSON
    warnings: list[str] = dc_field(default_factory=list)
    charts: str = ""        # the columns' distributions (HTML: web.minicharts)


def profile_view(result: Profiled) -> ProfileView:
    """What the Dataset tab shows of a profile (the profile job's `present`)."""
    prof = result.profile
    status = with_warnings(prof.summary_markdown(), result.warnings)
    return ProfileView(status, prof.column_rows(), json_safe(prof.to_dict()), result.download,
                       result.warnings)
