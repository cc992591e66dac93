"""The search box on the bundled site, in chromium: what a reader typing sees.

Stale results, a typo, acronyms both ways, a title fragment, phone-size
results and nothing downloaded before the box is focused. The figures (time
to settle, hit rates, bytes) are in benchmarks/bench_search.py.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import QuietHandler, result_title

pytestmark = pytest.mark.browser

SEARCH_FILES = re.compile(r"/(pagefind|search|assets/javascripts/vendor)/")
KEY_DELAY_MS = 120  # a reader typing


def open_search(page: Page) -> None:
    page.keyboard.press("/")
    expect(page.locator("input.md-search__input")).to_be_focused()


def result_slugs(page: Page) -> list[str]:
    hrefs = page.locator(".md-search-result__item > a").evaluate_all("links => links.map(a => a.href)")
    return [re.search(r"/papers/([^/]+)/", href)[1] for href in hrefs]


def search_for(page: Page, query: str) -> list[str]:
    """Type ``query`` as a reader does; the slugs of the results it settles on."""
    page.goto("/")
    open_search(page)
    page.keyboard.type(query, delay=KEY_DELAY_MS)
    page.wait_for_timeout(1000)
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    return result_slugs(page)


def test_nothing_for_search_is_downloaded_before_the_box_is_focused(page: Page) -> None:
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto("/", wait_until="networkidle")
    page.wait_for_timeout(500)
    assert [url for url in fetched if SEARCH_FILES.search(url)] == []
    page.locator("input.md-search__input").focus()
    expect(page.locator(".md-search-result__meta")).to_have_text("Type to start searching")
    page.wait_for_load_state("networkidle")
    assert any("/pagefind/" in url for url in fetched)
    assert any(url.endswith("/search/vocabulary.json") for url in fetched)


class SlowFirstFragments(QuietHandler):
    """Answers the first result fragments late, so that an older query's
    results arrive after a newer one's unless the newer query wins."""

    fragments = 0
    lock = threading.Lock()

    def do_GET(self) -> None:
        if self.path.endswith(".pf_fragment"):
            with self.lock:
                type(self).fragments += 1
                delay = max(0.0, 1.5 - 0.06 * self.fragments)
            time.sleep(delay)
        super().do_GET()


@pytest.fixture()
def slow_site_url(bundled_site: Path) -> Iterator[str]:
    handler = functools.partial(SlowFirstFragments, directory=str(bundled_site / "site"))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}/"
        server.shutdown()
        thread.join()


def test_the_latest_query_wins_over_slower_older_answers(page: Page, slow_site_url: str) -> None:
    page.goto(slow_site_url)
    page.evaluate("""() => {
      window.shown = [];
      new MutationObserver(() => window.shown.push({at: Date.now(), titles:
        [...document.querySelectorAll('.md-search-result__item h1')].map(h => h.textContent)}))
        .observe(document.querySelector('.md-search-result__list'), {childList: true});
    }""")
    open_search(page)
    page.keyboard.type("gaussian process", delay=KEY_DELAY_MS)
    last_key = page.evaluate("Date.now()")
    page.wait_for_timeout(3000)
    shown = page.evaluate("window.shown")
    final = shown[-1]["titles"]
    assert final and all(re.search("gaussian", title, re.I) for title in final[:3])
    after_last_key = [entry["titles"] for entry in shown if entry["at"] > last_key and entry["titles"]]
    assert after_last_key and all(titles == final for titles in after_last_key)


def test_one_typo_still_finds_the_topic(page: Page) -> None:
    search_for(page, "difusion")
    expect(result_title(page.locator(".md-search-result__item"))).to_contain_text("Diffusion")
    search_for(page, "wasserstien")  # two letters swapped
    expect(result_title(page.locator(".md-search-result__item"))).to_contain_text("Wasserstein")


@pytest.mark.parametrize(("query", "paper"), [
    # The acronym finds papers that only spell it out, and the reverse.
    ("GNN", "a-scalable-automl-approach-based-on-graph-neural-networks"),
    ("graph neural network", "towards-better-graph-representation-learning-with-parameterized-decomposition-filtering"),
    ("MoE", "adaptive-sequential-monte-carlo-by-means-of-mixture-of-experts"),
    ("mixture of experts", "edgemoe-fast-on-device-inference-of-moe-based-large-language-models"),
])
def test_acronyms_and_expansions_find_each_other(page: Page, query: str, paper: str) -> None:
    search_for(page, query)
    count = int(page.locator(".md-search-result__meta").inner_text().split()[0])
    assert count < 60
    items = page.locator(".md-search-result__item")
    while items.count() < count:  # the results past the first ten, as the reader scrolls
        shown = items.count()
        page.locator(".md-search__scrollwrap").evaluate("wrap => wrap.scrollTo(0, wrap.scrollHeight)")
        expect(items).not_to_have_count(shown)
    assert paper in result_slugs(page)


def test_a_title_fragment_finds_its_paper_first_above_list_pages(page: Page) -> None:
    slugs = search_for(page, "Cramming 1568 Tokens")
    assert slugs[0].startswith("cramming-1568-tokens-into-a-single-vector")
    title = result_title(page.locator(".md-search-result__item"))
    expect(title.locator("mark").first).to_have_text("Cramming")


def test_results_show_title_tags_and_a_short_marked_snippet_on_a_phone(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page.locator("label.md-header__button[for='__search']").click()
    page.keyboard.type("variance reduction", delay=KEY_DELAY_MS)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    first = results.first
    expect(first.locator(".md-tag").first).to_be_visible()
    snippet = first.locator(".paper-search__snippet")
    expect(snippet.locator("mark").first).to_contain_text(re.compile("varian", re.I))
    assert len(snippet.inner_text()) < 220  # a couple of lines, not the 1,600-character abstract
    line_height = snippet.evaluate("p => parseFloat(getComputedStyle(p).lineHeight)")
    assert snippet.bounding_box()["height"] <= 2.5 * line_height
    assert first.bounding_box()["height"] < 844 / 3  # several results per screen


def test_the_dialog_has_an_accessible_name(page: Page) -> None:
    page.goto("/")
    open_search(page)
    expect(page.get_by_role("dialog", name="Search")).to_have_count(1)
