"""A real browser (Debian's Chromium driven by Playwright) on the real app: the analyst's
workbench of issue #20 tab by tab.  Screenshots of each tab after a real run are left in
bench/out/screenshots/ (test artefacts, not committed)."""

from __future__ import annotations

import csv
import io

import pytest

from harness.browser_pages import FIELDS_COLUMNS as COLUMNS
from harness.browser_pages import download_json, download_text, edit_cell, poll, row_count, screenshot
from harness.fixtures import fixture_path

pytestmark = pytest.mark.browser
HOUSE_DATA = fixture_path("house-prices", "train.csv")
HOUSE_DICT = fixture_path("house-prices", "data_description.txt")
SCORECARD = fixture_path("college-scorecard", "College-scorecard-reduced.csv")
SCORECARD_DICT = fixture_path("college-scorecard", "CollegeScorecardDataDictionary.xlsx")


def _parse_example(page) -> None:
    page.locator("#dict-example").click()
    page.wait_for_selector("#parse-status :text('79 fields')", timeout=60_000)
    page.wait_for_selector("#schema-file a", timeout=30_000)


def _check(page, data, dictionary=None) -> None:
    page.get_by_role("tab", name="Check").click()
    page.locator("#check-data input[type=file]").set_input_files(str(data))
    if dictionary is not None:
        page.locator("#check-dict input[type=file]").set_input_files(str(dictionary))
    page.locator("#analyze-btn").click()


def test_first_visit_says_what_each_tab_does_and_shows_no_empty_results(page):
    intro = page.locator("#intro").inner_text()
    assert all(f"{tab}:" in intro for tab in ("Dictionary", "Dataset", "Check"))
    assert page.locator("#dict-example").is_visible()
    for hidden in ("#fields-table", "#schema-file", "#check-results", "#columns-table",
                   "#column-charts", "#plot-0"):
        assert page.locator(hidden).count() == 0 or not page.locator(hidden).is_visible()
    page.get_by_role("tab", name="Check").click()
    assert page.locator("#check-example").is_visible()
    assert not page.locator("#check-results").is_visible()
    page.get_by_role("tab", name="Dictionary").click()
    screenshot(page, "first-visit")


def test_upload_dictionary_shows_a_legible_fields_table(page):
    page.locator("#dict-file input[type=file]").set_input_files(str(HOUSE_DICT))
    page.wait_for_selector("#parse-status :text('79 fields')", timeout=60_000)
    table = page.locator("#fields-table")
    table.get_by_text("MSSubClass", exact=True).first.wait_for(timeout=10_000)
    assert table.get_by_text("Identifies the type of dwelling involved in the sale.").count()
    headers = table.locator("th .header-content span")
    assert [h.strip() for h in headers.all_inner_texts()] == COLUMNS
    for box in (h.bounding_box() for h in headers.all()):     # one line each, never letters
        assert box["height"] < 30, box
    # MSSubClass has 16 codes: the cell shows the start, a click shows them all
    codes = table.locator("[data-testid=cell-0-6]").inner_text()
    assert codes.startswith("20=1-STORY 1946") and len(codes) <= 130 and "190=" not in codes
    # the title column (REDCap questions) is the widest
    widths = [h.bounding_box()["width"] for h in table.locator("th[role=columnheader]").all()]
    assert widths[COLUMNS.index("title")] == max(widths) >= 200, widths
    assert row_count(page, "#fields-table") == 79


def test_editing_a_cell_changes_the_downloaded_schema(page):
    _parse_example(page)
    before = download_json(page, "#schema-file")
    lot = next(f for f in before["fields"] if f["name"] == "LotFrontage")
    assert lot["type"] == "number"
    edit_cell(page, "#fields-table", 2, COLUMNS.index("type"), "numbr")
    page.wait_for_selector("#edit-status :text('not applied')", timeout=20_000)
    assert "'numbr' is not a Table Schema type" in page.locator("#edit-status").inner_text()
    kept = page.locator("#fields-table [data-testid=cell-2-4] span").first.inner_text()
    assert kept == "number"                            # the cell shows the type kept
    edit_cell(page, "#fields-table", 2, COLUMNS.index("type"), "integer")
    page.wait_for_selector("#edit-status :text('LotFrontage')", timeout=20_000)
    edit_cell(page, "#fields-table", 2, COLUMNS.index("range"), "0 - 400")
    page.wait_for_selector("#edit-status :text('range')", timeout=20_000)
    page.locator("#dict-missing textarea").fill("NA, NULL")
    page.locator("#dict-missing-apply").click()
    page.wait_for_selector("#edit-status :text('Missing-value markers')", timeout=20_000)
    after = download_json(page, "#schema-file")
    lot = next(f for f in after["fields"] if f["name"] == "LotFrontage")
    assert lot["type"] == "integer" and lot["constraints"] == {"minimum": 0, "maximum": 400}
    assert after["missingValues"] == ["", "NA", "NULL"]
    rows = list(csv.DictReader(io.StringIO(download_text(page, "#csv-file"))))
    assert next(r for r in rows if r["name"] == "LotFrontage")["type"] == "integer"
    assert page.locator("#schema-file a").first.get_attribute("href") != ""
    page.get_by_role("tab", name="Check").click()
    assert "as you edited them" in page.locator("#check-dict-note").inner_text()
    page.get_by_role("tab", name="Dictionary").click()
    screenshot(page, "dictionary-edited")


def test_declaring_NA_missing_removes_lotfrontages_type_violations(page):
    _check(page, HOUSE_DATA, HOUSE_DICT)
    page.wait_for_selector("#check-report :text('matched fields have problems')",
                           timeout=90_000)
    report = page.locator("#check-report")
    assert "LotFrontage — type: 259 rows" in report.inner_text()
    page.wait_for_selector("#check-status :text('downloads below')", timeout=90_000)
    page.locator("#check-missing textarea").fill("NA")
    page.locator("#analyze-btn").click()
    poll("the check with NA missing", lambda: "downloads below" in page.locator(
        "#check-status").inner_text() and "LotFrontage —" not in report.inner_text())
    assert "MasVnrArea —" not in report.inner_text()         # its 8 NA too
    assert "Neighborhood — category: 225 rows" in report.inner_text()


def test_the_report_leads_with_problems_then_charts_then_passing_and_absent_fields(page):
    page.get_by_role("tab", name="Check").click()
    page.locator("#check-example").click()
    page.wait_for_selector("#check-status :text('downloads below')", timeout=90_000)
    first_problem = page.locator("#check-report ol li").first
    assert "Neighborhood" in first_problem.inner_text() or \
        "LotFrontage" in first_problem.inner_text()
    page.locator("#passing-fields").get_by_text("Passing fields").click()
    passing = page.locator("#passing-fields table tbody tr").first
    passing.wait_for(timeout=10_000)
    chart = page.locator("#plot-0 img")
    chart.wait_for(timeout=10_000)
    y = {k: v.bounding_box()["y"] for k, v in (("problem", first_problem), ("chart", chart),
                                                ("passing", passing))}
    assert y["problem"] < y["chart"] < y["passing"], y
    absent = page.locator("#absent-fields").inner_text()
    assert "2 columns of the data have no field" in absent
    # the charts are drawn whole at the app's width: an image no wider than its frame
    box = chart.bounding_box()
    natural = chart.evaluate("i => i.naturalWidth")
    assert natural >= box["width"] * 0.9 and box["width"] <= 700
    screenshot(page, "check")


def test_the_matching_editor_picks_fields_from_the_dictionary(page):
    page.get_by_role("tab", name="Check").click()
    page.locator("#check-example").click()
    page.wait_for_selector("#check-status :text('downloads below')", timeout=90_000)
    page.locator("#matching").get_by_text("Column matching").first.click()
    table = page.locator("#check-matching")
    table.get_by_text("Id", exact=True).first.wait_for(timeout=10_000)
    # exact matches folded away: the two unmatched columns and two fuzzy pairs remain
    assert row_count(page, "#check-matching") == 4 and "exact" not in table.inner_text()
    assert "BedroomAbvGr" in table.inner_text() and "fuzzy" in table.inner_text()
    assert table.locator("[role=grid]").get_attribute("aria-readonly") == "true"
    page.locator("#show-exact input").check()
    poll("exact matches shown", lambda: row_count(page, "#check-matching") == 81)
    page.locator("#show-exact input").uncheck()
    poll("exact matches folded", lambda: row_count(page, "#check-matching") == 4)
    table.get_by_text("Id", exact=True).first.click()
    poll("the column picked", lambda: page.locator("#pair-column input").input_value() == "Id")
    page.locator("#pair-field input").fill("MSSubClass")
    page.get_by_role("option", name="MSSubClass", exact=True).click()
    page.locator("#pair-btn").click()
    poll("the pair set", lambda: "set by you" in table.inner_text(), timeout=10)
    page.locator("#rerun-btn").click()
    poll("the re-run with the pair", lambda: "mapping" in table.inner_text(), timeout=90)
    assert "MSSubClass" in table.inner_text()


def test_the_check_of_scorecard_shows_the_report_before_the_downloads_exist(page):
    page.get_by_role("tab", name="Check").click()
    page.evaluate("""() => {
        window.seen = {};
        const look = () => {
            const report = document.querySelector('#check-report');
            const files = document.querySelectorAll('#check-files a').length;
            if (!seen.report && report && report.innerText.includes('matched fields'))
                seen.report = {t: performance.now(), files};
            if (!seen.files && files) seen.files = performance.now();
        };
        new MutationObserver(look).observe(document.body, {subtree: true, childList: true,
                                                          characterData: true});
    }""")
    _check(page, SCORECARD, SCORECARD_DICT)
    page.wait_for_selector("#check-status :text('downloads below')", timeout=180_000)
    seen = page.evaluate("window.seen")
    assert seen["report"]["files"] == 0 and seen["files"] > seen["report"]["t"], seen
    text = page.locator("#check-report").inner_text()
    assert "44 of 60 matched fields have problems" in text
    assert "1,917 of 1,977 dictionary fields are not in this dataset" in page.locator(
        "#absent-fields").inner_text()
    height = page.evaluate("document.body.scrollHeight")
    assert height < 8000, height                               # not 95,000 px
    screenshot(page, "check-scorecard")


def test_a_workbook_dictionary_gets_a_sheet_picker(page):
    page.locator("#dict-file input[type=file]").set_input_files(str(SCORECARD_DICT))
    page.wait_for_selector("#parse-status :text('fields')", timeout=90_000)
    picker = page.locator("#dict-sheet")
    assert picker.is_visible()
    picker.locator("input").click()
    options = page.get_by_role("option").all_inner_texts()
    assert "data_dictionary" in options and "glossary" in options
    status = page.locator("#parse-status")
    assert "Pick a sheet" in status.inner_text()        # every sheet was read
    page.get_by_role("option", name="data_dictionary", exact=True).click()
    poll("the data_dictionary sheet parsed", lambda: "1977 fields" in status.inner_text()
         and "Pick a sheet" not in status.inner_text(), timeout=90)
    page.wait_for_selector("#schema-file a", timeout=30_000)


def test_the_dataset_tab_charts_every_column(page):
    page.get_by_role("tab", name="Dataset").click()
    page.locator("#data-file input[type=file]").set_input_files(str(HOUSE_DATA))
    page.wait_for_selector("#profile-status :text('1460 rows')", timeout=60_000)
    page.locator("#columns-table").get_by_text("LotFrontage", exact=True).first.wait_for(
        timeout=10_000)
    cards = page.locator("#column-charts .cb-card")
    assert cards.count() == 81
    lot = cards.filter(has_text="LotArea").first
    assert lot.locator("div[title*='rows']").count() == 24           # a histogram's bins
    zoning = cards.filter(has_text="MSZoning").first.inner_text()
    assert "RL" in zoning and "1,151" in zoning                       # top values, counted
    for h in page.locator("#columns-table th .header-content span").all():
        assert h.bounding_box()["height"] < 30
    screenshot(page, "dataset")


def test_errors_stay_in_the_status_line(page, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("Nothing here looks like a variable.\n" * 3)
    page.locator("#dict-file input[type=file]").set_input_files(str(junk))
    page.wait_for_selector("#parse-status :text('✗')", timeout=60_000)
    page.wait_for_timeout(1_500)
    status = page.locator("#parse-status").inner_text()
    assert "✗" in status and "notes.txt" in status or "field" in status
    assert page.locator("#parse-status :text('Error')").count() == 0
