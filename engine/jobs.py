"""The engine's one-call functions for scripts (a façade: the jobs themselves, with events and
executors, are engine.pipeline)."""

from __future__ import annotations

from .pipeline.outputs import field_table
from .pipeline.steps import load_schema, parse_file, profile_file
from .report.downloads import pretty_json, safe_stem, write_profile_download, write_schema_downloads

__all__ = ["field_table", "load_schema", "parse_file", "pretty_json", "profile_file",
           "safe_stem", "write_profile_download", "write_schema_downloads"]
