"""reStructuredText: list tables, csv tables, grid and simple tables; headings as context.

    .. list-table:: Title          +------+-------+        =====  ======
       :header-rows: 1             | Name | Text  |        Name   Text
                                   +======+=======+        =====  ======
       * - Name                    | age  | Age   |        age    Age
         - Text                    +------+-------+        =====  ======
       * - age
         - Age

Each table's context is the heading above it (over- and/or underlined).  Code blocks,
literal blocks (`::`), comments and raw/math directives are left out of the text and the
tables; inline markup (``:code:`x` ``, ``` ``x`` ```, `` `text <url>`_ ``) is reduced to its
text.
"""

from __future__ import annotations

import csv
import io
import re

from ..document import Document, Table, clean_cell, rectangular

_ADORN = re.compile(r"^([=\-`:'\"~^_*+#<>.])\1{2,}\s*$")
_DIRECTIVE = re.compile(r"^(\s*)\.\.\s+([\w:-]+)::\s*(.*)$")
_COMMENT = re.compile(r"^(\s*)\.\.(?:\s|$)")
_OPTION = re.compile(r"^\s*:([\w-]+):\s*(.*)$")
# `+---+===+`; Pandoc marks alignment with colons (`+:===+:==:+`)
GRID_BORDER = re.compile(r"^\s*\+(?::?[-=]+:?\+)+\s*$")
_SIMPLE_BORDER = re.compile(r"^\s*=+(?:\s+=+)+\s*$")
_SKIPPED = {"code-block", "code", "sourcecode", "highlight", "math", "raw", "literalinclude",
            "include", "image", "figure", "toctree", "autosummary", "automodule", "autoclass",
            "autofunction", "testcode", "doctest", "jupyter-execute", "ipython", "bibliography"}
_ROLE = re.compile(r":[\w:+-]+:`([^`]*)`")
_LINK = re.compile(r"`([^`<]+?)\s*<[^>]*>`__?")
_LITERAL = re.compile(r"``(.+?)``")
_REF = re.compile(r"`([^`]+)`_{1,2}")
_TABLE_DIRECTIVES = ("list-table", "csv-table", "table")


def inline(text: str) -> str:
    """Inline markup reduced to its text."""
    text = _ROLE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _LITERAL.sub(r"\1", text)
    text = _REF.sub(r"\1", text)
    return text.replace("\\ ", "")


def load_rst(text: str) -> Document:
    """A reStructuredText file: its tables (with the heading above each) and its text."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(8).split("\n")
    reader = _Reader(lines)
    reader.read()
    body = "\n".join(reader.text)
    return Document(kind="rst", text=body, pages=[body], tables=reader.tables)


class _Reader:
    """Walks the lines once, collecting tables and the text outside them."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.tables: list[Table] = []
        self.text: list[str] = []
        self.heading = ""

    def read(self) -> None:
        i, lines = 0, self.lines
        while i < len(lines):
            line = lines[i]
            heading = _heading(lines, i)
            if heading:
                self.heading, i = heading
                self.text.append(self.heading)
                continue
            directive = _DIRECTIVE.match(line)
            if directive:
                i = self._directive(i, directive)
                continue
            if _COMMENT.match(line):
                i = _block_end(lines, i + 1, len(_COMMENT.match(line).group(1)))
                continue
            if GRID_BORDER.match(line):
                i = self._grid(i)
                continue
            if _SIMPLE_BORDER.match(line) and i + 1 < len(lines) and lines[i + 1].strip():
                i = self._simple(i)
                continue
            self.text.append(inline(line))
            if line.rstrip().endswith("::") and not directive:
                i = _block_end(lines, _skip_blank(lines, i + 1), _indent(line))
                continue
            i += 1

    def _add(self, rows: list[list[str]], title: str = "") -> None:
        rows = rectangular([[clean_cell(inline(c)) for c in r] for r in rows if any(r)])
        if rows and len(rows[0]) >= 2:
            self.tables.append(Table(rows=rows, name=f"table {len(self.tables) + 1}",
                                     context=self.heading or inline(title)))

    def _directive(self, i: int, m: re.Match[str]) -> int:
        indent, name, arg = len(m.group(1)), m.group(2).lower(), m.group(3)
        end = _block_end(self.lines, i + 1, indent)
        block = self.lines[i + 1:end]
        if name in _TABLE_DIRECTIVES:
            options, content = _options(block)
            if name == "list-table":
                rows = _list_table(content)
            elif name == "csv-table":
                rows = _csv_table(content, options)
            else:
                return i + 1        # `.. table::` wraps a grid or simple table: read on
            self._add(rows, arg)
            return end
        if name in _SKIPPED:
            return end
        self.text.append(inline(arg))
        return i + 1                # admonitions and the like: their text is text

    def _grid(self, i: int) -> int:
        j = i
        while j < len(self.lines) and self.lines[j].strip()[:1] in ("+", "|"):
            j += 1
        self._add(grid_rows(self.lines[i:j]))
        return j

    def _simple(self, i: int) -> int:
        rows, j = _simple_rows(self.lines, i)
        self._add(rows)
        return j


def _heading(lines: list[str], i: int) -> tuple[str, int] | None:
    """(title, next line) of a heading at line i: text underlined (and maybe overlined)."""
    line = lines[i]
    if _ADORN.match(line) and i + 2 < len(lines) and lines[i + 1].strip() \
            and lines[i + 2].strip() == line.strip() and not _ADORN.match(lines[i + 1]):
        return inline(lines[i + 1].strip()), i + 3
    if (line.strip() and not line[:1].isspace() and i + 1 < len(lines)
            and _ADORN.match(lines[i + 1]) and len(lines[i + 1].strip()) >= len(line.strip())
            and not _ADORN.match(line) and not _SIMPLE_BORDER.match(lines[i + 1])):
        return inline(line.strip()), i + 2
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _skip_blank(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def _block_end(lines: list[str], i: int, indent: int) -> int:
    """End of the block of lines indented deeper than `indent` (blank lines inside)."""
    while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > indent):
        i += 1
    return i


def _options(block: list[str]) -> tuple[dict[str, str], list[str]]:
    """A directive's `:option: value` lines, and the content after them."""
    options: dict[str, str] = {}
    k = 0
    while k < len(block) and (not block[k].strip() and not options or _OPTION.match(block[k])):
        m = _OPTION.match(block[k])
        if m:
            options[m.group(1).lower()] = m.group(2)
        k += 1
    return options, block[k:]


def _list_table(content: list[str]) -> list[list[str]]:
    """Rows of a list table: `* - a` starts a row, `- b` adds a cell, deeper lines continue."""
    rows: list[list[str]] = []
    cell_indent = None
    for line in content:
        s = line.strip()
        if not s:
            if rows and rows[-1]:
                rows[-1][-1] += "\n"
            continue
        ind = _indent(line)
        if s.startswith("* -") or s == "*":
            rows.append([s[3:].strip()] if s.startswith("* -") else [])
            cell_indent = ind + 2
        elif (s.startswith("- ") or s == "-") and rows and ind == cell_indent:
            rows[-1].append(s[1:].strip())
        elif rows and rows[-1]:
            rows[-1][-1] += ("\n" if rows[-1][-1].endswith("\n") else " ") + s
    return [[c.strip() for c in r] for r in rows]


def _csv_table(content: list[str], options: dict[str, str]) -> list[list[str]]:
    """Rows of a csv table, its `:header:` option first."""
    delim = options.get("delim", ",").strip() or ","
    delim = "\t" if delim == "tab" else " " if delim == "space" else delim[0]
    rows: list[list[str]] = []
    if "header" in options:
        rows.extend(csv.reader(io.StringIO(options["header"]), skipinitialspace=True))
    body = "\n".join(line.strip() for line in content if line.strip())
    rows.extend(csv.reader(io.StringIO(body), delimiter=delim, skipinitialspace=True))
    return rows


def grid_rows(lines: list[str]) -> list[list[str]]:
    """Rows of a grid table; a cell spanning columns fills each of them."""
    border = lines[0].strip()
    offset = _indent(lines[0])
    cuts = [k for k, ch in enumerate(border) if ch == "+"]
    rows: list[list[str]] = []
    current: list[list[str]] | None = None
    for line in lines[1:]:
        s = line[offset:].rstrip()
        if GRID_BORDER.match(line):
            if current is not None:
                rows.append([" ".join(" ".join(p).split()) for p in current])
            current = None
            continue
        if current is None:
            current = [[] for _ in range(len(cuts) - 1)]
        bounds = [k for k in range(len(cuts)) if cuts[k] < len(s) and s[cuts[k]] == "|"]
        for a, b in zip(bounds, bounds[1:]):
            text = s[cuts[a] + 1:cuts[b]].strip()
            for col in range(a, b):
                if text:
                    current[col].append(text)
    return rows


def _simple_rows(lines: list[str], i: int) -> tuple[list[list[str]], int]:
    """Rows of a simple table starting at border line i, and the line after it."""
    border = lines[i]
    spans = [(m.start(), m.end()) for m in re.finditer(r"=+", border)]
    rows: list[list[str]] = []
    j, borders = i + 1, 1
    while j < len(lines):
        line = lines[j]
        if _SIMPLE_BORDER.match(line):
            borders += 1
            j += 1
            if j >= len(lines) or not lines[j].strip() or borders >= 3:
                break
            continue
        if not line.strip():
            j += 1
            if j < len(lines) and not lines[j].strip():
                break
            continue
        cells = [line[a:spans[k + 1][0] if k + 1 < len(spans) else None].strip()
                 for k, (a, _) in enumerate(spans)]
        if rows and not cells[0] and borders >= 2:
            rows[-1] = [f"{p} {c}".strip() for p, c in zip(rows[-1], cells)]
        else:
            rows.append(cells)
        j += 1
    return rows, j
