"""Word (.docx): paragraphs in reading order (list numbers and heading levels kept), tables with
gridSpan / vMerge filled; and the document as a reader sees it (for the LLM)."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ...errors import InputError
from ...limits import CellBudget, check_columns
from ..document import Document, Table, clean_cell, rectangular
from .lists import ListMarks
from .terms import all_bold, bold_pairs

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_SPAN = 64              # a damaged gridSpan must not blow a row up


def load_docx(path: Path, filename: str) -> Document:
    """A Word document: paragraphs in order as text; tables with merged cells filled."""
    document, body = _open(path, filename)
    paragraphs: list[str] = []
    tables: list[Table] = []
    budget = CellBudget(filename)
    marks = ListMarks(document)
    levels = _heading_styles(document)
    headings: list[tuple[str, int]] = []
    styled: list[tuple[str, bool, bool]] = []   # (text, all bold, heading) of each paragraph
    lines = 0  # lines of the text so far (a paragraph may hold line breaks)
    heading = ""
    for kind, el in _body_blocks(body):
        if kind == "p":
            text = _paragraph_text(el)
            line = marks.mark(el) + text if text.strip() else text
            level = _heading_level(el, levels)
            if level and text.strip():
                headings.append((line, level))
                heading = " ".join(text.split())
            paragraphs.append(line)
            styled.append((text, all_bold(el), bool(level)))
            lines += line.count("\n") + 1
        else:
            context = next((p for p in reversed(paragraphs) if p.strip()), "")
            rows = _docx_rows(el, budget, f"table {len(tables) + 1}")
            if rows:
                tables.append(Table(rows=rows, name=f"table {len(tables) + 1}",
                                    context=context.strip(), line=lines, heading=heading))
    text = "\n".join(paragraphs)
    return Document(kind="docx", text=text, pages=[text], tables=tables, headings=headings,
                    definitions=bold_pairs(styled))


def docx_text(path: Path, filename: str) -> str:
    """The document as a reader sees it: paragraphs and tables in document order, a table row
    as `cell | cell` (a merged cell once), a blank line after each table."""
    document, body = _open(path, filename)
    marks = ListMarks(document)
    budget = CellBudget(filename)
    lines: list[str] = []
    for kind, el in _body_blocks(body):
        if kind == "p":
            text = _paragraph_text(el)
            lines.append(marks.mark(el) + text if text.strip() else text)
            continue
        for row in _docx_rows(el, budget, "a table"):
            cells = [" ".join(c.split()) for c in row]
            lines.append(" | ".join(c for k, c in enumerate(cells) if k == 0 or c != cells[k - 1]))
        lines.append("")
    return "\n".join(lines)


def _open(path: Path, filename: str):
    """(python-docx document, its body element); InputError for a damaged file."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
        return document, document.element.body
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise InputError(f"{filename} could not be read as a Word document (.docx): it is "
                         "damaged or not a real .docx. Open it in Word and save it again as "
                         ".docx.") from exc


def _heading_styles(document) -> dict[str, int]:
    """Style id -> heading level of the styles named `Title` or `heading N` (Word keeps
    built-in style names in English whatever the language of the user interface)."""
    out = {}
    try:
        styles = document.styles.element
    except (NotImplementedError, KeyError, AttributeError):
        return out
    for style in styles.iterchildren(f"{_W}style"):
        name_el = style.find(f"{_W}name")
        name = (name_el.get(f"{_W}val", "") if name_el is not None else "").lower()
        m = re.fullmatch(r"heading ([1-9])", name)
        if m or name == "title":
            out[style.get(f"{_W}styleId")] = int(m.group(1)) if m else 1
    return out


def _heading_level(p, levels: dict[str, int]) -> int:
    """The heading level of a paragraph's style, else 0."""
    style = p.find(f"{_W}pPr/{_W}pStyle")
    return levels.get(style.get(f"{_W}val"), 0) if style is not None else 0


def _body_blocks(parent):
    """("p", el) and ("tbl", el) in reading order, looking inside content controls."""
    for el in parent:
        if el.tag == f"{_W}p":
            yield "p", el
        elif el.tag == f"{_W}tbl":
            yield "tbl", el
        elif el.tag in (f"{_W}sdt", f"{_W}customXml"):
            content = el.find(f"{_W}sdtContent") if el.tag == f"{_W}sdt" else el
            if content is not None:
                yield from _body_blocks(content)


def _paragraph_text(p) -> str:
    """A paragraph's visible text: runs, tabs, line breaks and symbols; deleted text left out."""
    parts = []
    for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}sym"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag == f"{_W}sym":
            parts.append(_symbol(node))
        else:
            parts.append("\n")
    return "".join(parts).replace("\xa0", " ")


# arrows of Word's symbol fonts (`<w:sym w:font="Wingdings" w:char="F0E0"/>`), which write
# `13/14 -> First two quartiles`; other symbols (bullets, ticks, Greek) are left out
_ARROWS = {"wingdings": {0xE0: "→", 0xE8: "→", 0xF0: "→", 0xD8: "→", 0xDF: "←", 0xE7: "←"},
           "symbol": {0xAE: "→", 0xDE: "⇒", 0xAC: "←", 0xDC: "⇐"}}


def _symbol(node) -> str:
    """The character a symbol run shows, when it is an arrow; else nothing."""
    font = (node.get(f"{_W}font") or "").strip().lower()
    try:
        code = int(node.get(f"{_W}char") or "", 16) & 0xFF  # F0E0: the font's E0
    except ValueError:
        return ""
    return _ARROWS.get(font, {}).get(code, "")


def _docx_rows(tbl, budget: CellBudget, where: str) -> list[list[str]]:
    """Cell texts of a Word table; gridSpan repeats a cell, vMerge continues the one above."""
    rows: list[list[str]] = []
    for tr in tbl.iterchildren(f"{_W}tr"):
        row: list[str] = []
        before = tr.find(f"{_W}trPr/{_W}gridBefore")
        row.extend([""] * min(_w_int(before, 0), _MAX_SPAN))
        for tc in _row_cells(tr):
            props = tc.find(f"{_W}tcPr")
            span = min(_w_int(props.find(f"{_W}gridSpan") if props is not None else None, 1),
                       _MAX_SPAN)
            vmerge = props.find(f"{_W}vMerge") if props is not None else None
            col = len(row)
            if vmerge is not None and vmerge.get(f"{_W}val", "continue") == "continue":
                above = rows[-1][col] if rows and col < len(rows[-1]) else ""
                text = above
            else:
                text = _cell_text(tc)
            row.extend([text] * span)
        budget.take(len(row), where)
        rows.append(row)
    width = max(map(len, rows), default=0)
    check_columns(budget.filename, width, f"in {where}")
    budget.take(width * len(rows) - sum(map(len, rows)), where)   # the padding to come
    return rectangular(rows)


def _row_cells(tr):
    """The cells of a row, also those wrapped in content controls."""
    for el in tr:
        if el.tag == f"{_W}tc":
            yield el
        elif el.tag in (f"{_W}sdt", f"{_W}customXml"):
            content = el.find(f"{_W}sdtContent") if el.tag == f"{_W}sdt" else el
            if content is not None:
                yield from _row_cells(content)


def _cell_text(tc) -> str:
    """A cell's paragraphs (nested tables included) one per line."""
    return clean_cell("\n".join(_paragraph_text(p) for p in tc.iter(f"{_W}p")))


def _w_int(el, default: int) -> int:
    if el is None:
        return default
    try:
        return max(0, int(el.get(f"{_W}val", default)))
    except ValueError:
        return default

