"""DDI 3.x questionnaires without variables: each question item or grid is a field.

A `d:QuestionItem` is named by `QuestionItemName` (else its label, else its id), described by
its question text, and typed by its response domains (`d:CodeDomain` -> codes through the
code list and its categories, `d:NumericDomain` -> number and range, `d:TextDomain`,
`d:DateTimeDomain`, mixed domains).  A `d:QuestionGrid` is one field with its response domain's
codes (else, when its cells only tick, the last dimension's codes); its rows (the first
dimension's codes) are kept as `gridRows`.  Statements,
sequences, routing and other control constructs describe the flow, not data: they are skipped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Iterator

from ...model import Field
from ._common import kid, kids, local
from .ddi3 import apply_domains, question_text
from .ddi3_refs import Index, short_id, string

_QUESTIONS = {"QuestionItem": "QuestionItemName", "QuestionGrid": "QuestionGridName"}


def questions(root: ET.Element, index: Index) -> Iterator[Field]:
    """Every question item and grid of the document, in document order."""
    for el in root.iter():
        name_tag = _QUESTIONS.get(local(el.tag))
        if name_tag is not None:
            f = _question(el, name_tag, index)
            if f is not None:
                yield f


def _question(el: ET.Element, name_tag: str, index: Index) -> Field | None:
    """One question as a field, or None for an element without a name or text."""
    label = string(kid(el, "Label"))
    text = question_text(el)
    name = string(kid(el, name_tag)) or short_id(el)
    if not name or not (text or label or kid(el, name_tag) is not None):
        return None
    f = Field(name=name)
    if label and text and label != text:
        f.title, f.description = label, text
    else:
        f.description = text or label
    apply_domains(f, el, index)
    if local(el.tag) == "QuestionGrid":
        _grid(f, el, index)
    return f


def _grid(f: Field, grid: ET.Element, index: Index) -> None:
    """The rows (first dimension's codes) as `gridRows`; a grid whose cells only tick (no
    coded response domain) answers with its last dimension's codes."""
    dims = [_dimension(d, index) for d in sorted(kids(grid, "GridDimension"),
                                                   key=lambda d: d.get("rank") or "")]
    if not dims:
        return
    rows = dims[0]
    if rows.categories or rows.missing_values:
        f.extras["gridRows"] = [c.label or c.value for c in rows.categories + rows.missing_values]
    if len(dims) > 1 and not (f.categories or f.missing_values):
        f.categories, f.missing_values = dims[-1].categories, dims[-1].missing_values
        f.type = dims[-1].type


def _dimension(dim: ET.Element, index: Index) -> Field:
    """A grid dimension's codes, read as a field of its own."""
    probe = Field(name="")
    apply_domains(probe, dim, index)
    return probe
