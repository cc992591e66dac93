"""Pagefind behind Material's search box, in a real browser.

``large_site`` (tests/conftest.py) is a 300-paper site with the thresholds
lowered, so Pagefind answers its search box as it does a 20k-paper site's.
The reader's view must be Material's: same shortcut, same result list, and
dump text shown as text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import result_title, search, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE_SIZE = 10  # results shown before the reader scrolls (pagefind-search.js)


@pytest.fixture(scope="module")
def large_url(large_site: Path) -> Iterator[str]:
    with serve(large_site / "site") as url:
        yield url


def test_search_a_topic_word_and_open_the_result(page: Page, large_url: str, screenshots: Path) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(large_url)
    results = search(page, "diffusion")
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"^\d+ matching documents$"))
    title = result_title(results)
    expect(title.locator("mark").first).to_contain_text(re.compile("diffusion", re.I))
    page.screenshot(path=screenshots / "search-results-pagefind.png")

    text = title.inner_text()
    href = results.first.locator("a").get_attribute("href")
    title.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect(page.locator("article h1").first).to_have_text(text)
    assert all(url.startswith(large_url) for url in requested)
    assert not any("search_index.json" in url for url in requested)


def test_search_fetches_only_the_fragments_of_the_results_shown(page: Page, large_url: str) -> None:
    fragments: list[str] = []
    page.on("request", lambda request: fragments.append(request.url) if ".pf_fragment" in request.url else None)
    page.goto(large_url)
    search(page, "learning")
    count = int(page.locator(".md-search-result__meta").inner_text().split()[0])
    assert count > 5 * PAGE_SIZE
    expect(page.locator(".md-search-result__item")).to_have_count(PAGE_SIZE)
    assert len(set(fragments)) <= 2 * PAGE_SIZE  # a few more while typing, not all

    page.locator(".md-search__scrollwrap").evaluate("wrap => wrap.scrollTo(0, wrap.scrollHeight)")
    expect(page.locator(".md-search-result__item")).to_have_count(2 * PAGE_SIZE)


def test_keyboard_walks_the_results_and_escape_closes(page: Page, large_url: str) -> None:
    page.goto(large_url)
    results = search(page, "reinforcement learning")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = results.nth(1).locator("a")
    expect(second).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#__search")).not_to_be_checked()

    results = search(page, "")  # reopen: the query and its results are still there
    href = results.first.locator("a").get_attribute("href")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))


def test_hostile_title_in_a_result_is_shown_as_text(page: Page, large_url: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(large_url)
    results = search(page, "image with an error handler")
    title = result_title(results)
    expect(title).to_contain_text("<img src=x onerror=alert(2)>")
    expect(page.locator(".md-search-result img, .md-search-result script")).to_have_count(0)
    assert dialogs == []
