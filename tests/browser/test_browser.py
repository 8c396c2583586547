"""A real browser (Debian's Chromium driven by Playwright) uploads files and sees the results."""

from __future__ import annotations

import shutil

import pytest

from harness.fixtures import fixture_path

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def page(app_server, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    assert shutil.which("chromium") or shutil.os.path.exists(CHROMIUM), (
        "Chromium is required for the browser tests: apt-get install chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        pg.goto(app_server.url, wait_until="load")
        pg.wait_for_selector("#dict-file", timeout=60_000)
        yield pg
        pg.screenshot(path=str(tmp_path_factory.mktemp("shots") / "last.png"), full_page=True)
        browser.close()


def test_upload_dictionary_shows_fields_table(page):
    page.get_by_role("tab", name="Dictionary").click()
    page.locator("#dict-file input[type=file]").set_input_files(
        str(fixture_path("house-prices", "data_description.txt")))
    page.wait_for_selector("#parse-status :text('79 fields')", timeout=60_000)
    table = page.locator("#fields-table")
    table.get_by_text("MSSubClass", exact=True).first.wait_for(timeout=10_000)
    assert table.get_by_text("Identifies the type of dwelling involved in the sale.").count() >= 1


def test_upload_dataset_shows_profile(page):
    page.get_by_role("tab", name="Dataset").click()
    page.locator("#data-file input[type=file]").set_input_files(
        str(fixture_path("house-prices", "train.csv")))
    page.wait_for_selector("#profile-status :text('1460 rows')", timeout=60_000)
    page.locator("#columns-table").get_by_text("LotFrontage", exact=True).first.wait_for(
        timeout=10_000)


def test_check_tab_shows_report_and_charts(page):
    page.get_by_role("tab", name="Check").click()
    page.locator("#check-data input[type=file]").set_input_files(
        str(fixture_path("house-prices", "train.csv")))
    page.locator("#check-dict input[type=file]").set_input_files(
        str(fixture_path("house-prices", "data_description.txt")))
    page.get_by_role("button", name="Analyze").click()
    page.wait_for_selector("#check-report :text('matched fields have problems')", timeout=90_000)
    page.locator("#check-fields").get_by_text("MSZoning", exact=True).first.wait_for(
        timeout=10_000)
    page.locator("#plot-0 img, #plot-0 svg, #plot-0 canvas").first.wait_for(timeout=10_000)
