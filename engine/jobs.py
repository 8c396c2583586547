"""The engine's front door: the calls app.py and the CLI make, and the files they offer.

Each function takes paths and plain values and returns plain results, so the UI adapter and the
CLI stay thin.  Downloads are written into a directory the caller owns (one per request).
"""

from __future__ import annotations

import json
import re
import shutil
import time
import zlib
from dataclasses import dataclass, field as dc_field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

import orjson

from .errors import NoFieldsFound
from .model import FIELD_ROW_COLUMNS, PackedSchema, Schema, share_cells, table_rows
from .parsers import ParseResult, ParseUpdate, iter_parse, parse_dictionary
from .parsers.coverage import Coverage

if TYPE_CHECKING:
    from .llm.merge import MergedSchema


@dataclass
class ParseView:
    """One step of a dictionary parse as the UI and API show it."""

    schema: Schema | None        # None in an LLM job's ParseStart (there, it is packed)
    format: str
    done: bool
    status: str
    progress: tuple[int, int] | None = None
    warnings: list[str] = dc_field(default_factory=list)
    coverage: dict | None = None     # Coverage.to_dict() of a finished parse

    def table(self) -> list[list[str]]:
        return field_table(self.schema)


def field_table(schema: Schema) -> list[list[str]]:
    """The fields as rows for a table widget (columns: FIELD_ROW_COLUMNS), equal cells one
    string object (see `share_cells`: a worker's table keeps the sharing on its way here)."""
    return share_cells(table_rows(schema.fields))


def safe_stem(filename: str) -> str:
    """A filesystem-safe stem for download names ('My dict (v2).xlsx' -> 'My_dict_v2')."""
    stem = Path(filename).stem
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") or "dictionary"
    return stem[:80]


def parse_file(path: str | Path, filename: str | None = None, *,
               sheet: str | None = None) -> ParseResult:
    """Parse a dictionary completely by rules."""
    return parse_dictionary(path, filename, sheet=sheet)


def iter_parse_views(path: str | Path, filename: str | None = None, *,
                     sheet: str | None = None, llm_job: bool = False) -> Iterator[ParseView]:
    """Stream a rule-based parse as views: partial field lists, then the final result.  In an
    LLM job (`llm_job`) a document the rules find no field in ends with an empty result (the
    LLM reads the whole document) instead of NoFieldsFound."""
    name = filename or Path(path).name
    try:
        yield from _parse_views(path, name, sheet)
    except NoFieldsFound:
        if not llm_job:
            raise
        status = (f"The rules recognised no field in `{name}`; the LLM reads the whole "
                  "document.")
        yield ParseView(Schema(), "none", True, status)


def _parse_views(path: str | Path, name: str, sheet: str | None) -> Iterator[ParseView]:
    update: ParseUpdate
    for update in iter_parse(path, name, sheet=sheet, batch_seconds=0.2):
        schema = update.result.schema if update.result else Schema(fields=update.fields)
        if update.done and update.result is not None:
            r = update.result
            status = (f"**{len(schema.fields)} fields** read from `{name}` "
                      f"({_format_label(r.format)}, rules, {r.seconds:.2f} s)"
                      + coverage_status(r.coverage))
            yield ParseView(schema, r.format, True, status, update.progress, list(r.warnings),
                            r.coverage.to_dict())
        else:
            where = (f" (page {update.progress[0]} of {update.progress[1]})"
                     if update.progress else "")
            status = f"Reading `{name}`{where}: {len(schema.fields)} fields so far…"
            yield ParseView(schema, update.format, False, status, update.progress)


def coverage_status(cov: Coverage) -> str:
    """The end of a finished parse's status line: how much of the document the fields
    account for; when it is little, where and what to do."""
    if cov.share is None:
        return "."
    if not cov.low:
        return f"; they account for {cov.summary()}."
    where = cov.where_unread()
    return (f" — **they account for only {cov.summary()}**" + (f": {where}" if where else "")
            + ". The rules may have missed fields: tick *Refine with LLM* to have the whole "
            "document read.")


def final_parse_view(path: str | Path, filename: str | None = None, *,
                     llm_job: bool = False) -> ParseView:
    """The finished rule-based parse as a view, in one picklable call (the app runs it in a
    worker process for files that parse in well under a second)."""
    view = None
    for view in iter_parse_views(path, filename, llm_job=llm_job):
        pass
    assert view is not None and view.done
    return view


@dataclass
class ParseStart:
    """A finished rule-based parse with what the UI shows of it: everything CPU-bound about
    its first result, made in one picklable call (the app runs it in a worker process: one
    hand-over per parse, and the serving process only sends).  An LLM job's chunking is a
    separate step, queued behind every parse still waiting (under a burst of jobs, doing both
    in one call made every user wait for the others' chunking before seeing the rules)."""

    view: ParseView                              # its schema None when `rules` holds it
    table: list[list[str]]
    descriptor: dict | None                      # None for an LLM job
    saved: bytes                                 # session_schema(descriptor)
    rules: PackedSchema | None = None            # an LLM job's schema, packed


def start_parse(path: str | Path, filename: str | None = None, *, llm_job: bool = False
                ) -> ParseStart:
    """`final_parse_view`, with the view's table, session form and descriptor.  For the first
    result of an LLM job (`llm_job`) there is no descriptor (the job shows none until its
    end, and sending one back from a worker is some 1,500 objects to hold), and the schema
    comes back packed, in `rules`, instead of in the view: the job holds it packed for its
    length, and packing it in the serving process was a share of that process's work when a
    hundred users started jobs at once."""
    view = final_parse_view(path, filename, llm_job=llm_job)
    table, desc, _, saved = schema_outputs(view.schema, filename or Path(path).name, None)
    if not llm_job:
        return ParseStart(view, table, desc, saved)
    rules = PackedSchema.of(view.schema)
    view.schema = None
    return ParseStart(view, table, None, saved, rules)


def write_schema_downloads(schema: Schema, filename: str, outdir: Path, *,
                           descriptor: dict | None = None) -> tuple[Path, Path]:
    """Write the Table Schema JSON and the fields CSV; return their paths.  `descriptor`:
    the schema's descriptor when the caller has it already."""
    outdir.mkdir(parents=True, exist_ok=True)
    stem = safe_stem(filename)
    json_path = outdir / f"{stem}.schema.json"
    csv_path = outdir / f"{stem}.fields.csv"
    descriptor = schema.to_descriptor() if descriptor is None else descriptor
    json_path.write_bytes(pretty_json(descriptor))
    csv_path.write_text(schema.to_csv(), encoding="utf-8")
    return json_path, csv_path


def pretty_json(obj: Any) -> bytes:
    """`obj` as indented UTF-8 JSON, as json.dumps(obj, indent=2, ensure_ascii=False) writes
    it, ~50x faster (with an indent the standard library encodes in Python: 2 ms for an
    82-field Table Schema, the largest part of finishing an LLM job)."""
    try:
        return orjson.dumps(obj, option=orjson.OPT_INDENT_2)
    except (TypeError, orjson.JSONEncodeError):   # e.g. a key that is not a string
        return json.dumps(obj, indent=2, ensure_ascii=False).encode("utf-8")


def as_schema(schema: Schema | PackedSchema | MergedSchema) -> Schema:
    """A Schema, from itself or a packed form of it (a PackedSchema, an LLM job's merge)."""
    if isinstance(schema, Schema):
        return schema
    if isinstance(schema, PackedSchema):
        return schema.unpack()
    return schema.schema()


def packed_size(schema: Schema | PackedSchema | MergedSchema) -> int:
    """About how many bytes the schema's fields are (orders the CPU workers' queue)."""
    if isinstance(schema, Schema):
        return len(schema.fields) * 100
    if isinstance(schema, PackedSchema):
        return len(schema.data)
    return sum(map(len, schema.parts))


def schema_outputs(schema: Schema | PackedSchema | MergedSchema, filename: str,
                   outdir: str | None
                   ) -> tuple[list[list[str]], dict, tuple[str | None, str | None], bytes]:
    """What a parsed schema (or a packed form of it) is shown and kept as: its fields table,
    Table Schema descriptor, downloads (written under `outdir`; none without one) and
    session form, in one step (for a worker process)."""
    schema = as_schema(schema)
    descriptor = schema.to_descriptor()
    paths: tuple[str | None, str | None] = (None, None)
    if outdir is not None:
        json_path, csv_path = write_schema_downloads(schema, filename, Path(outdir),
                                                     descriptor=descriptor)
        paths = (str(json_path), str(csv_path))
    return field_table(schema), descriptor, paths, session_schema(descriptor)


def load_schema(dictionary: str | Path | Schema | None, *, sheet: str | None = None
                ) -> Schema | None:
    """A Schema from a Schema, a dictionary file of any supported format, or None."""
    if dictionary is None or isinstance(dictionary, Schema):
        return dictionary
    return parse_dictionary(dictionary).schema


def profile_file(path: str | Path, filename: str | None = None, *, sheet: str | None = None,
                 dictionary: str | Path | Schema | None = None):
    """Read and profile a dataset; returns (Profile, warnings)."""
    from .profile import profile_dataset
    from .readers import read_dataset

    schema = load_schema(dictionary)
    ds = read_dataset(path, filename, sheet=sheet, schema=schema)
    prof = profile_dataset(ds)
    return prof, list(ds.warnings)


@dataclass
class ProfileView:
    """A finished profile as the UI and API show it, made in one picklable call (the app runs
    it in a worker process: the serving process only sends it)."""

    status: str             # Markdown: the summary, then the warnings
    table: Any              # the columns table (pandas DataFrame, COLUMN_TABLE)
    data: dict              # the profile as JSON-safe values
    download: str           # path of the profile JSON written into `outdir`
    warnings: list[str]


def profile_view(path: str | Path, filename: str | None, sheet: str | None,
                 session: bytes | None, outdir: str | Path) -> ProfileView:
    """Profile a dataset (with the session's parsed dictionary, when there is one) and write
    its JSON download into `outdir`."""
    name = filename or Path(path).name
    prof, warnings = profile_file(path, name, sheet=sheet, dictionary=schema_of_session(session))
    out = write_profile_download(prof, name, Path(outdir))
    status = prof.summary_markdown() + ("\n\n" + describe_warnings(warnings) if warnings else "")
    return ProfileView(status, prof.column_rows(), json_safe(prof.to_dict()), str(out), warnings)


def write_profile_download(profile, filename: str, outdir: Path) -> Path:
    """Write the profile JSON; return its path."""
    outdir.mkdir(parents=True, exist_ok=True)
    out = outdir / f"{safe_stem(filename)}.profile.json"
    out.write_text(json.dumps(profile.to_dict(), indent=2, ensure_ascii=False, default=str),
                   encoding="utf-8")
    return out


def sweep(root: Path, max_age_s: float, *, files: bool = False,
          keep: Path | None = None) -> None:
    """Delete per-request output directories under `root` older than `max_age_s` (and, with
    `files`, plain files too), except `keep`."""
    if not root.is_dir():
        return
    cutoff = time.time() - max_age_s
    for d in root.iterdir():
        if d == keep:
            continue
        try:
            if d.stat().st_mtime >= cutoff:
                continue
            if d.is_dir():
                shutil.rmtree(d, ignore_errors=True)
            elif files:
                d.unlink()
        except FileNotFoundError:  # another request swept it first
            pass


def refine_file_cli(path: str | Path, *, sheet: str | None = None,
                    log: Callable[[str], None] = print, settings=None) -> ParseResult:
    """Parse with rules, then refine with the configured LLM (CLI; progress through `log`)."""
    import asyncio
    import uuid

    from .errors import ConfigError
    from .llm import NO_PROVIDER_MESSAGE, LLMService, dictionary_text, refine_all
    from .settings import Settings

    settings = settings or Settings.from_env()
    service = LLMService.from_settings(settings)
    if service is None:
        raise ConfigError(NO_PROVIDER_MESSAGE)
    try:
        rules = parse_dictionary(path, sheet=sheet)
    except NoFieldsFound:       # the LLM reads the whole document
        rules = ParseResult(Schema(), "none")
    log(f"rules: {len(rules.schema.fields)} fields ({rules.format}); LLM: {service.describe()}")
    text = dictionary_text(path, Path(path).name, sheet=sheet)

    async def run():
        try:
            return await refine_all(service, text, rules.schema, job_id=uuid.uuid4().hex,
                                    filename=Path(path).name,
                                    on_update=lambda u: log(u.status()))
        finally:
            await service.aclose()

    final = asyncio.run(run())
    if final.error:
        log(f"warning: {final.error}")
    warnings = list(rules.warnings) + list(final.flagged)
    return ParseResult(final.schema, rules.format, warnings, final.usage.elapsed)


_FORMAT_LABELS = {
    "table": "table", "text": "free text", "redcap-csv": "REDCap data dictionary",
    "redcap-pdf": "REDCap PDF", "uci-names": "UCI .names", "table-schema": "Table Schema",
    "ddi": "DDI XML", "spss-syntax": "SPSS syntax", "stata-dct": "Stata dictionary",
    "fhir-questionnaire": "FHIR Questionnaire", "odm-xml": "CDISC ODM / REDCap XML",
    "spss-sav": "SPSS .sav", "stata-dta": "Stata .dta", "sas": "SAS file",
}


def _format_label(fmt: str) -> str:
    return _FORMAT_LABELS.get(fmt, fmt)


def describe_warnings(warnings: list[str]) -> str:
    """Warnings as a Markdown bullet list (empty when none)."""
    return "\n".join(f"- {w}" for w in warnings)


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


def session_schema(descriptor: dict) -> bytes:
    """A parsed dictionary as a session keeps it: its Table Schema as compressed JSON.  A
    session's state stays in memory for up to an hour after it closes (up to CODEBOOK_SESSIONS
    sessions); so kept it takes a few KB (1.4 KB for the load benchmark's 82 fields: 25 KB as
    JSON text, 150 KB as a dict), and Gradio does not walk it for files on every update."""
    text = json.dumps(descriptor, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"), 6)


def schema_of_session(saved: bytes | None) -> Schema | None:
    """The session's parsed dictionary (see session_schema), or None."""
    return Schema.from_descriptor(json.loads(zlib.decompress(saved))) if saved else None


def session_dictionary(saved: bytes | None, outdir: Path) -> Path | None:
    """Write the session's parsed dictionary (a Table Schema) to a file analyze can read."""
    if not saved:
        return None
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / "session-dictionary.schema.json"
    path.write_bytes(zlib.decompress(saved))   # the JSON text itself (UTF-8)
    return path


def warm_up() -> None:
    """Import the parsers and readers and run a tiny parse, so the first user doesn't wait
    for imports (about a second here)."""
    import tempfile

    from . import analyze, profile, readers  # noqa: F401 - imported for their side effect
    from .documents import pdf  # noqa: F401
    from .parsers import candidates, ParseContext

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "warm.txt"
        path.write_text("age: age in years\nsex: sex (1 = male; 0 = female)\n")
        candidates(ParseContext(path=path, filename=path.name))
        parse_dictionary(path)


# Full collections: at most one per this many young-generation (gen 1) collections, instead of
# CPython's 10.  Under bench/load.py (100 LLM jobs at once) each full collection walked the ~400k
# objects the jobs keep (their schemas above all), stalled the serving thread for 70-200 ms (the
# longest stalls of the event loop in the whole run, eight of them in 42 s) and found next to
# nothing to free (0-120 objects: the app's garbage is freed by reference counting or dies
# young).  With 100 there was still one in every such wave, a light request's slowest moment;
# with 1000 one in about every 20 minutes of that load.
FULL_COLLECTION_EVERY = 1000


def freeze_startup_heap() -> None:
    """Move every object alive after start-up out of the garbage collector's reach, and make
    full collections rare (see FULL_COLLECTION_EVERY).

    The app starts with a few hundred thousand long-lived objects (Gradio, pandas, the parser
    tables); a full collection walks all of them and stalled the event loop for ~0.2 s in the
    middle of streaming.  Frozen, they are never scanned again (they live as long as the
    process anyway), and collections only look at what requests allocate.  Young collections
    keep their default pace: they are short and catch the cycles requests leave behind.
    """
    import gc

    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
