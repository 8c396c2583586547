"""A real browser (Debian's Chromium driven by Playwright) on the real app: the Dictionary tab's
*Export for another tool* says to parse first, then writes the dictionary as edited in the
picked format and offers it as a download (a screenshot in bench/out/screenshots/)."""

from __future__ import annotations

import sqlite3

import pytest

from harness.browser_pages import FIELDS_COLUMNS as COLUMNS
from harness.browser_pages import download_text, edit_cell, screenshot

pytestmark = pytest.mark.browser


def test_picking_an_export_downloads_the_edited_dictionary(page):
    page.locator("#export").get_by_text("Export for another tool").first.click()
    page.locator("#export-btn").click()
    page.wait_for_selector("#export-status :text('Parse a dictionary first')", timeout=20_000)
    page.locator("#dict-example").click()
    page.wait_for_selector("#parse-status :text('79 fields')", timeout=60_000)
    page.wait_for_selector("#schema-file a", timeout=30_000)
    edit_cell(page, "#fields-table", 2, COLUMNS.index("range"), "0 - 400")   # LotFrontage
    page.wait_for_selector("#edit-status :text('LotFrontage')", timeout=20_000)
    page.locator("#export-kind input").click()
    page.get_by_role("option", name="SQL CREATE TABLE (SQLite)", exact=True).click()
    page.locator("#export-btn").click()
    page.wait_for_selector("#export-file a", timeout=30_000)
    assert "(with your edits)" in page.locator("#export-status").inner_text()
    sql = download_text(page, "#export-file")
    db = sqlite3.connect(":memory:")
    db.executescript(sql)
    assert len(db.execute('PRAGMA table_info("data")').fetchall()) == 79
    db.execute('INSERT INTO "data" ("LotFrontage") VALUES (400)')
    with pytest.raises(sqlite3.IntegrityError):                  # the edited maximum
        db.execute('INSERT INTO "data" ("LotFrontage") VALUES (401)')
    screenshot(page, "dictionary-export")
