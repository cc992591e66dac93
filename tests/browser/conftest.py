"""Browser fixtures: Debian's chromium, driven by pytest-playwright, on a served site.

Playwright's own browser download cannot be reached here, so the system
chromium is launched through ``executable_path``. Material's search only works
over http, so each built site is served from a thread on 127.0.0.1.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.conftest import ROOT

SCREENSHOTS = ROOT / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's launch options, pointed at the system chromium."""
    executable = chromium_path()
    if executable is None:
        reason = "chromium is not installed (apt-get install chromium); .ci/run installs it"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_FLAGS}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output free of one line per request."""


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over http on a free port of 127.0.0.1; yield its base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()
            thread.join()


@pytest.fixture(scope="session")
def base_url(bundled_site: Path) -> Iterator[str]:
    """The bundled site, served; pytest-playwright's pages resolve paths against it."""
    with serve(bundled_site / "site") as url:
        yield url


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The folder the README names for the screenshots the tests take."""
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


def save_screenshot(page: Page, path: Path, full_page: bool = False) -> None:
    """A still picture of what the reader sees: transitions finished, no hover tooltip."""
    page.mouse.move(0, 0)
    page.screenshot(path=path, full_page=full_page, animations="disabled")


def search(page: Page, query: str) -> Locator:
    """Open the search box with its keyboard shortcut, type ``query``; return the results."""
    page.keyboard.press("/")
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.keyboard.type(query)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    return results


def result_title(results: Locator, index: int = 0) -> Locator:
    return results.nth(index).locator(".md-search-result__article h1").first
