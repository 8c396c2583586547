"""Rule-based dictionary parsing: detect the format, run the matching parsers, stream the fields.

Each parser module declares `PARSERS: list[ParserSpec]`.  A spec names the file extensions it
handles, a cheap `sniff(ctx)` on the content and a `parse(ctx)` generator of `Field`s.

The candidate specs are tried in priority order, each on a context of its own that shares the
extracted document (nothing is extracted twice).  Two kinds of spec (`ParserSpec.competes`):

- exclusive (the default): a format told by its content (Table Schema, DDI, ODM, REDCap, SPSS,
  Stata, SAS ...).  Tried before any reading has been found, the first that yields a field wins.
- competing: a generic reader of documents that several parsers can read (tables, prose,
  key-value blocks, definition lists).  Once one has found a reading, every later candidate
  reads the document too, and the reading that explains it best wins (`quality.py`: coverage
  of the document, name-like distinct names, consistent entries); a later reading must beat an
  earlier one by a clear margin, so priority still breaks near-ties.  A reading that accounts
  for nearly all of the document's words ends the search.

A parser that finds its format is not there raises `NotThisFormat` (or yields nothing) and the
next candidate is tried.  Any other `InputError` (encrypted, no text layer) stops the search
while no reading has been found: it is the answer the user needs.  Every result carries its
`coverage` (`coverage.py`): how much of the document the fields account for.
"""

from __future__ import annotations

import importlib
import time
from collections import Counter
from dataclasses import MISSING, dataclass, field as dc_field, fields as dc_fields, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..errors import InputError, NoFieldsFound, UnsupportedFormat
from ..formats.compressed import unwrapped
from ..guard import check_dictionary_file
from ..model import Field, Schema, merge_duplicates
from ..textio import MIXED, decode, mixed_warning
from .coverage import Coverage, Recognised, measure
from .doclines import SourceLines, source_lines
from .enrich import enrich
from .quality import reading_score

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
    # parts of the document the parser recognised as no field (coverage counts them read)
    recognised: list[Recognised] = dc_field(default_factory=list)
    # the sheets of a workbook the fields came from (empty: not known, or not a workbook)
    sheets_read: list[str] = dc_field(default_factory=list)

    @property
    def ext(self) -> str:
        return Path(self.filename).suffix.lower()

    @cached_property
    def data(self) -> bytes:
        return self.path.read_bytes()

    @cached_property
    def decoded(self) -> tuple[str, str]:
        """The file decoded as text, and the encoding found (see textio.decode)."""
        return decode(self.data)

    @cached_property
    def text(self) -> str:
        """The file decoded as text (for text formats)."""
        return self.decoded[0]

    @cached_property
    def head(self) -> str:
        """The first 64 KiB decoded, for sniffing."""
        return decode(self.data[:65536])[0]

    @cached_property
    def document(self):
        """Text blocks and tables extracted from PDF/DOCX/HTML/XLSX/CSV/Markdown (engine.formats)."""
        from ..formats import load_document

        return load_document(self.path, self.filename, sheet=self.sheet)

    def input_warnings(self) -> list[str]:
        """What reading the file's bytes noticed (a mix of encodings): whichever fork read them,
        the winning reading's context shares what was read."""
        out = list(self.document.warnings) if "document" in self.__dict__ else []
        if "decoded" in self.__dict__ and self.decoded[1] == MIXED:
            out.append(mixed_warning(self.filename))
        return out

    @cached_property
    def coverage_source(self) -> SourceLines | None:
        """The document as lines, for measuring coverage (None for a binary file, or when
        the text cannot be had: coverage never fails a parse)."""
        try:
            return source_lines(self)
        except InputError:
            return None

    def recognise(self, what: str, text: str) -> None:
        """Record text read as no field (a descriptive item, a table's title, a legend)."""
        if text.strip():
            self.recognised.append(Recognised(what, text))

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def declare_missing(self, values: list[str]) -> None:
        """Special values the document says mean missing data, for every field: added to the
        schema's missing values (the empty cell first), with a warning that says so."""
        self.missing_values = list(dict.fromkeys([*(self.missing_values or [""]), *values]))
        shown = ", ".join(dict.fromkeys(v or "(empty)" for v in values))
        self.warn(f"The dictionary defines special values that mean missing data ({shown}); "
                  "they were set as the schema's missing values.")

    def fork(self) -> "ParseContext":
        """A context for one candidate reading: the same file and extractions (cached
        properties, shared), its own warnings, schema settings and progress."""
        fresh = {f.name: f.default_factory() for f in dc_fields(self)
                 if f.default_factory is not MISSING}
        child = replace(self, **fresh, missing_values=None, progress=None)
        child.__dict__.update(self._cached())
        return child

    def adopt(self, other: "ParseContext") -> None:
        """Keep what `other` (a fork) extracted, for the next fork."""
        self.__dict__.update(other._cached())

    def _cached(self) -> dict[str, Any]:
        names = {k for cls in type(self).__mro__ for k, v in vars(cls).items()
                 if isinstance(v, cached_property)}
        return {k: v for k, v in self.__dict__.items() if k in names}


@dataclass(frozen=True)
class ParserSpec:
    """One dictionary format the rules understand."""

    format: str                                   # e.g. "redcap-csv", "uci-names"
    extensions: tuple[str, ...]                   # lower-case with dot; "*" for any
    parse: Callable[[ParseContext], Iterable[Field]]
    sniff: Callable[[ParseContext], bool] = lambda ctx: True
    priority: int = 50                            # lower is tried first
    competes: bool = False                        # a generic reader: the best reading wins


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
    coverage: Coverage = dc_field(default_factory=lambda: Coverage(share=None))
    sheets: list[str] = dc_field(default_factory=list)   # of a workbook, those the fields are in


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
    t0 = time.perf_counter()
    with unwrapped(path, filename) as (inner, name):     # a compressed file: the one inside
        yield from _parse(inner, name, sheet, batch_seconds, t0)


def _parse(path: Path, filename: str, sheet: str | None, batch_seconds: float,
           t0: float) -> Iterator[ParseUpdate]:
    """iter_parse on a file that is not compressed."""
    if path.stat().st_size == 0:
        raise InputError(f"{filename} is empty: upload a file with the dictionary's contents.")
    check_dictionary_file(path, filename)   # bounds before bytes: see engine.guard
    ctx = ParseContext(path=path, filename=filename, sheet=sheet)
    specs = candidates(ctx)
    if not specs:
        raise UnsupportedFormat(unsupported_message(filename, ctx.ext))
    best: _Reading | None = None
    clock = [time.perf_counter()]
    for spec in specs:
        if best is not None and (best.score >= 1 - _MARGIN or best.share >= _EXPLAINS_ALL):
            break                       # no later reading could explain the document better
        try:
            reading = yield from _read(ctx, spec, clock, batch_seconds,
                                       len(best.fields) if best else 0)
        except InputError:
            if best is None:
                raise
            continue                    # a reading was found: this one's failure is not news
        if reading is None:
            continue
        if best is None and not spec.competes:
            yield _finish(reading.ctx, spec, reading.fields, t0)
            return
        coverage = measure(ctx.coverage_source, reading.fields)
        reading.score = reading_score(reading.fields, coverage)
        reading.share = 1.0 if coverage.share is None else coverage.share
        if best is None or _better(reading, best):
            best = reading
    if best is not None:
        best.ctx.adopt(ctx)
        yield _finish(best.ctx, best.spec, best.fields, t0)
        return
    raise NoFieldsFound(
        f"No field definitions could be recognised in {filename}. Expected a table with a "
        "variable/name column, 'NAME: description' lines, or a machine-readable codebook "
        "(Table Schema, DDI, SPSS, Stata, REDCap). Check that this is the data dictionary, "
        "not the data, or try 'Refine with LLM' (`--llm`), which reads the whole document.")


# a later competing reading must score this much more than an earlier one to replace it
_MARGIN = 0.05
# a reading that accounts for this share of the document's words leaves no other one a chance
_EXPLAINS_ALL = 0.95
# of a finer reading's names, the share that must differ for it to split a coarser one
_DISTINCT_SHARE = 0.8


def _better(new: _Reading, best: _Reading) -> bool:
    """Whether `new` explains the document better than `best`.  A reading whose names are the
    section headings of the other's fields read those sections as fields (a heading over a
    table of variables): the finer reading wins whatever the scores."""
    if _names_sections_of(new.fields, best.fields):
        return False
    if _names_sections_of(best.fields, new.fields):
        return True
    return new.score > best.score + _MARGIN


def _names_sections_of(coarse: list[Field], fine: list[Field]) -> bool:
    """Most of `coarse`'s names are sections holding several of `fine`'s fields, and `fine`'s
    names are distinct (the same few names in every section are keys: `Label`, `Type` of a
    table of properties under each variable's heading)."""
    if len(fine) <= len(coarse):
        return False
    if len({f.name.strip().casefold() for f in fine}) < _DISTINCT_SHARE * len(fine):
        return False
    sections = Counter(str(f.extras.get("section") or "").strip().casefold() for f in fine)
    sections.pop("", None)
    names = {f.name.strip().casefold() for f in coarse}
    held = sum(1 for n in names if sections.get(n, 0) >= 2)
    return held >= max(2, 0.5 * len(names))


@dataclass
class _Reading:
    """One candidate's reading of the document."""

    spec: ParserSpec
    ctx: ParseContext
    fields: list[Field]
    score: float = 0.0
    share: float = 0.0                  # of the document's words its fields account for


def _read(ctx: ParseContext, spec: ParserSpec, clock: list[float], batch_seconds: float,
          shown: int) -> Iterator[ParseUpdate]:
    """Run one spec on a fork of `ctx`, streaming its fields once there are more than `shown`
    (the best reading so far); return its reading, or None when it found nothing."""
    fork = ctx.fork()
    fields: list[Field] = []
    try:
        for f in spec.parse(fork):
            fields.append(f)
            now = time.perf_counter()
            if now - clock[0] >= batch_seconds and len(fields) > shown:
                clock[0] = now
                yield ParseUpdate(list(fields), spec.format, progress=fork.progress)
    except NotThisFormat:
        if fields:
            raise
        return None
    finally:
        ctx.adopt(fork)
    return _Reading(spec, fork, fields) if fields else None


def unsupported_message(filename: str, ext: str) -> str:
    """What to say about a file type no parser accepts: the types that are accepted."""
    exts = sorted({e for s in _specs() for e in s.extensions if e != "*"})
    return (f"{filename}: files of type '{ext or 'no extension'}' are not supported as a "
            "dictionary. Use a table (CSV, TSV, Excel, Word, HTML, PDF, Markdown), a text "
            "codebook, or a machine-readable one (Table Schema JSON/YAML, FHIR Questionnaire, "
            "DDI, REDCap or ODM XML, SPSS, Stata, SAS, CSPro, R documentation). Accepted file "
            "types: " + " ".join(exts) + ".")


def _finish(ctx: ParseContext, spec: ParserSpec, fields: list[Field], t0: float) -> ParseUpdate:
    for w in ctx.input_warnings():
        ctx.warn(w)
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
    coverage = measure(ctx.coverage_source, merged_fields, ctx.recognised)
    result = ParseResult(schema, spec.format, ctx.warnings, time.perf_counter() - t0, coverage,
                         list(ctx.sheets_read))
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
