"""SPSS .sav/.zsav/.por, Stata .dta and SAS .xpt/.sas7bdat files: the metadata stored inside
the data file is a dictionary (read by engine.formats.statfile: variable labels become
descriptions, value labels categories, stored formats types, user-missing values and labels
naming a missing reason `missing_values`)."""

from __future__ import annotations

from typing import Iterator

from ..errors import InputError
from ..formats.statfile import read_metadata, schema_from_meta, starts_like
from ..model import Field
from . import NotThisFormat, ParseContext, ParserSpec

_KINDS = {".sav": "spss-sav", ".zsav": "spss-sav", ".por": "spss-sav", ".dta": "stata-dta",
          ".xpt": "sas", ".sas7bdat": "sas"}
_NAMES = {"spss-sav": "an SPSS", "stata-dta": "a Stata", "sas": "a SAS"}


def parse_statfile(ctx: ParseContext) -> Iterator[Field]:
    """Yield one field per variable of a .sav/.dta/.xpt/.sas7bdat file."""
    kind = _KINDS.get(ctx.ext)
    if kind is None:
        raise NotThisFormat
    if not starts_like(ctx.path, ctx.ext):
        raise InputError(f"{ctx.filename} does not start like {_NAMES[kind]} file: it may be "
                         "damaged, or its extension does not match its format.")
    try:
        meta = read_metadata(ctx.path, ctx.ext)
    except Exception as exc:  # noqa: BLE001 - pyreadstat raises several unrelated types
        raise InputError(f"{ctx.filename} could not be read as {_NAMES[kind]} file "
                         f"({_one_line(exc)}). Check that it is not damaged and that its "
                         "extension matches its format.") from None
    if ctx.ext == ".sas7bdat":
        ctx.warn("SAS keeps value labels in a separate format catalog (.sas7bcat), not in the "
                 "data file: only variable labels and types were read.")
    if meta.file_label:
        ctx.schema_extras["description"] = str(meta.file_label)
    yield from schema_from_meta(meta).fields


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


PARSERS = [
    ParserSpec(format="spss-sav", extensions=(".sav", ".zsav", ".por"), parse=parse_statfile,
               priority=5),
    ParserSpec(format="stata-dta", extensions=(".dta",), parse=parse_statfile,
               priority=5),
    ParserSpec(format="sas", extensions=(".xpt", ".sas7bdat"), parse=parse_statfile,
               priority=5),
]
