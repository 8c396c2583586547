"""HTML: running text in reading order, tables with rowspan/colspan filled, <dl> pairs."""

from __future__ import annotations

import re

from lxml import etree

from ...errors import InputError
from ...limits import CellBudget, check_columns
from ..document import Document, Table, clean_cell, rectangular

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
