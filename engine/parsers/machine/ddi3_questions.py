"""DDI 3.x questionnaires without variables: each question item or grid is a field.

A `d:QuestionItem` is named by `QuestionItemName` (else its label, else its id), described by
its question text, and typed by its response domains (`d:CodeDomain` -> codes through the
code list and its categories, `d:NumericDomain` -> number and range, `d:TextDomain`,
`d:DateTimeDomain`, mixed domains).  A `d:QuestionGrid` is one field with its response domain's
codes; its rows (the first grid dimension's codes) are kept as `gridRows`.  Statements,
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
        rows = _grid_rows(el, index)
        if rows:
            f.extras["gridRows"] = rows
    return f


def _grid_rows(grid: ET.Element, index: Index) -> list[str]:
    """Labels of the first grid dimension's codes (the grid's rows)."""
    dims = sorted(kids(grid, "GridDimension"), key=lambda d: d.get("rank") or "")
    if not dims:
        return []
    probe = Field(name="")
    apply_domains(probe, dims[0], index)
    return [c.label or c.value for c in probe.categories + probe.missing_values]
