"""A report that leads with the problems (issue #20): the order of the Markdown and HTML reports
and of the fields table, the absent fields in one line with their list folded, a dictionary
that describes more than the data says so; charts legible as the app shows them; the flagged
workbook's frozen header; the labelled Parquet's types.

Fixtures: house-prices (79 fields, all in the data, 8 failing), college-scorecard (1,977
fields in 10 sections, 60 in the data's first 1,000 rows)."""

from __future__ import annotations

import re

import pyarrow.parquet as pq
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from openpyxl import load_workbook

from harness.fixtures import fixture_path
from engine.analyze import analyze_files
from engine.model import Category, Field, Schema
from engine.report.markdown import ABSENT_LISTED


@pytest.fixture(scope="module")
def houses():
    return analyze_files(fixture_path("house-prices", "train.csv"),
                         fixture_path("house-prices", "data_description.txt"))


@pytest.fixture(scope="module")
def scorecard():
    return analyze_files(fixture_path("college-scorecard", "College-scorecard-reduced.csv"),
                         fixture_path("college-scorecard", "CollegeScorecardDataDictionary.xlsx"))


def _first_passing(analysis) -> str:
    return analysis.report["passing"][0]


# ---- the JSON report: what the others render ------------------------------------------------
def test_problems_are_ranked_by_rows_affected(houses):
    problems = houses.report["problems"]
    rows = [p["rows_affected"] for p in problems]
    assert rows == sorted(rows, reverse=True)
    assert [p["field"] for p in problems[:2]] == ["LotFrontage", "Neighborhood"]
    assert problems[0] | {} == {**problems[0], "rows_affected": 259, "percent": 17.74,
                                "kinds": ["type"]}
    # the keys clients read are still there, in dictionary order
    assert [f["name"] for f in houses.report["fields"][:2]] == ["MSSubClass", "MSZoning"]
    assert houses.report["absent"]["count"] == 0 and houses.report["scope"] is None


def test_rows_affected_counts_a_row_once_across_kinds(tmp_path):
    schema = Schema([Field("age", type="integer", constraints={"maximum": 5})])
    data = tmp_path / "d.csv"
    data.write_text("age\n1\nx\n9\n7\n2\n")
    schema_path = tmp_path / "s.json"
    schema_path.write_text(__import__("json").dumps(schema.to_descriptor()))
    report = analyze_files(data, schema_path).report
    assert report["problems"][0]["rows_affected"] == 3       # 'x' (type), 9 and 7 (maximum)


def test_a_dictionary_of_several_sections_says_so(scorecard):
    r = scorecard.report
    assert r["absent"] == {"count": 1917, "fields_total": 1977,
                           "line": "1,917 of 1,977 dictionary fields are not in this dataset."}
    scope = r["scope"]
    assert scope["by"] == "section" and scope["groups"] == 10
    assert [g["name"] for g in scope["other"]] == ["completion", "academics", "earnings"]
    assert "may describe several tables" in scope["message"]
    null = r["missing_value_hints"][0]
    assert null["value"] == "NULL" and len(null["fields"]) > 30


def test_resources_of_a_data_package_are_tables(tmp_path):
    import json

    fields = [{"name": n, "type": "integer", "resource": res}
              for res, names in (("orders", ["order_id", "qty"]),
                                 ("customers", ["customer_id", "age"])) for n in names]
    path = tmp_path / "package.schema.json"
    path.write_text(json.dumps({"fields": fields}))
    data = tmp_path / "orders.csv"
    data.write_text("order_id,qty\n1,2\n2,3\n")
    scope = analyze_files(data, path).report["scope"]
    assert scope["several_tables"] and scope["by"] == "resource"
    assert scope["message"].startswith("The dictionary describes 2 tables; this dataset "
                                       "matches orders (2 of 2)")


# ---- Markdown ---------------------------------------------------------------------------------
def test_markdown_leads_with_the_verdict_counts_and_problems(houses):
    md = houses.to_markdown()
    lines = md.splitlines()
    assert lines[2] == "**8 of 79 matched fields have problems (742 violations).**"
    assert lines[4].startswith("| rows | columns | dictionary fields |")
    first_problem = md.index("### 1. LotFrontage — 259 rows (17.74%)")
    assert first_problem < md.index(f"| {_first_passing(houses)} |")
    assert md.index("## Problems") < md.index("## Column matching") < \
        md.index("## Passing fields (71)") < md.index("## Dataset checks")
    assert "`NA` looks like a missing-value marker" in md[:first_problem]
    assert "rows 8, 13, 15, 17, 25, 32, 43, 44, 51, 65 … (all 'NA')" in md


def test_markdown_of_scorecard_folds_the_absent_fields(scorecard):
    md = scorecard.to_markdown()
    head = md[:md.index("## Problems")]
    assert "1,917 of 1,977 dictionary fields are not in this dataset (listed at the end)." \
        in head
    assert "None of the fields of 3 sections is here: completion (1,218 fields)" in head
    # the absent list comes last, cut after ABSENT_LISTED names
    last = md[md.index("## Not in this dataset"):]
    assert md.index(f"| {_first_passing(scorecard)} |") < md.index("## Not in this dataset")
    assert last.count("`") // 2 == ABSENT_LISTED
    assert f"and {1917 - ABSENT_LISTED:,} more" in last
    assert len(md) < 40_000                   # was 179,000 characters, every field in a table
    folded = scorecard.to_markdown(folds=True)
    assert "<details><summary>1,917 of 1,977 dictionary fields are not in this dataset." \
           "</summary>" in folded
    passing = len(scorecard.report["passing"])
    assert f"<details><summary>Passing fields ({passing})</summary>" in folded


# ---- HTML --------------------------------------------------------------------------------------
def test_html_order_problems_charts_then_folded_passing_and_absent(scorecard):
    page = scorecard.to_html()
    first_problem = page.index("class='problem'")
    charts = page.index("<h2 id='charts'>")
    passing = page.index("<details id='passing'>")
    first_passing = page.index(f"<td>{_first_passing(scorecard)}</td>")
    absent = page.index("<p id='absent'>1,917 of 1,977 dictionary fields are not in this "
                        "dataset.</p><details>")
    assert page.index("id='verdict'") < page.index("id='counts'") < first_problem < charts \
        < passing < first_passing < absent
    # the absent list: one line, the names folded after it
    assert page.index("<code>CIP01CERT1</code>") > absent
    ranked = re.findall(r"<div class='problem' data-field='([^']+)'><h3>\d+\. [^<]+ — ([\d,]+) "
                        r"rows?", page)
    counts = [int(n.replace(",", "")) for _, n in ranked]
    assert len(ranked) == scorecard.report["summary"]["fields_with_problems"]
    assert counts == sorted(counts, reverse=True)


def test_html_of_house_prices_puts_the_first_problem_above_the_first_passing_field(houses):
    page = houses.to_html()
    assert page.index("data-field='LotFrontage'") < page.index("<details id='passing'>") < \
        page.index(f"<td>{_first_passing(houses)}</td>")
    assert "<p id='absent'>" not in page                 # every field is in the data


def test_fields_table_lists_problems_first(houses):
    table = houses.fields_table()
    assert [r[0] for r in table[:2]] == ["LotFrontage", "Neighborhood"]
    statuses = [r[3] for r in table]
    assert statuses == ["fail"] * 8 + ["pass"] * 71


# ---- charts as gr.Plot shows them (saved as drawn, no tight bounding box) ----------------------
def _outside(fig) -> list[str]:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    cut = []
    for ax in fig.axes:
        texts = [ax.title, ax.xaxis.label, ax.yaxis.label]
        for labels, ticks, (lo, hi) in ((ax.get_xticklabels(), ax.get_xticks(), ax.get_xlim()),
                                        (ax.get_yticklabels(), ax.get_yticks(), ax.get_ylim())):
            texts += [t for t, x in zip(labels, ticks) if min(lo, hi) <= x <= max(lo, hi)]
        for t in texts:
            if t.get_text() and t.get_visible():
                e = t.get_window_extent(renderer)
                if e.x0 < -1 or e.y0 < -1 or e.x1 > width + 1 or e.y1 > height + 1:
                    cut.append(t.get_text())
    return cut


def test_chart_labels_fit_inside_the_figure(houses):
    figures = houses.figures()
    assert "field:Neighborhood" in figures
    assert {title: _outside(fig) for title, fig in figures.items()} == \
        {title: [] for title in figures}


# ---- downloads ---------------------------------------------------------------------------------
def test_flagged_workbook_freezes_its_header(houses, tmp_path):
    from engine.report import write_flagged_xlsx

    path = write_flagged_xlsx(houses.table, houses.result, tmp_path / "f.xlsx")
    data = load_workbook(path)["data"]
    assert data.freeze_panes == "A2"
    header = [c.value for c in data[1]]
    lot = data.cell(row=1 + 8, column=header.index("LotFrontage") + 1)   # data row 8: NA
    assert lot.value == "NA" and lot.fill.fgColor.rgb.endswith("FFC7CE")
    assert "type: not a number" in lot.comment.text
    assert data.cell(row=2, column=header.index("LotFrontage") + 1).value == 65


def test_labelled_parquet_keeps_numbers_numeric(tmp_path):
    schema = Schema([Field("id", type="integer"), Field("height", type="number"),
                     Field("sex", type="integer", categories=[Category("1", "Male"),
                                                              Category("2", "Female")],
                           missing_values=[Category("9", "Refused")]),
                     Field("score", type="integer", missing_values=[Category("-9", "Refused")]),
                     Field("zip", type="string")])
    data = tmp_path / "d.csv"
    data.write_text("id,height,sex,score,zip,extra\n1,1.5,1,10,01234,7\n2,,2,-9,35762,8\n"
                    "3,1.75,9,12,99501,\n")
    path = tmp_path / "s.json"
    path.write_text(__import__("json").dumps(schema.to_descriptor()))
    paths = analyze_files(data, path).write_downloads(tmp_path / "out")
    table = pq.read_table(paths["labelled_parquet"])
    types = {name: str(table.schema.field(name).type) for name in table.column_names}
    assert types == {"id": "int64", "height": "double", "sex": "string", "score": "int64",
                     "zip": "string", "extra": "int64"}
    assert table["sex"].to_pylist() == ["Male", "Female", "Refused"]
    assert table["score"].to_pylist() == [10, None, 12]      # the missing code is null
    assert table["height"].to_pylist() == [1.5, None, 1.75]
    assert table["zip"].to_pylist() == ["01234", "35762", "99501"]
    csv = paths["labelled_csv"].read_text()
    assert "Refused" in csv and "01234" in csv               # the CSV keeps the text
