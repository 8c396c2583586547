"""Tables laid side by side in one grid (engine/formats/bands.py): a spreadsheet printed two
tables wide to a ruled PDF page, a worksheet holding two tables next to each other.  The
repeated header cells split the grid into bands, each band into its tables; a grid that merely
has many columns stays whole."""

from __future__ import annotations

import openpyxl

from harness.fixtures import _pdfgen
from engine.formats.bands import split_bands
from engine.formats.pdf.read import load_pdf
from engine.parsers import parse_dictionary

HEAD = ["Column", "Kind", "Meaning", "Rules"]


def grid() -> list[list[str]]:
    """Two bands of four columns; the right band's first table starts two rows lower, and
    its second table's title sits beside a row of the left one."""
    e = ["", "", "", ""]
    left = [["Orders", "", "Main indexes: IX_orders", ""], HEAD,
            ["order_id", "BIGINT", "Unique order id", "PRIMARY KEY"],
            ["placed_on", "DATE", "Day the order was placed", ""],
            ["total_amt", "DECIMAL(9,2)", "Amount in euros", ""],
            ["Customers", "", "", ""], HEAD,
            ["cust_id", "INT", "Unique customer id", "PRIMARY KEY"],
            ["cust_name", "TEXT", "Full name", ""], e]
    right = [e, e, ["Items", "", "", ""], HEAD,
             ["item_id", "INT", "Unique item id", "PRIMARY KEY"],
             ["item_price", "DECIMAL(9,2)", "Unit price", "DEFAULT 0"],
             ["Shops", "", "", ""], HEAD,
             ["shop_id", "INT", "Unique shop id", "PRIMARY KEY"],
             ["shop_city", "TEXT", "City of the shop", ""]]
    return [a + b for a, b in zip(left, right)]


def test_bands_and_their_tables():
    tables = split_bands(grid())
    assert tables is not None
    assert [t[0][0] for t in tables] == [
        "Orders Main indexes: IX_orders", "Customers", "Items", "Shops"]
    assert all(t[1] == HEAD for t in tables)
    assert [[r[0] for r in t[2:]] for t in tables] == [
        ["order_id", "placed_on", "total_amt"], ["cust_id", "cust_name"],
        ["item_id", "item_price"], ["shop_id", "shop_city"]]


def test_headers_of_another_shape_repeated():
    """Two code lists side by side under `Code | Label`, on one header row."""
    rows = [["Code", "Label", "Code", "Label"], ["1", "Yes", "1", "Agree"],
            ["2", "No", "2", "Disagree"], ["9", "Refused", "", ""]]
    tables = split_bands(rows)
    assert tables == [[["Code", "Label"], ["1", "Yes"], ["2", "No"], ["9", "Refused"]],
                      [["Code", "Label"], ["1", "Agree"], ["2", "Disagree"]]]


def test_wide_tables_stay_whole():
    wide_header = [["Variable", "Label", "Type", "Min", "Max", "Unit", "Source", "Notes"]] + [
        [f"v{i}", f"Label {i}", "Numeric", "0", str(i), "kg", "Survey", ""] for i in range(8)]
    # answers repeated down a data table: the same pair at two offsets on most rows
    data = [["id", "q1", "q2", "q3", "q4"]] + [
        [str(i), "Yes", "No", "Yes", "No"] if i % 2 else [str(i), "No", "Yes", "No", "Yes"]
        for i in range(10)]
    # a stub column of row labels before repeated sub-headers: one table of statistics
    stats = [["", "Men", "", "Women", ""], ["Group", "Count", "Share", "Count", "Share"],
             ["18-24", "10", "5%", "12", "6%"], ["25-34", "20", "10%", "18", "9%"]]
    # header words repeated as values under themselves
    echo = [["Status", "Reason", "Status", "Reason"], ["Status", "Reason", "open", "late"],
            ["closed", "done", "Status", "Reason"], ["open", "late", "closed", "done"]]
    for rows in (wide_header, data, stats, echo):
        assert split_bands(rows) is None, rows[0]


def _ruled_pdf(rows: list[list[str]], widths: list[float]) -> bytes:
    """One page with `rows` in a grid ruled on every cell border."""
    pdfgen = _pdfgen()
    xs = [30.0]
    for w in widths:
        xs.append(xs[-1] + w)
    top, pitch = 740.0, 16.0
    items, lines = [], []
    for r, row in enumerate(rows):
        y = top - pitch * r
        items += [(xs[c] + 3, y - 12, text) for c, text in enumerate(row) if text]
    bottom = top - pitch * len(rows)
    lines += [(xs[0], top - pitch * r, xs[-1], top - pitch * r) for r in range(len(rows) + 1)]
    lines += [(x, top, x, bottom) for x in xs]
    return pdfgen.pdf_bytes([pdfgen.text_ops(items, size=7) + pdfgen.line_ops(lines)])


def test_ruled_pdf_of_side_by_side_tables(tmp_path):
    path = tmp_path / "schema.pdf"
    path.write_bytes(_ruled_pdf(grid(), [60, 55, 90, 55] * 2))
    doc = load_pdf(path, path.name)
    assert [t.rows[1] for t in doc.tables] == [HEAD] * 4
    names = {f.name for f in parse_dictionary(path).schema.fields}
    assert names == {"order_id", "placed_on", "total_amt", "cust_id", "cust_name",
                     "item_id", "item_price", "shop_id", "shop_city"}


def test_ruled_pdf_of_one_wide_table(tmp_path):
    rows = [["Variable", "Label", "Type", "Min", "Max", "Unit", "Source", "Notes"]] + [
        [f"v{i}", f"Label {i}", "Numeric", "0", str(i + 1), "kg", "Survey", "none"]
        for i in range(6)]
    path = tmp_path / "wide.pdf"
    path.write_bytes(_ruled_pdf(rows, [50] * 8))
    doc = load_pdf(path, path.name)
    assert len(doc.tables) == 1 and len(doc.tables[0].rows[0]) == 8


def test_workbook_with_tables_next_to_each_other(tmp_path):
    """Two dictionary tables on one sheet, an empty column between them."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Variable", "Description", None, "Variable", "Description"])
    ws.append(["age", "Age in years", None, "region", "Region of residence"])
    ws.append(["sex", "Sex of the person", None, "income", "Monthly income in euros"])
    ws.append(["educ", "Highest school level", None, None, None])
    path = tmp_path / "codebook.xlsx"
    wb.save(path)
    fields = {f.name: f for f in parse_dictionary(path).schema.fields}
    assert set(fields) == {"age", "sex", "educ", "region", "income"}
    assert fields["income"].description == "Monthly income in euros"


def test_borderless_pdf_of_side_by_side_tables(tmp_path):
    """Without rules, each band's rows start at its own name column: a right-band row beside
    an empty left band is no continuation of the left band's row above."""
    pdfgen = _pdfgen()
    xs = [30, 95, 160, 260, 320, 385, 450, 550]
    items = [(xs[c], 740 - 14 * r, text) for r, row in enumerate(grid())
             for c, text in enumerate(row) if text]
    path = tmp_path / "schema.pdf"
    path.write_bytes(pdfgen.pdf_bytes([pdfgen.text_ops(items, size=7)]))
    tables = load_pdf(path, path.name).tables
    assert [t.rows[0][0] for t in tables] == [
        "Orders Main indexes: IX_orders", "Customers", "Items", "Shops"]
    assert tables[-1].rows[2:] == [["shop_id", "INT", "Unique shop id", "PRIMARY KEY"],
                                   ["shop_city", "TEXT", "City of the shop", ""]]
