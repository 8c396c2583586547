"""HTML and DOCX: running text in reading order, tables with spans filled, <dl> pairs."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..errors import InputError
from ..limits import CellBudget, check_columns
from .base import Document, Table, clean_cell, rectangular
from .docx_lists import ListMarks

_BLOCK = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote",
          "section", "article", "header", "footer", "main", "nav", "aside", "caption", "dt",
          "dd", "dl", "tr", "figure", "figcaption", "address", "hr", "form", "fieldset",
          "details", "summary", "body"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SKIP = {"script", "style", "head", "template", "noscript", "svg", "math", "select", "button"}
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.S)
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_TAG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def _tag(el) -> str:
    """An element's tag name; stray characters that broken markup glues on are dropped
    (`<dl'>` is read as a `dl`); comments and processing instructions give ''."""
    if not isinstance(el.tag, str):
        return ""
    m = _TAG_NAME.match(el.tag)
    return m.group(0).lower() if m else ""


# ---- HTML -----------------------------------------------------------------------------
def load_html(text: str, filename: str) -> Document:
    """An HTML page: paragraphs as text, tables with rowspan/colspan filled, <dl> pairs."""
    import lxml.html

    text = _XML_DECL.sub("", text)  # lxml refuses str input that declares an encoding
    if not text.strip():
        raise InputError(f"{filename} is empty: upload a file with the dictionary's contents.")
    budget = CellBudget(filename)
    # a parsed element takes some 150 bytes: count the tags first, two to a cell
    budget.take(text.count("<") // 2, "the HTML markup")
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{filename} could not be read as HTML. Save the page again "
                         "(File > Save as, 'HTML only') and upload that.") from exc
    walker = _HtmlWalker(budget)
    try:
        walker.walk(root)
    except RecursionError as exc:
        raise InputError(f"{filename} nests its HTML elements too deeply to be read. Save the "
                         "dictionary table as CSV or Excel and upload that.") from exc
    walker.flush()
    body = "\n".join(walker.paragraphs)
    return Document(kind="html", text=body, pages=[body], tables=walker.tables,
                    definitions=walker.definitions, headings=walker.headings)


class _HtmlWalker:
    """Collects paragraphs, tables and definition pairs in document order."""

    def __init__(self, budget: CellBudget) -> None:
        self.budget = budget
        self.paragraphs: list[str] = []
        self.tables: list[Table] = []
        self.definitions: list[tuple[str, str]] = []
        self.buf: list[str] = []
        self.context = ""
        self.lists: list[list] = []     # [tag, items so far] of the open <ol>/<ul> elements
        self.mark = ""                  # `- ` or `3. ` for the list item's first paragraph
        self.headings: list[tuple[str, int]] = []
        self.lines = 0                  # lines of the text so far
        self.heading = ""

    def walk(self, el) -> None:
        tag = _tag(el)
        if tag in _SKIP or not tag:
            return
        if tag == "table":
            self.flush()
            self._table(el)
            return
        if tag == "dl":
            self.definitions.extend(_dl_pairs(el))
        if tag == "br":
            self.buf.append("\n")
        block = tag in _BLOCK
        if block:
            self.flush()
        before = len(self.paragraphs)
        if tag in ("ol", "ul"):
            self.lists.append([tag, _start(el) - 1])
        elif tag == "li" and self.lists:
            self.mark = _item_mark(self.lists[-1])
        if el.text:
            self.buf.append(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self.buf.append(child.tail)
        if block:
            self.flush()
        if tag in _HEADINGS and len(self.paragraphs) > before:
            self.headings.append((self.paragraphs[before], int(tag[1])))
            self.heading = self.paragraphs[before].replace("\n", " ")
        if tag in ("ol", "ul") and self.lists:
            self.lists.pop()

    def flush(self) -> None:
        text = _norm_lines("".join(self.buf))
        self.buf = []
        if text:
            self.paragraphs.append(self.mark + text)
            self.lines += text.count("\n") + 1
            self.mark = ""
            self.context = text.replace("\n", " ")

    def _table(self, el) -> None:
        caption = el.find("caption")
        context = _html_text(caption) if caption is not None else self.context
        rows = _html_rows(el, self.budget, f"table {len(self.tables) + 1}")
        if rows:
            self.tables.append(Table(rows=rows, name=f"table {len(self.tables) + 1}",
                                     context=context, line=self.lines, heading=self.heading))


def _start(el) -> int:
    try:
        return int(el.get("start", "1"))
    except ValueError:
        return 1


def _item_mark(current: list) -> str:
    """The mark of the next item of an open list: `- ` in a <ul>, its number in an <ol>."""
    current[1] += 1
    return f"{current[1]}. " if current[0] == "ol" else "- "


def _html_rows(table, budget: CellBudget, where: str) -> list[list[str]]:
    """The rows of one table (not of tables nested in it), rowspan and colspan filled."""
    trs = [tr for tr in table.iter("tr") if _owner_table(tr) is table]
    grid: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(trs):
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            text = _html_text(cell)
            rowspan, colspan = min(_span(cell, "rowspan"), len(trs) - r), _span(cell, "colspan")
            budget.take(rowspan * colspan, where)     # before the spans are filled
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text
            c += colspan
    if not grid:
        return []
    width = max(c for _, c in grid) + 1
    check_columns(budget.filename, width, f"in {where}")
    budget.take(width * len(trs) - len(grid), where)
    return rectangular([[grid.get((r, c), "") for c in range(width)] for r in range(len(trs))])


def _owner_table(tr):
    for anc in tr.iterancestors():
        if anc.tag == "table":
            return anc
    return None


def _span(cell, attr: str) -> int:
    try:
        return max(1, min(int(cell.get(attr, "1")), 1000))
    except ValueError:
        return 1


_CODE_VALUE = re.compile(r"^[^\s`\"'“”(){}]{1,30}$")  # `Male`, `NA`, `1`: not `f(x)`


def _html_text(el, quote_code: bool = False) -> str:
    """An element's visible text, `<br>` and block children as line breaks.  With
    `quote_code`, a short `<code>Male</code>` keeps its quoting as `` `Male` `` (the values a
    definition lists, as R's help pages write them)."""
    parts: list[str] = []

    def visit(node) -> None:
        tag = _tag(node)
        if tag in _SKIP:
            return
        if tag == "br" or (tag in _BLOCK and parts):
            parts.append("\n")
        if quote_code and tag == "code" and len(node) == 0 \
                and _CODE_VALUE.match((node.text or "").strip()):
            parts.append(f"`{node.text.strip()}`")
            return
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            visit(child)
            if child.tail:
                parts.append(child.tail)

    visit(el)
    return clean_cell(_norm_lines("".join(parts)))


def _dl_pairs(dl) -> list[tuple[str, str]]:
    """(term, definition) pairs of a <dl>; several <dd> for one term are joined by newlines."""
    pairs: list[tuple[str, str]] = []
    terms: list[str] = []
    defs: list[str] = []
    for child in dl.iter("dt", "dd"):
        if child.tag == "dt":
            if defs:
                pairs.extend((t, "\n".join(defs)) for t in terms)
                terms, defs = [], []
            terms.append(_html_text(child))
        else:
            defs.append(_html_text(child, quote_code=True))
    pairs.extend((t, "\n".join(defs)) for t in terms)
    return pairs


def _norm_lines(text: str) -> str:
    """Whitespace runs collapsed inside lines, blank lines dropped."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


# ---- DOCX -----------------------------------------------------------------------------
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_SPAN = 64              # a damaged gridSpan must not blow a row up


def load_docx(path: Path, filename: str) -> Document:
    """A Word document: paragraphs in order as text; tables with merged cells filled."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
        body = document.element.body
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise InputError(f"{filename} could not be read as a Word document (.docx): it is "
                         "damaged or not a real .docx. Open it in Word and save it again as "
                         ".docx.") from exc
    paragraphs: list[str] = []
    tables: list[Table] = []
    budget = CellBudget(filename)
    marks = ListMarks(document)
    levels = _heading_styles(document)
    headings: list[tuple[str, int]] = []
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
            lines += line.count("\n") + 1
        else:
            context = next((p for p in reversed(paragraphs) if p.strip()), "")
            rows = _docx_rows(el, budget, f"table {len(tables) + 1}")
            if rows:
                tables.append(Table(rows=rows, name=f"table {len(tables) + 1}",
                                    context=context.strip(), line=lines, heading=heading))
    text = "\n".join(paragraphs)
    return Document(kind="docx", text=text, pages=[text], tables=tables, headings=headings)


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
    """A paragraph's visible text: runs, tabs and line breaks; deleted text left out."""
    parts = []
    for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts).replace("\xa0", " ")


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

