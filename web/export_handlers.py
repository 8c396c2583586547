"""The dictionary's exports (a mixin of web.handlers.Handlers, which gives `cpu`, `downloads`
and `_parsing`): the Dictionary tab's *Export* control and the /export_dictionary endpoint
write the session's dictionary (edits and markers included), or an uploaded one, as another
tool's file (engine.report.exports), in a worker process.

Formats are named as the CLI's `parse --to` names them; SQL takes a dialect (the picker's
values are `sql:duckdb` …, the API's a `dialect` argument or the same `sql:sqlite`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from engine.errors import InputError
from engine.pipeline import file_work
from engine.report.exports import FORMATS, SQL_DIALECTS

from . import steps

DIALECT_TITLES = {"duckdb": "DuckDB", "postgres": "PostgreSQL", "sqlite": "SQLite"}
DEFAULT_EXPORT = "pandera"
NO_DICTIONARY = ("Parse a dictionary first (above, or *Try an example*): the export is of its "
                 "fields, with your edits.")


def export_choices() -> list[tuple[str, str]]:
    """The picker's (title, value) pairs: each export, SQL once per dialect."""
    out = []
    for kind, spec in FORMATS.items():
        if kind == "sql":
            out += [(f"{spec.title} ({DIALECT_TITLES.get(d, d)})", f"sql:{d}")
                    for d in SQL_DIALECTS]
        else:
            out.append((spec.title, kind))
    return out


def export_target(fmt: str | None, dialect: str | None = None) -> tuple[str, str | None]:
    """(kind, dialect) of a format named as `parse --to` names it (`sql`, with `dialect`
    or as `sql:sqlite`); InputError naming the choices otherwise."""
    kind, _, named = (fmt or "").strip().lower().partition(":")
    if kind not in FORMATS:
        raise InputError(f"Unknown export format {fmt!r}: use one of {', '.join(FORMATS)} "
                         f"(sql with a dialect: {', '.join(SQL_DIALECTS)}).")
    if kind != "sql":
        return kind, None
    dialect = (named or (dialect or "").strip().lower() or SQL_DIALECTS[0])
    if dialect not in SQL_DIALECTS:
        raise InputError(f"Unknown SQL dialect {dialect!r}: use one of "
                         f"{', '.join(SQL_DIALECTS)}.")
    return kind, dialect


def export_title(kind: str, dialect: str | None) -> str:
    """How the UI names an export ("SQL CREATE TABLE (SQLite)")."""
    title = FORMATS[kind].title
    return f"{title} ({DIALECT_TITLES.get(dialect, dialect)})" if dialect else title


class ExportHandlers:
    """The export callbacks (see the module's docstring)."""

    cpu: Any
    downloads: Any
    _parsing: Any        # (request) -> whether a parse runs in its session

    async def export_dictionary(self, format: str, dictionary_file: str | None = None,
                                dialect: str | None = None, session: bytes | None = None,
                                meta: dict | None = None) -> str:
        """Write a dictionary for another tool: `format` as `parse --to` names it (pandera,
        pandera-yaml, gx, datapackage, sql, jsonschema, redcap, ddi, spss, stata), `dialect`
        for sql (duckdb, postgres, sqlite); the uploaded `dictionary_file` (read by the
        rules), else the dictionary parsed in this session.  Output: the file."""
        kind, dialect = export_target(format, dialect)
        if dictionary_file:
            return await self._export(dictionary_file, kind, dialect,
                                      Path(dictionary_file).name)
        if not session:
            raise gr.Error("No dictionary to export: upload one (dictionary_file), or parse "
                           "one in this session first (/parse_dictionary).",
                           print_exception=False)
        return await self._export(session, kind, dialect, (meta or {}).get("filename")
                                  or "dictionary")

    async def export_ui(self, choice: str | None, session: bytes | None,
                        meta: dict | None, request: gr.Request = None) -> dict[str, Any]:
        """The Dictionary tab's *Export*: the session's dictionary as the picked file."""
        hidden = gr.update(value=None, visible=False)
        if not session or not meta:
            return {"export_status": NO_DICTIONARY, "export_file": hidden}
        if self._parsing(request):
            return {"export_status": "A parse is running: export its result when it has "
                                     "finished.", "export_file": hidden}
        kind, dialect = export_target(choice or DEFAULT_EXPORT)
        path = await self._export(session, kind, dialect, meta["filename"])
        edited = " (with your edits)" if meta.get("edited") else ""
        return {"export_status": f"✓ {export_title(kind, dialect)} of the "
                                 f"{meta.get('fields', 0):,} fields of "
                                 f"`{meta['filename']}`{edited}: `{Path(path).name}`.",
                "export_file": gr.update(value=path, visible=True)}

    async def _export(self, source: bytes | str, kind: str, dialect: str | None,
                      filename: str) -> str:
        """The export written in a worker (a dictionary file parsed there first)."""
        work = file_work(source) if isinstance(source, str) else None
        return await self.cpu.run(steps.export_dictionary, source, kind, dialect, filename,
                                  str(self.downloads.new()),
                                  size=work.size if work else len(source) * 10,
                                  heavy=work is not None and work.heavy)
