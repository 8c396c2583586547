"""Hostile and broken input files, made in seconds, small on disk; shared by tests and the bench.

Each `Case` names a file maker, how the file is used (a dictionary to parse, a dataset to
profile, or a pair to analyze) and a regular expression the user's message must match.  Sizes
that matter are the ones a reader would expand to (gigabytes inside a ZIP of a few MB); the
ones written to disk stay small unless `big` asks for the full-size variant (the bench's).
"""

from __future__ import annotations

import gzip
import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..processes import ROOT
from .zipcraft import repeated, small, write_zip

GIB = 1 << 30
MIB = 1 << 20
_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass
class Case:
    """One hostile input and the message expected for it."""

    name: str
    kind: str                                   # "parse" | "profile" | "analyze"
    make: Callable[[Path, bool], list[Path]]    # (directory, big) -> the file(s)
    expect: str                                 # regex the message (or a warning) must match
    warning: bool = False                       # a warning on success rather than an error


# ---- XLSX / DOCX skeletons -----------------------------------------------------------------
def _xlsx_parts(sheet_member, shared=None, *, doctype: str = "") -> list:
    """The members of a one-sheet workbook around a given sheet (and shared strings) member."""
    ct_over = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
               'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
               if shared is not None else "")
    members = [
        small("[Content_Types].xml",
              '<?xml version="1.0" encoding="UTF-8"?>' + doctype +
              '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
              'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
              '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxml'
              'formats-officedocument.spreadsheetml.sheet.main+xml"/>'
              '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
              'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' + ct_over +
              '</Types>'),
        small("_rels/.rels",
              '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
              'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
              'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        small("xl/workbook.xml",
              f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<workbook xmlns="{_SHEET_NS}" '
              f'xmlns:r="{_REL_NS}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
              '</sheets></workbook>'),
        small("xl/_rels/workbook.xml.rels",
              '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
              'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
              'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'worksheet" Target="worksheets/sheet1.xml"/>'
              + ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/office'
                 'Document/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                 if shared is not None else "") + '</Relationships>'),
        sheet_member,
    ]
    if shared is not None:
        members.append(shared)
    return members


def _sheet(name_cells: str, tail: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_SHEET_NS}">'
            f'<sheetData>{name_cells}</sheetData>{tail}</worksheet>')


_HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c>'
               '<c r="B1" t="inlineStr"><is><t>description</t></is></c></row>')
_SHEET_HEAD = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_SHEET_NS}">'
               f'<sheetData>{_HEADER_ROW}')
_SHEET_TAIL = "</sheetData></worksheet>"


def xlsx_shared_strings(name: str, size: int) -> Callable[[Path, bool], list[Path]]:
    """A workbook whose shared-string table holds `size` bytes of `<si><t>0</t></si>`: 2 GiB
    (a bomb, beyond the size bound) or 100 MB (under it, but six million strings)."""
    def make(d: Path, big: bool) -> list[Path]:
        shared = repeated("xl/sharedStrings.xml",
                          f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_SHEET_NS}">',
                          "<si><t>0</t></si>", size, "</sst>")
        sheet = small("xl/worksheets/sheet1.xml", _sheet(
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>0</v></c></row>'))
        return [write_zip(d / name, _xlsx_parts(sheet, shared))]
    return make


def xlsx_rows_bomb(d: Path, big: bool) -> list[Path]:
    """A sheet of 2 GiB of `<row>` elements, each with one numeric cell."""
    sheet = repeated("xl/worksheets/sheet1.xml", _SHEET_HEAD, '<row><c><v>1</v></c></row>',
                     2 * GIB, _SHEET_TAIL)
    return [write_zip(d / "rows_bomb.xlsx", _xlsx_parts(sheet))]


def xlsx_row_count(d: Path, big: bool) -> list[Path]:
    """160 MiB of sheet XML (under the size bound) holding 6.4 million cells."""
    sheet = repeated("xl/worksheets/sheet1.xml", _SHEET_HEAD, '<row><c><v>1</v></c></row>',
                     160 * MIB, _SHEET_TAIL)
    return [write_zip(d / "many_rows.xlsx", _xlsx_parts(sheet))]


def xlsx_sparse_wide(d: Path, big: bool) -> list[Path]:
    """2,000 cells in columns A and XFD of 1,000 rows: read row by row, 16 million values."""
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>1</v></c><c r="XFD{i}"><v>1</v></c></row>'
                   for i in range(2, 1002))
    sheet = small("xl/worksheets/sheet1.xml", _SHEET_HEAD + rows + _SHEET_TAIL)
    return [write_zip(d / "sparse_wide.xlsx", _xlsx_parts(sheet))]


def xlsx_big_cell(d: Path, big: bool) -> list[Path]:
    """One inline-string cell of 2 GiB."""
    sheet = repeated("xl/worksheets/sheet1.xml",
                     _SHEET_HEAD + '<row r="2"><c r="A2" t="inlineStr"><is><t>', "A", 2 * GIB,
                     "</t></is></c></row>" + _SHEET_TAIL)
    return [write_zip(d / "big_cell.xlsx", _xlsx_parts(sheet))]


def xlsx_long_cell(d: Path, big: bool) -> list[Path]:
    """One inline-string cell of 60 MB (the part is under the size bound)."""
    sheet = repeated("xl/worksheets/sheet1.xml",
                     _SHEET_HEAD + '<row r="2"><c r="A2" t="inlineStr"><is><t>', "A", 60 * MIB,
                     "</t></is></c></row>" + _SHEET_TAIL)
    return [write_zip(d / "long_cell.xlsx", _xlsx_parts(sheet))]


def xlsx_lying_header(d: Path, big: bool) -> list[Path]:
    """A sheet whose ZIP headers claim 2 KB while its data inflates to 1 GiB."""
    sheet = repeated("xl/worksheets/sheet1.xml", _SHEET_HEAD, '<row><c><v>1</v></c></row>',
                     GIB, _SHEET_TAIL, declared=2048)
    return [write_zip(d / "lying_header.xlsx", _xlsx_parts(sheet))]


_ENTITY_DOCTYPE = ('<!DOCTYPE workbook [<!ENTITY a "aaaaaaaaaa">'
                   + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                             for i in range(8)) + ']>')


def xlsx_entities(d: Path, big: bool) -> list[Path]:
    """A workbook whose parts declare XML entities (a billion-laughs DTD)."""
    sheet = small("xl/worksheets/sheet1.xml",
                  '<?xml version="1.0" encoding="UTF-8"?>' + _ENTITY_DOCTYPE.replace(
                      "workbook", "worksheet") +
                  f'<worksheet xmlns="{_SHEET_NS}"><sheetData>{_HEADER_ROW}'
                  '<row r="2"><c r="A2" t="inlineStr"><is><t>&i;</t></is></c></row>'
                  '</sheetData></worksheet>')
    return [write_zip(d / "entities.xlsx", _xlsx_parts(sheet, doctype=_ENTITY_DOCTYPE))]


def xlsx_merge_bomb(d: Path, big: bool) -> list[Path]:
    """A tiny sheet whose merged ranges would fill a hundred million cells."""
    merges = "".join(f'<mergeCell ref="A{1 + i * 100}:ALL{100 + i * 100}"/>' for i in range(1000))
    sheet = small("xl/worksheets/sheet1.xml", _sheet(
        "".join(f'<row r="{1 + i * 100}"><c r="A{1 + i * 100}" t="inlineStr"><is><t>v{i}</t>'
                "</is></c></row>" for i in range(1000)),
        f'<mergeCells count="1000">{merges}</mergeCells>'))
    return [write_zip(d / "merge_bomb.xlsx", _xlsx_parts(sheet))]


def xlsx_dictionary_beside_data(d: Path, big: bool) -> list[Path]:
    """A workbook whose first sheet is a 38-variable dictionary and whose second holds 2.4
    million cells of data (30 MB of XML)."""
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>var{i}</t></is></c>'
                   f'<c r="B{i}" t="inlineStr"><is><t>Variable number {i}</t></is></c></row>'
                   for i in range(2, 40))
    sheets = [small("xl/worksheets/sheet1.xml", _sheet(_HEADER_ROW + rows)),
              repeated("xl/worksheets/sheet2.xml", _SHEET_HEAD,
                       "<row><c><v>1</v></c><c><v>2</v></c></row>", 30 * MIB, _SHEET_TAIL)]
    parts = _xlsx_parts(sheets[0])
    rel = ('<Relationship Id="rId{0}" Type="http://schemas.openxmlformats.org/officeDocument/'
           '2006/relationships/worksheet" Target="worksheets/sheet{0}.xml"/>')
    parts[2] = small("xl/workbook.xml",
                     f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_SHEET_NS}" '
                     f'xmlns:r="{_REL_NS}"><sheets><sheet name="Dictionary" sheetId="1" '
                     'r:id="rId1"/><sheet name="Data" sheetId="2" r:id="rId2"/></sheets>'
                     '</workbook>')
    parts[3] = small("xl/_rels/workbook.xml.rels",
                     '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
                     'schemas.openxmlformats.org/package/2006/relationships">'
                     + rel.format(1) + rel.format(2) + "</Relationships>")
    return [write_zip(d / "dictionary_and_data.xlsx", [*parts, sheets[1]])]


def docx_huge_document(d: Path, big: bool) -> list[Path]:
    """A Word document whose document.xml inflates to 2 GiB."""
    return [_docx(d / "huge_document.docx", 2 * GIB)]


def docx_many_elements(d: Path, big: bool) -> list[Path]:
    """A Word document whose document.xml (100 MB, under the size bound) holds 8 million
    elements: as a tree, over a gigabyte."""
    return [_docx(d / "many_elements.docx", 100 * MIB)]


def _docx(path: Path, size: int) -> Path:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = repeated("word/document.xml",
                    f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>',
                    "<w:p><w:r><w:t>x</w:t></w:r></w:p>", size, "</w:body></w:document>")
    members = [
        small("[Content_Types].xml",
              '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxml'
              'formats.org/package/2006/content-types"><Default Extension="rels" ContentType='
              '"application/vnd.openxmlformats-package.relationships+xml"/><Default Extension='
              '"xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
              'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
              'document.main+xml"/></Types>'),
        small("_rels/.rels",
              '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
              'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
              '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/office'
              'Document" Target="word/document.xml"/></Relationships>'),
        body,
    ]
    return write_zip(path, members)


# ---- compressed files ------------------------------------------------------------------------
def gzip_bomb(name: str) -> Callable[[Path, bool], list[Path]]:
    """A .gz of CSV-looking text that inflates to 300 MiB (3 GiB when big): the same gzip
    member, 1 MiB inflated and a few KB deflated, written again and again."""
    def make(d: Path, big: bool) -> list[Path]:
        member = gzip.compress(b"1,2\n" * (MIB // 4), compresslevel=9)
        path = d / name
        with path.open("wb") as out:
            for _ in range(3000 if big else 300):
                out.write(member)
        return [path]
    return make


def zip_bomb_dataset(d: Path, big: bool) -> list[Path]:
    """A ZIP archive of one CSV that inflates to 2 GiB (refused by its declared size)."""
    return [write_zip(d / "data.zip", [repeated("data.csv", "a,b\n", "1,2\n", 2 * GIB)])]


# ---- text, JSON, YAML, XML -----------------------------------------------------------------
def yaml_alias_bomb(d: Path, big: bool) -> list[Path]:
    """Nine levels of lists of nine aliases: 376 bytes that expand to 387 million nodes."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{cur}: &{cur} [" + ",".join(f"*{prev}" for _ in range(9)) + "]")
    lines.append("fields: [{name: x, description: *i}]")
    path = d / "alias_bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    return [path]


def json_deep(d: Path, big: bool) -> list[Path]:
    """A JSON object nested 100,000 deep."""
    n = 100_000
    path = d / "deep.json"
    path.write_text('{"fields": ' + '{"a": ' * n + "1" + "}" * n + "}")
    return [path]


def json_many_values(d: Path, big: bool) -> list[Path]:
    """A flat JSON array of six million numbers (12 MB) as a dataset."""
    path = d / "many_values.json"
    with open(path, "w") as fh:
        fh.write("[" + "1," * 6_000_000 + "1]")
    return [path]


def csv_many_cells(d: Path, big: bool) -> list[Path]:
    """A 4 MB CSV 'dictionary' of two million cells."""
    path = d / "many_cells.csv"
    row = ",".join(["a"] * 20) + "\n"
    path.write_text("name," + ",".join(f"c{i}" for i in range(19)) + "\n" + row * 100_000)
    return [path]


def json_deep_dataset(d: Path, big: bool) -> list[Path]:
    """A JSON array nested 100,000 deep, as a dataset."""
    n = 100_000
    path = d / "deep_data.json"
    path.write_text("[" * n + "]" * n)
    return [path]


def xml_entity_bomb(d: Path, big: bool) -> list[Path]:
    """A billion-laughs XML file whose DTD hides behind a long comment."""
    path = d / "entity_bomb.xml"
    path.write_text('<?xml version="1.0"?>\n<!-- ' + "codebook " * 200_000 + "-->\n"
                    + _ENTITY_DOCTYPE.replace("workbook", "codeBook")
                    + '\n<codeBook xmlns="ddi:codebook:2_5"><dataDscr><var name="x">'
                    "<labl>&i;</labl></var></dataDscr></codeBook>\n")
    return [path]


def long_line(name: str, size_small: int, size_big: int) -> Callable[[Path, bool], list[Path]]:
    """A file that is one line of `size` bytes (a header line first)."""
    def make(d: Path, big: bool) -> list[Path]:
        path = d / name
        with open(path, "wb") as fh:
            fh.write(b"name,description\n")
            left = size_big if big else size_small
            block = b"x" * MIB
            while left > 0:
                fh.write(block[:left])
                left -= MIB
            fh.write(b"\n")
        return [path]
    return make


def random_bytes(name: str) -> Callable[[Path, bool], list[Path]]:
    """Random bytes under a text extension (no NUL bytes in the first few KiB)."""
    def make(d: Path, big: bool) -> list[Path]:
        rng = random.Random(21)
        data = bytes(rng.randrange(1, 256) for _ in range(200_000))
        path = d / name
        path.write_bytes(data)
        return [path]
    return make


def wide_csv(name: str, columns: int) -> Callable[[Path, bool], list[Path]]:
    """A CSV file with `columns` columns and three rows."""
    def make(d: Path, big: bool) -> list[Path]:
        header = ",".join(f"c{i}" for i in range(columns))
        row = ",".join(str(i % 7) for i in range(columns))
        path = d / name
        path.write_text("\n".join([header, row, row, row]) + "\n")
        return [path]
    return make


def mixed_encoding(d: Path, big: bool) -> list[Path]:
    """A dictionary whose lines mix UTF-8 and Windows-1252 bytes."""
    rows = [("name", "description")]
    rows += [(f"v{i}", "Café crème" if i % 2 else "Crème brûlée") for i in range(1, 11)]
    data = b""
    for i, (a, b) in enumerate(rows):
        line = f"{a},{b}\n"
        data += line.encode("cp1252" if i % 3 == 0 and i else "utf-8")
    path = d / "mixed_encoding.csv"
    path.write_bytes(data)
    return [path]


def html_span_bomb(d: Path, big: bool) -> list[Path]:
    """A small HTML table whose colspans and rowspans would fill a hundred million cells."""
    rows = "".join('<tr><td colspan="1000" rowspan="1000">x</td></tr>' for _ in range(1000))
    path = d / "span_bomb.html"
    path.write_text(f"<html><body><table>{rows}</table></body></html>")
    return [path]


def deep_logic(d: Path, big: bool) -> list[Path]:
    """A REDCap dictionary with 10,000 nested parentheses in one branching-logic cell, and data."""
    here = ROOT / "tests" / "fixtures" / "edge"     # (a checkout's test fixtures)
    lines = (here / "check_redcap_dictionary.csv").read_text().splitlines()
    logic = "(" * 10_000 + "[age] > 1" + ")" * 10_000
    out = []
    for line in lines:
        if line.startswith("pregnant,"):
            line = line.replace("[sex] = '2' and [age] >= 12", logic)
        out.append(line)
    dictionary = d / "deep_logic_dictionary.csv"
    dictionary.write_text("\n".join(out) + "\n")
    data = d / "deep_logic_data.csv"
    data.write_bytes((here / "check_redcap_data.csv").read_bytes())
    return [data, dictionary]


CASES: list[Case] = [
    Case("yaml-alias-bomb", "parse", yaml_alias_bomb, r"CODEBOOK_MAX_YAML_NODES"),
    Case("xlsx-shared-strings-bomb", "parse",
         xlsx_shared_strings("shared_strings_bomb.xlsx", 2 * GIB),
         r"CODEBOOK_MAX_UNZIPPED_SIZE"),
    Case("xlsx-many-shared-strings", "parse",
         xlsx_shared_strings("many_shared_strings.xlsx", 100 * MIB),
         r"CODEBOOK_MAX_DICTIONARY_CELLS"),
    Case("xlsx-merge-bomb", "parse", xlsx_merge_bomb, r"CODEBOOK_MAX_DICTIONARY_CELLS"),
    Case("xlsx-sparse-wide-dictionary", "parse", xlsx_sparse_wide,
         r"CODEBOOK_MAX_DICTIONARY_CELLS"),
    Case("xlsx-entities-dictionary", "parse", xlsx_entities, r"declares XML entities"),
    Case("xlsx-long-cell-dictionary", "parse", xlsx_long_cell, r"CODEBOOK_MAX_LINE_LENGTH"),
    Case("xlsx-lying-header-dictionary", "parse", xlsx_lying_header,
         r"damaged and cannot be unpacked \(Bad CRC-32"),
    Case("docx-huge-document", "parse", docx_huge_document, r"CODEBOOK_MAX_UNZIPPED_SIZE"),
    Case("docx-many-elements", "parse", docx_many_elements, r"CODEBOOK_MAX_DICTIONARY_CELLS"),
    Case("csv-many-cells", "parse", csv_many_cells, r"CODEBOOK_MAX_DICTIONARY_CELLS"),
    Case("json-deep", "parse", json_deep, r"CODEBOOK_MAX_NESTING"),
    Case("xml-entity-bomb", "parse", xml_entity_bomb, r"declares XML entities"),
    Case("long-line-dictionary", "parse", long_line("long_line.csv", 20 * MIB, 200 * MIB),
         r"CODEBOOK_MAX_LINE_LENGTH"),
    Case("random-bytes-dictionary", "parse", random_bytes("random.csv"), r"binary|not text"),
    Case("html-span-bomb", "parse", html_span_bomb, r"CODEBOOK_MAX_DICTIONARY_CELLS"),
    Case("mixed-encoding", "parse", mixed_encoding, r"mixes UTF-8 and Windows-1252",
         warning=True),
    Case("mixed-encoding-dataset", "profile", mixed_encoding, r"mixes UTF-8 and Windows-1252",
         warning=True),
    Case("xlsx-rows-bomb", "profile", xlsx_rows_bomb, r"CODEBOOK_MAX_UNZIPPED_SIZE"),
    Case("xlsx-many-rows", "profile", xlsx_row_count, r"CODEBOOK_MAX_CELLS"),
    Case("xlsx-many-shared-strings-dataset", "profile",
         xlsx_shared_strings("many_shared_strings.xlsx", 100 * MIB),
         r"CODEBOOK_MAX_CELLS"),
    Case("xlsx-big-cell", "profile", xlsx_big_cell, r"CODEBOOK_MAX_UNZIPPED_SIZE"),
    Case("xlsx-sparse-wide", "profile", xlsx_sparse_wide, r"CODEBOOK_MAX_CELLS"),
    Case("xlsx-long-cell", "profile", xlsx_long_cell, r"CODEBOOK_MAX_LINE_LENGTH"),
    Case("xlsx-lying-header", "profile", xlsx_lying_header,
         r"damaged and cannot be unpacked \(Bad CRC-32"),
    Case("xlsx-entities", "profile", xlsx_entities, r"declares XML entities"),
    Case("random-bytes-dataset", "profile", random_bytes("random_data.csv"), r"binary|not text"),
    Case("long-line-dataset", "profile", long_line("long_line_data.csv", 20 * MIB, 200 * MIB),
         r"CODEBOOK_MAX_LINE_LENGTH"),
    Case("wide-csv", "profile", wide_csv("wide.csv", 100_000), r"CODEBOOK_MAX_COLUMNS"),
    Case("json-deep-dataset", "profile", json_deep_dataset, r"CODEBOOK_MAX_NESTING"),
    Case("json-many-values", "profile", json_many_values, r"CODEBOOK_MAX_CELLS"),
    Case("deep-logic", "analyze", deep_logic, r"CODEBOOK_MAX_LOGIC_DEPTH", warning=True),
    Case("gzip-bomb-dictionary", "parse", gzip_bomb("dictionary.csv.gz"),
         r"CODEBOOK_MAX_UNZIPPED_SIZE"),
    Case("gzip-bomb-dataset", "profile", gzip_bomb("data.csv.gz"), r"CODEBOOK_MAX_UNZIPPED_SIZE"),
    Case("zip-bomb-dataset", "profile", zip_bomb_dataset, r"CODEBOOK_MAX_UNZIPPED_SIZE"),
]


def by_name(name: str) -> Case:
    """The case with this name."""
    return next(c for c in CASES if c.name == name)


def make_all(directory: Path, big: bool = False) -> dict[str, list[Path]]:
    """Every case's files under `directory` (one sub-directory per case)."""
    out = {}
    for case in CASES:
        sub = directory / case.name
        os.makedirs(sub, exist_ok=True)
        out[case.name] = case.make(sub, big)
    return out
