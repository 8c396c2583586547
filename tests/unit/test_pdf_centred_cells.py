"""engine.formats.pdf.layout: borderless tables whose multi-line cells are vertically
centred on a one-line name (as spreadsheets export them) or aligned at the top."""

from __future__ import annotations

import pytest

from harness.fixtures import fixture_path
from engine.formats.pdf.read import _read_pages
from engine.formats.pdf.layout import aligned_tables

ROWS = [("Alpha term", "a_one", ["First line of a", "second line of a"]),
        ("Beta term", "b_two", ["Only line of b"]),
        ("Gamma term", "c_three", ["g one", "g two", "g three", "g four"]),
        ("Delta term", "d_four", ["d one", "d two", "d three"]),
        ("Epsilon", "e_five", ["e one", "e two"])]
XS = (50.0, 200.0, 350.0)
HEIGHT, PITCH, PADDING = 7.0, 10.6, 6.0


def run(x: float, top: float, text: str) -> tuple[float, float, float, float, str]:
    return (x, top - HEIGHT, x + 5 * len(text), top, text)


def page(centred: bool) -> list[tuple]:
    """Text runs of a page holding the table: a header line, then the rows."""
    runs = [run(XS[0], 760, "Term"), run(XS[1], 760, "Variable"), run(XS[2], 760, "Meaning")]
    y = 760 - HEIGHT - 2 * PADDING
    for term, name, lines in ROWS:
        height = (len(lines) - 1) * PITCH
        key = y - height / 2 if centred else y
        runs += [run(XS[0], key, term), run(XS[1], key, name)]
        runs += [run(XS[2], y - k * PITCH, text) for k, text in enumerate(lines)]
        y -= height + HEIGHT + 2 * PADDING
    return runs


@pytest.mark.parametrize("centred", [True, False])
def test_cells_go_back_to_their_row(centred):
    (rows, _), = aligned_tables(page(centred))
    assert rows[0] == ["Term", "Variable", "Meaning"]
    assert rows[1:] == [[term, name, "\n".join(lines)] for term, name, lines in ROWS]


def test_spreadsheet_export_with_centred_names():
    """The CMS dictionary read without its rules: each definition with its variable."""
    _, runs, _ = _read_pages(fixture_path("wild", "gov-table-pdf-cms-inpatient",
                                          "data_dictionary.pdf"), "cms.pdf")
    (rows, _), = aligned_tables(runs[0])
    assert rows[0] == ["Term Name", "Variable Name", "Definition"]
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["Rndrng_Prvdr_CCN"][2] == ("The CMS Certification Number (CCN) of the "
                                              "provider billing for\ninpatient hospital services.")
    assert by_name["Rndrng_Prvdr_RUCA"][0] == "Rendering Provider Rural-Urban Commuting\nArea Codes"
    assert by_name["Rndrng_Prvdr_State_Abrvtn"][2].endswith("\nphysically located.")
    assert by_name["Tot_Benes"][2].startswith("Total Medicare beneficiaries receiving services")
    assert by_name["Tot_Benes"][2].endswith("information available at the time of reporting.")
    assert by_name["Tot_Submtd_Cvrd_Chrg"][2].startswith("The total submitted charge")
    (rows, _), = aligned_tables(runs[1])
    by_name = {r[1]: r for r in rows}
    assert by_name["Bene_Male_Cnt"][2] == "Number of male beneficiaries."
    assert by_name["Bene_Race_Wht_Cnt"][2].startswith("Number of non-Hispanic white")
