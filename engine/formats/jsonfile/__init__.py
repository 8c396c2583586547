"""JSON and JSON Lines.  As a dataset: records, {"data": [...]}, an object of columns, or one
object per line (`read.py`).  As a dictionary (Table Schema, JSON Schema, FHIR, REDCap metadata
…) the parsers read its text; the document view is the plain-text one."""

from __future__ import annotations

from ..format import Format, Source
from ..textfile import reading_text, text_document


def _document(src: Source):
    from ..markdown.read import load_text

    return text_document(src, load_text)


def _dataset(src: Source):
    from .read import read_json

    return read_json(src.path, src.filename, lines=src.ext in (".jsonl", ".ndjson"))


JSON = Format("json", (".json", ".jsonl", ".ndjson"), "a JSON file", document=_document,
              text=reading_text, dataset=_dataset)
FORMATS = [JSON]
