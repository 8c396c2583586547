"""File formats: one package per format, each owning how it is recognised and what can be read
from it; the rest of the engine asks this package, never a format directly.

    load_document(path, filename, sheet=None) -> Document   text, pages, tables, definitions and
                                                           headings, for the dictionary rules
    document_text(path, filename, sheet=None, sheets=()) -> str   the same file as a reader
                                                           (the LLM) sees it, same sheets
    read_dataset(path, filename, ...) -> Dataset           rows and columns, for profile/check
    detect(path, filename) -> Format                       what the file is, once
    expanded(path, filename) -> (name, size)               what it reads as (a compressed
                                                           file's inside), from headers only

    pdf/        pypdfium2 text per page, ruled and aligned tables
    docx/       Word paragraphs, lists, headings, tables with merged cells filled
    html/       paragraphs, tables with spans filled, <dl> pairs, headings
    sheets/     Excel workbooks (.xlsx/.xlsm/.xls): a dictionary's grid, a dataset's typed cells
    delimited/  CSV/TSV: a dictionary's table; a dataset read by pyarrow.csv; fixed width
    markdown/   Markdown pipe tables and plain text
    rst/, rd/   reStructuredText tables; R documentation and roxygen comments
    jsonfile/   JSON / JSON Lines datasets
    structured/ XML and YAML (read by the parsers from their text)
    parquet/    Parquet datasets
    statfile/   SPSS/Stata/SAS datasets and the dictionary stored inside them
    compressed  .gz/.bz2/.xz/.zst and one-file ZIP archives, read as the file inside
    system      the registry: detection and the three views
    format      what a format plug-in declares; document / dataset: the shapes the views return
    bands       tables laid side by side in one grid (a PDF table, a sheet), split apart

Files that are not what their name says, empty files and binary junk raise `InputError` with a
message saying what to do; password-protected files raise `EncryptedFile`; a PDF of scanned
images raises `NoTextLayer`; a file that would expand beyond a bound of `engine.limits` raises
`LimitExceeded` before it is expanded.
"""

from .compressed import expanded, unwrapped
from .document import Document, Table
from .format import Format, Source
from .markdown.read import looks_delimited, looks_like_pipe_table, markdown_tables
from .pdf import iter_pdf_pages
from .sheets import sheet_names
from .system import (FORMATS, by_name, dataset_extensions, detect, document_text,
                     load_document, read_dataset)

__all__ = ["FORMATS", "Dataset", "Document", "Format", "Source", "Table", "by_name",
           "dataset_extensions", "detect", "document_text", "expanded", "iter_pdf_pages", "load_document",
           "looks_delimited", "looks_like_pipe_table", "markdown_tables", "read_dataset",
           "sheet_names", "unwrapped"]


def __getattr__(name: str):
    """`Dataset` on first use: it needs pyarrow, which parsing a dictionary does without."""
    if name == "Dataset":
        from .dataset import Dataset

        return Dataset
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
