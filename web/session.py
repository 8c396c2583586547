"""What Gradio sends and keeps, adapted: a session's parsed dictionary (its compact Table Schema
in a gr.State: a few KB, which Gradio does not walk for files on every update), the mapping a
user or an API client types, JSON values made plain for widgets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from engine.model import Schema
from engine.pipeline.outputs import descriptor_text, schema_from_compact


def json_safe(obj: Any) -> Any:
    """Round-trip through JSON so widgets get plain types."""
    return json.loads(json.dumps(obj, default=str))


def mapping_from_input(value: Any) -> Any:
    """A column-to-field mapping from what a UI or API sends: JSON text, a dict, a table of
    [column, field, ...] rows (a DataFrame or Gradio's {"headers", "data"}), or nothing."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if hasattr(value, "values") and hasattr(value, "columns"):   # pandas DataFrame
        rows = value.values.tolist()
    elif isinstance(value, dict) and "data" in value:
        rows = value["data"]
    else:
        return value
    pairs = [[str(r[0]), "" if r[1] is None else str(r[1])] for r in rows if r and r[0]]
    return pairs or None


def schema_of_session(saved: bytes | None) -> Schema | None:
    """The session's parsed dictionary, or None (the State holds SchemaOutputs.compact)."""
    return schema_from_compact(saved) if saved else None


def session_dictionary(saved: bytes | None, outdir: Path) -> Path | None:
    """Write the session's parsed dictionary (a Table Schema) to a file an analysis reads."""
    if not saved:
        return None
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / "session-dictionary.schema.json"
    path.write_bytes(descriptor_text(saved))
    return path
