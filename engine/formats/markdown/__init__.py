"""Markdown (pipe tables with the heading or paragraph before each; the rest is text) and plain
text (its pipe tables, or the whole file as one table when it is delimited): `read.py`.

Plain text is also what a file of any other name is read as, and the line-based datasets
(`.txt`, `.dat`, `.data` …) are read by the delimited reader.
"""

from __future__ import annotations

from ..delimited import read_dataset_text
from ..format import Format, Source
from ..textfile import reading_text, text_document


def _markdown(src: Source):
    from .read import load_markdown

    return text_document(src, lambda text, filename: load_markdown(text, filename=filename))


def _text(src: Source):
    from .read import load_text

    return text_document(src, load_text)


MARKDOWN = Format("markdown", (".md", ".markdown"), "a Markdown file", document=_markdown,
                  text=reading_text)
TEXT = Format("text", (".txt", ".data", ".dat", ".psv", ".asc", ".prn"), "a text file",
              document=_text, text=reading_text, dataset=read_dataset_text)
FORMATS = [MARKDOWN, TEXT]
