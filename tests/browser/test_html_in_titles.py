"""Titles holding HTML-like text show as text in the browser, search results included.

Material's search UI builds its result list from the search index with HTML,
so a title that reached the index unescaped would be markup there even if
the page itself is safe. No bundled title holds such text, so a tiny site is
built from a dump that does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import result_title, search, serve
from tests.conftest import dump_text, generate, make_project, mkdocs_build

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ABSTRACT = "We study how {topic} behaves on data selection benchmarks with partial samples."
# Each title, with a query of plain words that finds it first: the query itself holds no markup.
TITLES = {
    "<projektor>: Predicting Performance from Partial Samples": "Predicting Performance",
    "Scaling <img src=x onerror=window.injected=1> Laws for Hostile Titles": "Hostile Titles",
    "Tags <script>window.injected=2</script> and <b>Bold</b> Claims": "Bold Claims",
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Iterator[str]:
    papers = [(title, ABSTRACT.format(topic=f"method {index}")) for index, title in enumerate(TITLES)]
    project = make_project(tmp_path_factory.mktemp("hostile"), {"001.txt": dump_text(*papers)})
    assert generate(project) == 0
    with serve(mkdocs_build(project)) as url:
        yield url


@pytest.mark.parametrize(("title", "query"), TITLES.items())
def test_html_like_title_is_text_in_search_result_page_title_and_heading(
    page: Page, hostile_site: str, title: str, query: str
) -> None:
    page.goto(hostile_site)
    results = search(page, query)
    expect(result_title(results)).to_have_text(title)
    assert results.first.locator("img, script, b").count() == 0

    result_title(results).click()
    expect(page).to_have_title(f"{title} - Research paper library")
    expect(page.locator("article h1")).to_have_text(title)
    assert page.locator("article img, article b").count() == 0
    assert page.evaluate("window.injected") is None
