"""R documentation: `.Rd` files (`\\item{name}{description}` pairs as definitions, the sections
as text) and R sources with roxygen comments (`#' @format \\describe{...}`): `read.py`."""

from __future__ import annotations

from ..format import Format, Source
from ..textfile import reading_text, text_document


def _rd(src: Source):
    from .read import load_rd

    return text_document(src, lambda text, filename: load_rd(text))


def _roxygen(src: Source):
    from .read import load_roxygen

    return text_document(src, lambda text, filename: load_roxygen(text))


RD = Format("rd", (".rd",), "an R documentation file", document=_rd, text=reading_text)
ROXYGEN = Format("r", (".r",), "an R source file", document=_roxygen, text=reading_text)
FORMATS = [RD, ROXYGEN]
