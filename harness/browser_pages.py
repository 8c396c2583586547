"""What the browser tests share: Debian's Chromium through Playwright, a page on the app, and
the screenshots they leave as test artefacts (bench/out/screenshots/, not committed)."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any, Callable

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parent.parent / "bench" / "out" / "screenshots"
VIEWPORT = {"width": 1400, "height": 1000}


# the fields table's headers as a user sees them (the app's literal layout)
FIELDS_COLUMNS = ["name", "LLM", "title", "description", "type", "unit", "codes", "range",
                  "missing", "required"]

def launch(playwright: Any) -> Any:
    """Chromium, headless (the tests say so when it is missing)."""
    assert shutil.which("chromium") or Path(CHROMIUM).exists(), (
        "Chromium is required for the browser tests: apt-get install chromium")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)


def open_app(browser: Any, url: str) -> Any:
    """A new page on the app, loaded."""
    page = browser.new_page(viewport=VIEWPORT, accept_downloads=True)
    page.goto(url, wait_until="load")
    page.wait_for_selector("#dict-file", timeout=60_000)
    return page


def screenshot(page: Any, name: str) -> Path:
    """The whole page as bench/out/screenshots/<name>.png (a test artefact)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def row_count(page: Any, table: str) -> int:
    """Data rows a Dataframe holds (its grid's aria-rowcount counts the header too)."""
    grid = page.locator(f"{table} [role=grid]")
    return int(grid.get_attribute("aria-rowcount")) - 1 if grid.count() else 0


def edit_cell(page: Any, table: str, row: int, col: int, text: str) -> None:
    """Type `text` into a cell of an editable Dataframe."""
    cell = page.locator(f"{table} [data-testid=cell-{row}-{col}]")
    cell.dblclick()
    page.wait_for_timeout(200)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def download_json(page: Any, selector: str) -> Any:
    """The JSON file a gr.File offers, downloaded as a user would."""
    with page.expect_download() as info:
        page.locator(f"{selector} a").first.click()
    return json.loads(Path(info.value.path()).read_text(encoding="utf-8"))


def download_text(page: Any, selector: str) -> str:
    with page.expect_download() as info:
        page.locator(f"{selector} a").first.click()
    return Path(info.value.path()).read_text(encoding="utf-8")


def poll(what: str, check: Callable[[], Any], timeout: float = 60.0, every: float = 0.1) -> Any:
    """`check()`'s first true value; fails naming `what` after `timeout` seconds."""
    end = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < end, f"gave up waiting for {what}"
        time.sleep(every)
