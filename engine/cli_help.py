"""The command line's help: what each command does, examples of it, exit codes.  `Parser` is
the CLI's argparse parser class; its subcommands' parsers (made with the same class) find
their description and examples here by name, so `engine/__main__.py` only declares options.

Every example is a real invocation: tests/unit/test_cli_help.py parses each with the CLI's own
parser.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

WIDTH = 79

DESCRIPTION = ("Codebook: read a data dictionary (codebook) in any format into a Frictionless "
               "Table Schema, profile a dataset, and check a dataset against its dictionary.")

# command -> (description, [(arguments, what it does)]); "%(prog)s" is the command as called
COMMANDS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "": (DESCRIPTION, [
        ("parse data_description.txt > schema.json", "a dictionary to a Table Schema"),
        ("profile train.csv --format md", "a dataset's columns, as a Markdown table"),
        ("analyze train.csv --dictionary data_description.txt --format md",
         "check the data against the dictionary"),
        ("--debug parse codebook.docx", "a traceback, should the parse fail inside"),
        ("parse --help", "each command's options and examples"),
    ]),
    "parse": ("Read a data dictionary (CSV/XLSX tables, PDF, DOCX, HTML, Markdown, text, "
              "REDCap, DDI, SPSS, Stata, Table Schema …) and print it as a Table Schema (v2) "
              "or as a table of its fields.", [
        ("data_description.txt", "the Table Schema (JSON) on stdout"),
        ("codebook.pdf --to pandera > schema.py", "the dictionary as runnable pandera code "
         "(also gx, datapackage, sql, jsonschema, redcap, ddi, spss, stata)"),
        ("variables.xlsx --sheet Variables --format csv > fields.csv",
         "one sheet of a workbook, the fields as CSV"),
        ("codebook.pdf --llm > schema.json",
         "refined by the configured LLM (OPENAI_API_KEY …; progress on stderr)"),
        ("data_description.txt --missing-values 'NA; LotFrontage=-1'",
         "NA missing in every field, -1 in LotFrontage too (the schema's missingValues)"),
    ]),
    "profile": ("Profile a dataset: rows, and for each column its type, missing values, "
                "distinct values, range and top values (values read as written).", [
        ("train.csv", "the profile as JSON"),
        ("train.csv --format md", "a summary line and a table of the columns"),
        ("survey.xlsx --sheet 2021 --format md", "one sheet of a workbook"),
        ("adult.data --dictionary adult.names",
         "a file without a header row: names and types from its dictionary"),
    ]),
    "analyze": ("Check a dataset against its data dictionary (without one, against a starter "
                "schema inferred from the data) and print the report.", [
        ("train.csv --dictionary data_description.txt --format md", "the report as Markdown"),
        ("train.csv --dictionary data_description.txt --mapping '{\"BedroomAbvGr\": "
         "\"Bedroom\"}'", "pair a column with a field whose name differs (JSON report)"),
        ("train.csv --dictionary data_description.txt --format html > report.html",
         "a self-contained HTML report with charts"),
        ("train.csv --dictionary data_description.txt --missing-values NA,NULL --outdir "
         "checked/", "NA and NULL count as missing values, not as wrong ones; every download "
         "too (reports, schema, labelled data, flagged workbook)"),
        ("train.csv --dictionary data_description.txt --to sav --outdir labelled/",
         "every download, the data as an SPSS .sav with variable and value labels required "
         "(dta: Stata)"),
    ]),
}

EXIT_CODES = ("exit codes: 0 success; 2 bad input (one line on stderr says what was wrong); "
              "1 internal error (one line; --debug before the command shows the traceback); "
              "130 interrupted (Ctrl-C).")


def prog() -> str:
    """The command as it was called: `codebook` (the installed command), else
    `python -m engine`."""
    name = Path(sys.argv[0]).name
    return name if name == "codebook" else "python -m engine"


def epilog(command: str) -> str:
    """A command's examples (the prog in them filled in by argparse), then the exit codes."""
    lines = ["examples:"]
    for arguments, what in COMMANDS[command][1]:
        lines.append(f"  %(prog)s {arguments}")
        lines.append(f"      {what}")
    return "\n".join(lines) + "\n\n" + textwrap.fill(EXIT_CODES, WIDTH)


class Parser(argparse.ArgumentParser):
    """argparse's parser with the description and examples of its command (found by the last
    word of its prog: `codebook parse` -> parse), line breaks kept."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)
        words = self.prog.split()
        command = words[-1] if len(words) > 1 and words[-1] in COMMANDS else ""
        if command or self.epilog is None:
            self.description = textwrap.fill(self.description or COMMANDS[command][0], WIDTH)
            self.epilog = self.epilog or epilog(command)
