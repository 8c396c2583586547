"""The app's tools for AI assistants, served over MCP (the Model Context Protocol) by Gradio at
/gradio_api/mcp/ (streamable HTTP; SSE at /gradio_api/mcp/sse):

    analyze_data(data_file, dictionary_file=None, mapping=None)   check data against a dictionary
    get_data_info(data_file)                                       a dataset's profile, in brief
    parse_dictionary(dictionary_file, sheet=None, use_llm=False)   a dictionary as a Table Schema
    profile_dataset(data_file, sheet=None, dictionary_file=None)   a dataset's profile, in full

Each is an API-only endpoint (`register`, inside the Blocks: /mcp_<tool> for gradio_client
too); Gradio makes the MCP tools of them, their descriptions from the docstrings below, and
`only_our_tools` keeps the UI's own endpoints off the list.  Files arrive as text: an http(s)
URL, a path /gradio_api/upload returned, or a data: URL (web.mcp_inputs).

(No `from __future__ import annotations`: Gradio reads the tools' type hints as types.)
"""

import contextlib
import json
import logging
from typing import Any

from engine.errors import InputError
from engine.limits import size_text
from engine.pipeline import (Cancelled, Failed, Final, Parsed, Warning, analyze_job, parse_job,
                             profile_job)
from engine.pipeline.steps import Analyzed, Profiled

from .mcp_inputs import Inputs, Source
from .session import mapping_from_input

log = logging.getLogger("codebook")
TOOLS = ("analyze_data", "get_data_info", "parse_dictionary", "profile_dataset")
API_PREFIX = "mcp_"      # the endpoints' names (the UI has /parse_dictionary already)
FILES = ("Files are given as an http(s) URL (downloaded by the server; public addresses only), "
         "as a path returned by this app's /gradio_api/upload, or inline as a data: URL "
         "(data:text/csv;base64,… or data:text/csv,<url-encoded text>); at most {limit} each.")


class Tools:
    """The four tools, bound to one app's handlers (its worker pool, LLM service, downloads
    and settings)."""

    def __init__(self, handlers: Any) -> None:
        self.cpu, self.llm = handlers.cpu, handlers.llm
        self.inputs = Inputs(handlers.downloads.uploads, handlers.downloads.new,
                             handlers.settings.max_file_size)

    async def analyze_data(self, data_file: str, dictionary_file: str | None = None,
                           mapping: str | None = None) -> str:
        """Check a dataset against its data dictionary (codebook) and report every problem:
        values of the wrong type, outside their range or code list, missing where required,
        duplicated where unique, breaking branching logic; missing-value codes are counted
        apart. Columns are paired with the dictionary's fields by name (exact, then fuzzy on
        names and labels). Without a dictionary, a starter schema is inferred from the data and
        the data checked against it. Returns the report in Markdown (summary line, dataset
        checks, column matching, each field's verdict with counts and first row numbers; row 1
        is the first data row), then the same report as JSON in a ```json block
        (fields[].violations: kind, count, rows). Datasets: CSV/TSV and other delimited text,
        Excel (.xlsx/.xls, first sheet), Parquet, JSON/JSON Lines, SPSS .sav, Stata .dta, SAS.
        Dictionaries: any format parse_dictionary reads.

        Args:
            data_file: the dataset to check: an http(s) URL, a path returned by /gradio_api/upload, or a data: URL.
            dictionary_file: the data dictionary (optional; same forms as data_file). Without it a starter schema is inferred from the data.
            mapping: optional JSON object pairing columns with fields when names differ, e.g. {"Bedroom count": "Bedroom"}.
        """
        data = await self._get(data_file, "data_file")
        dictionary = await self._get(dictionary_file, "dictionary_file") \
            if (dictionary_file or "").strip() else None
        final = await _final_of(analyze_job(
            data.path, dictionary.path if dictionary else None, mapping_from_input(mapping),
            executor=self.cpu, data_filename=data.name,
            dictionary_filename=dictionary.name if dictionary else None,
            present=analysis_texts))
        return final.value

    async def get_data_info(self, data_file: str) -> str:
        """Describe a dataset: its rows and columns, and for each column its inferred type,
        missing values, distinct values, minimum, maximum, mean, most frequent values and notes
        (identifier, categorical, NA-like strings). Values are read as written (the string
        "NA", codes with leading zeros stay what they are). Returns Markdown: a summary line,
        then a table of the columns (profile_dataset adds the full profile as JSON). Datasets:
        CSV/TSV and other delimited text, Excel (.xlsx/.xls, first sheet), Parquet, JSON/JSON
        Lines, SPSS .sav, Stata .dta, SAS.

        Args:
            data_file: the dataset: an http(s) URL, a path returned by /gradio_api/upload, or a data: URL.
        """
        data = await self._get(data_file, "data_file")
        final = await _final_of(profile_job(data.path, data.name, executor=self.cpu,
                                            present=profile_summary))
        return final.value

    async def parse_dictionary(self, dictionary_file: str, sheet: str | None = None,
                               use_llm: bool = False) -> str:
        """Read a data dictionary (codebook) in any format and return it as a Frictionless
        Table Schema (v2): each field's name, title, description, type, code list
        (categories), range and required constraints, missing-value codes and unit. Formats:
        tables (CSV, TSV, XLSX/XLS, HTML, DOCX and PDF tables, Markdown), free text (TXT,
        Markdown, PDF, DOCX, HTML), REDCap data dictionaries and PDF exports, Table Schema /
        Data Package, CSVW, JSON Schema, dbt schema.yml, DDI XML, CDISC ODM, FHIR
        Questionnaire, SPSS syntax, Stata .dct and do-files, SAS programs, UCI .names, and the
        labels inside SPSS .sav / Stata .dta files. Returns a Markdown summary (how many
        fields, the format recognised, how much of the document the fields account for,
        warnings), then the Table Schema in a ```json block.

        Args:
            dictionary_file: the dictionary: an http(s) URL, a path returned by /gradio_api/upload, or a data: URL.
            sheet: the sheet to read, for a workbook with several (optional; default: every sheet that holds fields).
            use_llm: also have the server's configured LLM read the whole document and refine the fields (slower: up to minutes for a long PDF; an error when the server has no LLM configured is reported in the summary, with the rules' result).
        """
        source = await self._get(dictionary_file, "dictionary_file")
        events = parse_job(source.path, source.name, executor=self.cpu, llm=self.llm,
                           use_llm=bool(use_llm), sheet=(sheet or "").strip() or None,
                           outputs=False)
        parsed: list[Parsed] = []
        warnings: list[str] = []
        final = await _final_of(events, warnings, parsed)
        schema = final.schema()
        summary = parse_summary(parsed[0] if parsed else None, final, warnings,
                                len(schema.fields))
        return with_json(summary, schema.to_descriptor())

    async def profile_dataset(self, data_file: str, sheet: str | None = None,
                              dictionary_file: str | None = None) -> str:
        """Profile a dataset in full: for each column its inferred type, missing values,
        distinct values, range, mean and top values, and for the whole table its rows,
        duplicate rows and file details (format, encoding, delimiter). With a data dictionary,
        its types and column names drive the reader (a file without a header row takes its
        names from it). Returns the profile as Markdown (summary line and columns table), then
        as JSON in a ```json block (rows, columns[] with their statistics, warnings). Datasets:
        CSV/TSV and other delimited text, fixed-width .dat (with a dictionary giving
        positions), Excel (.xlsx/.xls), Parquet, JSON/JSON Lines, SPSS .sav, Stata .dta, SAS.

        Args:
            data_file: the dataset: an http(s) URL, a path returned by /gradio_api/upload, or a data: URL.
            sheet: the sheet to read, for a workbook with several (optional; default: the first).
            dictionary_file: a data dictionary whose types and names drive the reader (optional; same forms as data_file).
        """
        data = await self._get(data_file, "data_file")
        dictionary = await self._get(dictionary_file, "dictionary_file") \
            if (dictionary_file or "").strip() else None
        final = await _final_of(profile_job(
            data.path, data.name, executor=self.cpu, sheet=(sheet or "").strip() or None,
            dictionary=str(dictionary.path) if dictionary else None, present=profile_texts))
        return final.value

    async def _get(self, value: str | None, what: str) -> Source:
        return await self.inputs.get(value, what)


def register(handlers: Any) -> None:
    """Add the tools to the Blocks being built, as API-only endpoints (`/mcp_<tool>`), queued
    with the UI's events of the same kind (parses in the parse pool, the rest as light
    events)."""
    import gradio as gr

    from .handlers import user_errors

    settings = handlers.settings
    tools = Tools(handlers)
    files = FILES.format(limit=size_text(settings.max_file_size))
    pools = {"parse_dictionary": ("parse", settings.llm_jobs)}
    for name in TOOLS:
        fn = getattr(tools, name)
        pool, limit = pools.get(name, ("light", settings.light_concurrency))
        gr.api(user_errors(fn), api_name=API_PREFIX + name,
               api_description=f"{description(fn)} {files}",
               concurrency_limit=limit, concurrency_id=pool)


def description(fn: Any) -> str:
    """A tool's description: its docstring up to the Args section (Gradio reads the
    parameters' descriptions from that section itself)."""
    text = (fn.__doc__ or "").split("Args:")[0]
    return " ".join(text.split())


def only_our_tools(demo: Any) -> list[str]:
    """Have the app's MCP server offer the four tools alone (Gradio makes a tool of every
    public endpoint; the UI's take a session's state and return widgets).  Returns the tool
    names offered."""
    server = getattr(demo, "mcp_server_obj", None)
    if server is None:
        return []
    endpoints = getattr(server, "tool_to_endpoint", None)
    if not isinstance(endpoints, dict):
        log.warning("MCP: this Gradio version lists tools differently; the UI's endpoints "
                    "may be listed as tools too")
        return list(endpoints or [])
    prefix = getattr(server, "tool_prefix", "")
    ours = {prefix + name: "/" + API_PREFIX + name for name in TOOLS}
    endpoints.clear()
    endpoints.update(ours)
    return list(ours)


# ---- what the tools return (made where the step ran: a worker process) ----------------------
# One text each: Gradio's MCP server sends a tool's several outputs as the repr of a tuple.
def with_json(markdown: str, data: Any) -> str:
    """Markdown, then `data` as JSON in a fenced block."""
    return (markdown.rstrip() + "\n\n```json\n"
            + json.dumps(data, ensure_ascii=False, default=str) + "\n```\n")


def analysis_texts(result: Analyzed) -> str:
    """An analysis as Markdown, then as JSON."""
    analysis = result.analysis
    return with_json(analysis.to_markdown(), analysis.to_dict())


def profile_summary(result: Profiled) -> str:
    """A profile as Markdown, its warnings after it."""
    text = result.profile.to_markdown()
    if result.warnings:
        text += "\n\nWarnings:\n" + "\n".join(f"- {w}" for w in result.warnings)
    return text


def profile_texts(result: Profiled) -> str:
    """A profile as Markdown, then as JSON (its warnings in both)."""
    data = result.profile.to_dict()
    data.setdefault("warnings", list(result.warnings))
    return with_json(profile_summary(result), data)


def parse_summary(parsed: Parsed | None, final: Final, warnings: list[str], count: int) -> str:
    """What a parse found, in Markdown: the count and format, the coverage, the LLM's part,
    the warnings."""
    lines = []
    if parsed is not None:
        by = "rules, then the LLM" if final.stage == "llm" else "rules"
        lines.append(f"**{count} fields** read from `{parsed.filename}` (format: "
                     f"{parsed.format}; {by}).")
        coverage = parsed.coverage
        if coverage is not None and coverage.share is not None:
            lines.append(f"The fields account for {coverage.summary()}."
                         + (" The rules may have missed fields: use_llm=true has the whole "
                            "document read." if coverage.low and final.stage != "llm" else ""))
    if final.llm is not None:
        usage = final.llm.usage
        lines.append(f"LLM: {final.llm.chunks_done} of {final.llm.chunks_total} chunks; "
                     f"{usage.calls} calls." + (f" Error: {final.llm.error}"
                                                if final.llm.error else ""))
        warnings = warnings + list(final.llm.flagged)
    if final.llm_unavailable:
        lines.append(f"No LLM refinement: {final.llm_unavailable}")
    if warnings:
        lines.append("Warnings:\n" + "\n".join(f"- {w}" for w in dict.fromkeys(warnings)))
    return "\n\n".join(lines)


async def _final_of(events: Any, warnings: list[str] | None = None,
                    parsed: list[Parsed] | None = None) -> Final:
    """A job's Final event (its warnings and Parsed event collected when asked); a failed
    job's error raised."""
    async with contextlib.aclosing(events):
        async for event in events:
            if isinstance(event, Warning) and warnings is not None:
                warnings.append(event.message)
            elif isinstance(event, Parsed) and parsed is not None:
                parsed.append(event)
            elif isinstance(event, Failed):
                raise event.error
            elif isinstance(event, Cancelled):
                raise InputError("The job was cancelled.")
            elif isinstance(event, Final):
                return event
    raise RuntimeError("the job ended without a result")
