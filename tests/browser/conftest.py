"""What the browser tests share: one Chromium per module, a page (a session) per test."""

from __future__ import annotations

import pytest

from harness.browser_pages import launch, open_app


@pytest.fixture(scope="module")
def browser(app_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_server):
    pg = open_app(browser, app_server.url)      # a page per test: a session of its own
    yield pg
    pg.close()
