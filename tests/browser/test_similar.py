"""Find similar (similar/): a pasted abstract gives scored, explained results,
the same as the generator's related lists, and nothing typed leaves the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import save_screenshot
from tests.browser.explore import PAPER, PAPER_TITLE, api_papers, record_problems, record_requests

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DRAFT = ("We interpret text-to-image diffusion models with partial information decomposition, "
         "measuring the redundancy and synergy of prompt tokens in the generated image.")


def open_similar(page: Page) -> None:
    page.goto("similar/")
    expect(page.locator("#find-similar")).to_have_attribute("data-ready", "true")


def results(page: Page, title: str, abstract: str) -> list[str]:
    """Paste the text, ask for similar papers; the slugs of the results in order."""
    page.fill("#similar-title", title)
    page.fill("#similar-text", abstract)
    page.get_by_role("button", name="Find similar papers").click()
    links = page.locator(".find-similar-results > li > a")
    expect(links.first).to_be_visible()
    return [href.rstrip("/").rsplit("/", 1)[-1]
            for href in links.evaluate_all("links => links.map(link => link.getAttribute('href'))")]


def test_a_pasted_abstract_gives_ten_explained_results_and_nothing_is_sent(
        page: Page, base_url: str, screenshots: Path) -> None:
    problems, requested = record_problems(page), record_requests(page)
    open_similar(page)
    assert any(url.endswith("/similar/model.json") for url in requested)
    loaded = len(requested)
    found = results(page, "", DRAFT)
    assert len(found) == 10 and found[0] == PAPER
    first = page.locator(".find-similar-results > li").first
    expect(first.locator("a")).to_have_text(PAPER_TITLE)
    expect(first.locator(".related-terms")).to_contain_text("partial")
    expect(first.locator(".related-score")).to_have_text(re.compile(r"^ ?0\.\d\d$"))
    before = page.locator(".find-similar-results").inner_text()
    # Typing rescores after a pause, with no button: a longer draft, new results.
    page.locator("#similar-text").press_sequentially(" The synergy of prompt tokens in reward models.")
    expect(page.locator(".find-similar-results")).not_to_have_text(before)
    save_screenshot(page, screenshots / "similar.png", full_page=True)
    # Typing and scoring asked the server for nothing: the text stays on the page.
    assert requested[loaded:] == []
    assert all(url.startswith(base_url) for url in requested)
    assert problems == []


def test_a_papers_own_title_and_abstract_find_its_related_papers(page: Page, bundled_site: Path) -> None:
    """The agreement test: after the paper itself, the browser's top results
    are the generator's related list for that paper, in order."""
    papers = api_papers(bundled_site)
    open_similar(page)
    for slug in list(papers)[::40]:
        record = papers[slug]
        found = results(page, record["title"], record["abstract"])
        related = [link["slug"] for link in record["related"]]
        assert found[0] == slug
        assert found[1:1 + len(related)] == related, record["title"]


def test_text_sharing_no_word_with_any_paper_says_so(page: Page) -> None:
    open_similar(page)
    page.fill("#similar-text", "zzzqx qqqzz")
    page.get_by_role("button", name="Find similar papers").click()
    expect(page.locator(".find-similar-status")).to_have_text("No paper shares a term with this text.")
    expect(page.locator(".find-similar-results > li")).to_have_count(0)
