"""Command line: python -m engine parse|profile|analyze FILE [options].

Exit codes: 0 success, 2 bad input (one line on stderr saying what was wrong), 1 internal error
(also one line; `--debug` shows the traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import cli_help
from .errors import CodebookError, ConfigError, InputError
from .limits import configure
from .settings import Settings


MISSING_HELP = ("declare missing-value markers, written to the schema's missingValues: "
                "'NA,NULL' (every field), 'LotFrontage=NA' (one field), or both, groups "
                "separated by ';': 'NA,NULL; Age=-9,999'; double quotes keep ',', ';' or '=' "
                "inside a value; may be given more than once")


def build_parser() -> argparse.ArgumentParser:
    """The argparse tree for all subcommands."""
    # (descriptions and examples of every command: engine/cli_help.py)
    p = cli_help.Parser(prog=cli_help.prog(), description=cli_help.DESCRIPTION)
    p.add_argument("--debug", action="store_true",
                   help="show the traceback of an internal error")
    sub = p.add_subparsers(dest="command", required=True)

    pp = sub.add_parser("parse", help="parse a data dictionary into a Table Schema")
    pp.add_argument("file", type=Path)
    pp.add_argument("--format", choices=["json", "csv", "md"], default="json",
                    help="json: Table Schema v2 (default); csv/md: the fields table")
    pp.add_argument("--sheet", help="sheet of a workbook to read")
    pp.add_argument("--llm", action="store_true",
                    help="refine the rule-based result with the configured LLM (progress on stderr)")
    pp.add_argument("--missing-values", action="append", metavar="MARKERS", help=MISSING_HELP)
    _add_export_options(pp)

    pr = sub.add_parser("profile", help="profile a dataset")
    pr.add_argument("file", type=Path)
    pr.add_argument("--format", choices=["json", "md"], default="json")
    pr.add_argument("--sheet", help="sheet of a workbook to read")
    pr.add_argument("--dictionary", type=Path,
                    help="a dictionary whose types and column names drive the reader")
    pa = sub.add_parser("analyze", help="check a dataset against its dictionary")
    pa.add_argument("data", type=Path)
    pa.add_argument("--dictionary", type=Path,
                    help="the data dictionary (any supported format); without it a starter "
                         "schema is inferred from the data")
    pa.add_argument("--mapping", help='column-to-field pairs as JSON, e.g. \'{"col": "field"}\'')
    pa.add_argument("--sheet", help="sheet of a workbook to read")
    pa.add_argument("--missing-values", action="append", metavar="MARKERS", help=MISSING_HELP)
    pa.add_argument("--format", choices=["json", "md", "html"], default="json")
    pa.add_argument("--outdir", type=Path,
                    help="also write every download (reports, schema, labelled data as CSV, "
                         "Parquet, SPSS .sav and Stata .dta, flagged workbook) into this "
                         "directory")
    _add_labelled_options(pa)
    return p


# the names of engine.report.exports (FORMATS, SQL_DIALECTS, DATA_FORMATS), written out so
# that building the parser imports no report code (tests/unit/test_export_safety.py compares them)
EXPORT_NAMES = ("pandera", "pandera-yaml", "gx", "datapackage", "sql", "jsonschema", "redcap",
                "ddi", "spss", "stata")
SQL_DIALECT_NAMES = ("duckdb", "postgres", "sqlite")
DATA_FORMAT_NAMES = ("sav", "dta")


def _add_export_options(pp: argparse.ArgumentParser) -> None:
    """`parse --to FORMAT [--dialect D]`: print the dictionary as another tool's schema."""
    pp.add_argument("--to", metavar="FORMAT",
                    help="print the dictionary for another tool instead: " +
                         ", ".join(EXPORT_NAMES))
    pp.add_argument("--dialect", default="duckdb", metavar="DIALECT",
                    help="SQL dialect of --to sql: " + ", ".join(SQL_DIALECT_NAMES) +
                         " (default duckdb)")


def _add_labelled_options(pa: argparse.ArgumentParser) -> None:
    """`analyze --to sav|dta --outdir DIR`: the data with its labels for SPSS or Stata (among
    --outdir's downloads, which the app offers too; --to makes that file required)."""
    pa.add_argument("--to", metavar="FORMAT",
                    help="require the data with its labels as " +
                         " or ".join(DATA_FORMAT_NAMES) + " (SPSS, Stata) in --outdir: both "
                         "are among its downloads, written when the package accepts the "
                         "data (a warning otherwise); with --to, a file that cannot be "
                         "written is an error (exit 2)")


def _check_export_options(args: argparse.Namespace) -> None:
    """`parse --to` names an export, `--dialect` a SQL dialect (InputError otherwise), checked
    before the dictionary is read."""
    if args.to is not None and args.to not in EXPORT_NAMES:
        raise InputError(f"unknown --to {args.to!r}: use one of {', '.join(EXPORT_NAMES)}")
    if args.dialect not in SQL_DIALECT_NAMES:
        raise InputError(f"unknown --dialect {args.dialect!r}: use one of "
                         f"{', '.join(SQL_DIALECT_NAMES)}")


def _export_text(args: argparse.Namespace, schema) -> str:
    """The schema as `--to` asks."""
    from .report.exports import render

    return render(schema, "sql", dialect=args.dialect) if args.to == "sql" else \
        render(schema, args.to)


def _check_labelled_options(args: argparse.Namespace) -> None:
    """`analyze --to` names a data format and comes with --outdir (InputError otherwise)."""
    if args.to is None:
        return
    if args.to not in DATA_FORMAT_NAMES:
        raise InputError(f"unknown --to {args.to!r}: use one of {', '.join(DATA_FORMAT_NAMES)}")
    if args.outdir is None:
        raise InputError("--to needs --outdir, the directory to write the data file into")


def _require_labelled(args: argparse.Namespace, analyzed) -> None:
    """`analyze --to`: the labelled data file asked for is among the downloads written
    (InputError, with the package's reason, when it could not be)."""
    if f"labelled_{args.to}" in analyzed.downloads:
        return
    reasons = [w for w in analyzed.analysis.download_warnings if f".labelled.{args.to} " in w]
    raise InputError(f"--to {args.to}: " + (reasons[0] if reasons else "not written"))


def cmd_analyze(args: argparse.Namespace, settings: Settings) -> str:
    """Analyze a dataset against a dictionary; return the report to print."""
    from .pipeline import DownloadWritten, InlineExecutor, Warning, analyze_job, run_job

    warn = _print_warnings(Warning)

    def progress(event) -> None:
        warn(event)
        if isinstance(event, DownloadWritten):
            _stderr(f"wrote {event.kind}: {event.path}")

    _check_labelled_options(args)
    final = run_job(analyze_job(args.data, args.dictionary, args.mapping, sheet=args.sheet,
                                missing_values=_markers(args), executor=InlineExecutor(),
                                outdir=(lambda: args.outdir) if args.outdir else None),
                    on_event=progress)
    analysis = final.value.analysis
    if args.to:
        _require_labelled(args, final.value)
    if args.format == "md":
        return analysis.to_markdown()
    if args.format == "html":
        return analysis.to_html()
    return analysis.to_json() + "\n"


def cmd_parse(args: argparse.Namespace, settings: Settings) -> str:
    """Parse a dictionary (and refine it with the configured LLM: progress on stderr); return
    the text to print."""
    from .pipeline import ChunkDone, InlineExecutor, Parsed, parse_job, run_job

    _check_export_options(args)
    service = _llm_service(settings) if args.llm else None
    parsed: list[Parsed] = []

    def progress(event) -> None:
        if isinstance(event, Parsed):
            parsed.append(event)
            if service is not None:
                _stderr(f"rules: {event.count} fields ({event.format}); "
                        f"LLM: {service.describe()}")
        elif isinstance(event, ChunkDone):
            _stderr(event.status)

    events = parse_job(args.file, executor=InlineExecutor(), llm=service, use_llm=args.llm,
                       sheet=args.sheet, outputs=False, missing_values=_markers(args))
    final = run_job(_closing(events, service), on_event=progress)
    warnings = list(parsed[0].warnings)
    if final.llm is not None:
        if final.llm.error:
            _stderr(f"warning: {final.llm.error}")
        warnings += final.llm.flagged
    for w in warnings:
        _stderr(f"warning: {w}")
    coverage = parsed[0].coverage
    if coverage is not None and coverage.low and not args.llm:
        _stderr(f"warning: {coverage.warning()}")
    schema = final.schema()
    if final.stage == "llm" and _markers(args):   # fields the LLM added get theirs too
        schema = schema.with_missing_values(_markers(args), strict=False)
    if args.to:
        return _export_text(args, schema)
    if args.format == "csv":
        return schema.to_csv()
    if args.format == "md":
        return schema.to_markdown()
    return json.dumps(schema.to_descriptor(), indent=2, ensure_ascii=False) + "\n"


def cmd_profile(args: argparse.Namespace, settings: Settings) -> str:
    """Profile a dataset; return the text to print."""
    from .pipeline import InlineExecutor, Warning, profile_job, run_job

    final = run_job(profile_job(args.file, sheet=args.sheet, dictionary=args.dictionary,
                                executor=InlineExecutor()),
                    on_event=_print_warnings(Warning))
    prof = final.value.profile
    if args.format == "md":
        return prof.to_markdown()
    return json.dumps(prof.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"


def _markers(args: argparse.Namespace):
    """The --missing-values options as one declaration (None when not given)."""
    from .markers import combine

    return combine(*args.missing_values) if args.missing_values else None


def _llm_service(settings: Settings):
    """The configured LLM service; ConfigError when there is none."""
    from .llm import NO_PROVIDER_MESSAGE, LLMService

    service = LLMService.from_settings(settings)
    if service is None:
        raise ConfigError(NO_PROVIDER_MESSAGE)
    return service


async def _closing(events, service):
    """`events`, the LLM service closed after them (in the job's own event loop)."""
    try:
        async for event in events:
            yield event
    finally:
        if service is not None:
            await service.aclose()


def _print_warnings(kind: type):
    """An on_event that prints each warning event on stderr."""
    def on_event(event) -> None:
        if isinstance(event, kind):
            _stderr(f"warning: {event.message}")
    return on_event


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        configure(settings)   # the bounds on inputs (engine.limits)
        command = {"parse": cmd_parse, "profile": cmd_profile, "analyze": cmd_analyze}
        out = command[args.command](args, settings)
    except KeyboardInterrupt:   # Ctrl-C: the shell's code for SIGINT, one line, no traceback
        _stderr("interrupted")
        return 130
    except (InputError, ConfigError) as exc:
        _stderr(f"error: {_one_line(exc)}")
        return 2
    except CodebookError as exc:
        _stderr(f"error: {_one_line(exc)}")
        return 1
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback, unless asked
        if args.debug:
            raise
        _stderr(f"error: internal error ({type(exc).__name__}: {_one_line(exc)[:300]}). "
                "Please report it with the file that caused it; --debug shows the traceback.")
        return 1
    try:
        sys.stdout.write(out)
        sys.stdout.flush()
    except BrokenPipeError:  # `| head` closed the pipe: not an error
        pass
    return 0


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


if __name__ == "__main__":
    sys.exit(main())
