"""SPSS (.sav/.zsav/.por), Stata (.dta) and SAS (.xpt/.sas7bdat) files, through pyreadstat.

    meta.py   the dictionary stored inside: variable and value labels, stored formats as
              types, user-missing values (what the dictionary parser and a dataset's labels use)
    data.py   the dataset: values as stored, labels kept

Told by their extension (a Stata file's first byte is too weak a signature to go by alone);
`starts_like` checks the signature before a dictionary is read.
"""

from __future__ import annotations

from ...errors import InputError
from ..format import Format, Source
from .meta import (READERS, code_text, field_type, read_metadata, schema_from_meta,
                   starts_like)

__all__ = ["FORMATS", "READERS", "code_text", "field_type", "read_metadata",
           "schema_from_meta", "starts_like"]


def _dataset(src: Source):
    from .data import read_statfile

    return read_statfile(src.path, src.filename)


def _text(src: Source) -> str:
    """The dictionary stored inside, as a reader reads one: `name: label (type)`, then a line
    `  code = label` for each value label."""
    try:
        schema = schema_from_meta(read_metadata(src.path, src.ext))
    except Exception as exc:  # noqa: BLE001 - pyreadstat raises several unrelated types
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(f"{src.filename} could not be read ({reason}). Check that it is not "
                         "damaged and that its extension matches its format.") from None
    lines = []
    for f in schema.fields:
        lines.append(f"{f.name}: {f.description or ''} ({f.type})".replace(":  (", ": ("))
        lines += [f"  {c.value} = {c.label or ''}".rstrip() for c in f.categories + f.missing_values]
    return "\n".join(lines)


SPSS = Format("spss", (".sav", ".zsav", ".por"), "an SPSS file", text=_text, dataset=_dataset)
STATA = Format("stata", (".dta",), "a Stata file", text=_text, dataset=_dataset)
SAS = Format("sas", (".xpt", ".sas7bdat"), "a SAS file", text=_text, dataset=_dataset)
FORMATS = [SPSS, STATA, SAS]
