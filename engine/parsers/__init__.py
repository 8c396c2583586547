"""Rule-based dictionary parsing: detect the format, run the matching parser, stream its fields.

Each parser module declares `PARSERS: list[ParserSpec]`.  A spec names the file extensions it
handles, a cheap `sniff(ctx)` on the content and a `parse(ctx)` generator of `Field`s.  The
dispatcher tries the candidate specs in priority order; the first one that yields a field wins.
A parser that finds its format is not there raises `NotThisFormat` (or yields nothing) and the
next candidate is tried.  Any other `InputError` (encrypted, no text layer) stops the search:
it is the answer the user needs.
"""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass, field as dc_field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..errors import InputError, NoFieldsFound, UnsupportedFormat
from ..guard import check_dictionary_file
from ..model import Field, Schema, merge_duplicates
from ..textio import MIXED, decode, mixed_warning
from .enrich import enrich

# Modules that hold PARSERS lists, in no particular order (priority decides).
_PARSER_MODULES = ("machine", "statfile", "redcap", "uci", "tabular", "text")


class NotThisFormat(Exception):
    """Raised by a parser that sees its format is not the one in the file."""


@dataclass
class ParseContext:
    """Everything a parser may look at, computed lazily and once."""

    path: Path
    filename: str
    sheet: str | None = None
    warnings: list[str] = dc_field(default_factory=list)
    schema_extras: dict[str, Any] = dc_field(default_factory=dict)
    missing_values: list[str] | None = None
    # pages (or other units) done / total, for progress while a long document is parsed
    progress: tuple[int, int] | None = None

    @property
    def ext(self) -> str:
        return Path(self.filename).suffix.lower()

    @cached_property
    def data(self) -> bytes:
        return self.path.read_bytes()

    @cached_property
    def text(self) -> str:
        """The file decoded as text (for text formats)."""
        text, encoding = decode(self.data)
        if encoding == MIXED:
            self.warn(mixed_warning(self.filename))
        return text

    @cached_property
    def head(self) -> str:
        """The first 64 KiB decoded, for sniffing."""
        return decode(self.data[:65536])[0]

    @cached_property
    def document(self):
        """Text blocks and tables extracted from PDF/DOCX/HTML/XLSX/CSV/Markdown (engine.documents)."""
        from ..documents import load_document

        doc = load_document(self.path, self.filename, sheet=self.sheet)
        for w in doc.warnings:
            self.warn(w)
        return doc

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


@dataclass(frozen=True)
class ParserSpec:
    """One dictionary format the rules understand."""

    format: str                                   # e.g. "redcap-csv", "uci-names"
    extensions: tuple[str, ...]                   # lower-case with dot; "*" for any
    parse: Callable[[ParseContext], Iterable[Field]]
    sniff: Callable[[ParseContext], bool] = lambda ctx: True
    priority: int = 50                            # lower is tried first


@dataclass
class ParseUpdate:
    """A step of a streaming parse: the fields so far and whether this is the final result."""

    fields: list[Field]
    format: str
    done: bool = False
    progress: tuple[int, int] | None = None
    result: "ParseResult | None" = None


@dataclass
class ParseResult:
    """A finished parse: the schema, the format detected, and warnings for the user."""

    schema: Schema
    format: str
    warnings: list[str] = dc_field(default_factory=list)
    seconds: float = 0.0


def _specs() -> list[ParserSpec]:
    specs: list[ParserSpec] = []
    for mod in _PARSER_MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{mod}")
        except ModuleNotFoundError as exc:  # a parser module not written yet
            if exc.name == f"{__name__}.{mod}":
                continue
            raise
        specs.extend(getattr(module, "PARSERS", []))
    return sorted(specs, key=lambda s: s.priority)


def candidates(ctx: ParseContext) -> list[ParserSpec]:
    """Specs for this file's extension (then the catch-alls) whose sniff accepts it."""
    specs = [s for s in _specs() if ctx.ext in s.extensions or "*" in s.extensions]
    return [s for s in specs if s.sniff(ctx)]


def iter_parse(path: str | Path, filename: str | None = None, *, sheet: str | None = None,
               batch_seconds: float = 0.25) -> Iterator[ParseUpdate]:
    """Parse a dictionary file, yielding the fields found so far at most every `batch_seconds`.

    The last update has `done=True` and carries the `ParseResult`.  Raises `InputError`
    subclasses with user-facing messages.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"File not found: {path}")
    filename = filename or path.name
    if path.stat().st_size == 0:
        raise InputError(f"{filename} is empty: upload a file with the dictionary's contents.")
    t0 = time.perf_counter()
    check_dictionary_file(path, filename)   # bounds before bytes: see engine.guard
    ctx = ParseContext(path=path, filename=filename, sheet=sheet)
    specs = candidates(ctx)
    if not specs:
        raise UnsupportedFormat(
            f"{filename}: files of type '{ctx.ext or 'no extension'}' are not supported as a "
            "dictionary. Use CSV, TSV, XLSX, TXT, Markdown, HTML, PDF, DOCX, JSON/YAML Table "
            "Schema, FHIR Questionnaire JSON, DDI or REDCap/ODM XML, SPSS .sps, Stata .dct, "
            "UCI .names, .sav or .dta.")
    for spec in specs:
        fields: list[Field] = []
        last = time.perf_counter()
        try:
            for f in spec.parse(ctx):
                fields.append(f)
                now = time.perf_counter()
                if now - last >= batch_seconds:
                    last = now
                    yield ParseUpdate(list(fields), spec.format, progress=ctx.progress)
        except NotThisFormat:
            if fields:
                raise
            continue
        if fields:
            yield _finish(ctx, spec, fields, t0)
            return
    raise NoFieldsFound(
        f"No field definitions could be recognised in {filename}. Expected a table with a "
        "variable/name column, 'NAME: description' lines, or a machine-readable codebook "
        "(Table Schema, DDI, SPSS, Stata, REDCap). Check that this is the data dictionary, "
        "not the data, or try 'Refine with LLM'.")


def _finish(ctx: ParseContext, spec: ParserSpec, fields: list[Field], t0: float) -> ParseUpdate:
    merged_fields, merged = merge_duplicates(fields)
    merged_fields = enrich(merged_fields, ctx.warn)  # codes, missing, range, unit from the text
    if merged:
        shown = ", ".join(merged[:10]) + (" …" if len(merged) > 10 else "")
        ctx.warn(f"{len(merged)} names are defined more than once; their definitions were "
                 f"merged: {shown}")
    for f in merged_fields:
        f.extras.setdefault("origin", {"parser": "rules", "format": spec.format})
    schema = Schema(fields=merged_fields, missing_values=ctx.missing_values,
                    extras=dict(ctx.schema_extras))
    result = ParseResult(schema, spec.format, ctx.warnings, time.perf_counter() - t0)
    return ParseUpdate(merged_fields, spec.format, done=True, progress=ctx.progress,
                       result=result)


def parse_dictionary(path: str | Path, filename: str | None = None, *,
                     sheet: str | None = None) -> ParseResult:
    """Parse a dictionary file completely (no streaming)."""
    for update in iter_parse(path, filename, sheet=sheet):
        if update.done:
            assert update.result is not None
            return update.result
    raise AssertionError("iter_parse ended without a result")  # pragma: no cover
