"""XML and YAML files: codebooks written for machines (DDI, ODM, REDCap XML, Table Schema YAML
…), which the dictionary parsers read from the file's text themselves.  Their document view
is the plain-text one; their bounds (an XML prolog's DTD subset, YAML aliases) are checked
before they are parsed (engine.guard, engine.scans)."""

from __future__ import annotations

from ..format import Format, Source
from ..textfile import reading_text, text_document


def _document(src: Source):
    from ..markdown.read import load_text

    return text_document(src, load_text)


XML = Format("xml", (".xml",), "an XML file", document=_document, text=reading_text)
YAML = Format("yaml", (".yaml", ".yml"), "a YAML file", document=_document, text=reading_text)
FORMATS = [XML, YAML]
