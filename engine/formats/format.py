"""What a file format plug-in declares: its names, how its first bytes give it away, and the
views it can give of a file (a document for the rules, a text for the LLM, a dataset).

Each format package (`engine.formats.pdf`, `.sheets`, `.delimited` …) exports one or more
`Format`s; `engine.formats.system` holds them in one registry and is the only module that picks
one.  A format's views import their libraries when called, so the registry is cheap to load.
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from .dataset import Dataset
    from .document import Document


@dataclass(frozen=True)
class Source:
    """One file as a view reads it: where it is, the name it goes by, and the options asked."""

    path: Path
    filename: str
    sheet: str | None = None            # the sheet of a workbook to read (None: the format's choice)
    sheets: tuple[str, ...] = ()        # for the reading text: the sheets the rules read
    options: dict[str, Any] = dc_field(default_factory=dict)   # a dataset reader's options

    @property
    def ext(self) -> str:
        return Path(self.filename).suffix.lower()


@dataclass(frozen=True)
class Format:
    """One file format."""

    name: str                                       # "pdf", "xlsx", "csv", "markdown" …
    extensions: tuple[str, ...] = ()                # lower-case, with the dot
    title: str = ""                                 # "a PDF", "an Excel workbook" (messages)
    magic: Callable[[bytes], bool] | None = None    # recognised by its first 8 KiB
    document: Callable[[Source], "Document"] | None = None    # text and tables (the rules)
    text: Callable[[Source], str] | None = None      # the text a reader sees (the LLM)
    dataset: Callable[[Source], "Dataset"] | None = None      # rows and columns
    refusal: str | None = None                       # recognised only to say why it is refused

    def __repr__(self) -> str:
        return f"Format({self.name!r})"
