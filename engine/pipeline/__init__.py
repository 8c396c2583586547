"""One pipeline for every front end: parse (rules, then an LLM), profile and analyze as jobs
that yield typed events (`events`) and run their CPU-bound steps on an executor (`executor`:
the app's worker pool, or in place for the CLI and tests).

    from engine.pipeline import InlineExecutor, parse_job, run_job
    final = run_job(parse_job("codebook.pdf", executor=InlineExecutor()))
    final.schema()

Modules: `events` (what a job tells), `executor` (where steps run), `parse` (the parse job),
`refine` (its LLM stage), `datasets` (profile and analysis jobs), `steps` (the picklable
steps), `outputs` (tables, descriptors, downloads, compact form), `streams` (async plumbing).
"""

from . import events
from .datasets import analyze_job, profile_job
from .events import (Cancelled, Checked, ChunkDone, DownloadWritten, Event, Failed, Final, Parsed,
                     PartialFields, Started, Warning)
from .executor import Executor, InlineExecutor, run_job
from .outputs import FieldChanges, SchemaOutputs
from .parse import QUICK_PARSE_BYTES, FileWork, file_work, is_quick, parse_job

__all__ = ["Cancelled", "Checked", "ChunkDone", "DownloadWritten", "Event", "Executor", "Failed", "FieldChanges", "Final",
           "FileWork", "InlineExecutor", "Parsed", "PartialFields", "QUICK_PARSE_BYTES", "SchemaOutputs",
           "Started", "Warning", "analyze_job", "events", "file_work", "is_quick",
           "parse_job", "profile_job", "run_job"]
