"""The bundled site in a real browser, used the way a reader uses it.

Each test starts from a page a reader would open, acts through the UI
(keyboard, clicks) and checks what the reader then sees. Screenshots go to
``screenshots/`` (named in the README) for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import result_title, save_screenshot, search

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAPER = "papers/diffusionpid-interpreting-diffusion-via-partial-information-decomposition/"
PAPER_TITLE = "DiffusionPID: Interpreting Diffusion via Partial Information Decomposition"
FRAGMENT_PAPER_TITLE = (
    "Demystifying Local and Global Fairness Trade-offs in Federated Learning "
    "Using Partial Information Decomposition"
)
AMPERSAND_TITLE = "PA&DA: Jointly Sampling PAth and DAta for Consistent NAS"


def test_search_for_a_topic_word_and_open_the_result(page: Page, screenshots: Path) -> None:
    page.goto("")
    results = search(page, "diffusion")
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"^\d+ matching documents$"))
    expect(result_title(results).locator("mark").first).to_contain_text(re.compile("diffusion", re.I))
    save_screenshot(page, screenshots / "search-results.png")

    title = result_title(results).inner_text()
    result_title(results).click()
    expect(page).to_have_url(re.compile(r"/papers/[a-z0-9-]+/"))
    expect(page.locator("article h1")).to_have_text(title)


@pytest.mark.parametrize(("query", "title"), [
    ("Global Fairness Trade", FRAGMENT_PAPER_TITLE),
    ("Jointly Sampling PAth", AMPERSAND_TITLE),  # "&" shows as itself, not as "&amp;"
])
def test_search_for_part_of_a_title_finds_that_paper_first(page: Page, query: str, title: str) -> None:
    page.goto("")
    results = search(page, query)
    expect(result_title(results)).to_have_text(title)
    result_title(results).click()
    expect(page).to_have_title(f"{title} - Research paper library")
    expect(page.locator("article h1")).to_have_text(title)


def test_paper_page_shows_title_abstract_and_sources(page: Page, screenshots: Path) -> None:
    page.goto(PAPER)
    expect(page).to_have_title(f"{PAPER_TITLE} - Research paper library")
    expect(page.locator("article h1")).to_have_text(PAPER_TITLE)
    expect(page.locator(".paper-abstract")).to_contain_text("Text-to-image diffusion models")
    expect(page.locator(".paper-sources")).to_have_text("Appeared in Listing 2")
    save_screenshot(page, screenshots / "paper-full.png", full_page=True)


def test_tag_chip_leads_to_its_tag_page_listing_the_paper(page: Page, screenshots: Path) -> None:
    page.goto(PAPER)
    chip = page.locator("a.paper-tag").first
    expect(chip).to_be_visible()
    tag = chip.inner_text().strip()
    chip.click()
    expect(page).to_have_url(re.compile(r"/tags/[a-z0-9-]+/$"))
    expect(page.locator("article h1")).to_contain_text(tag)
    save_screenshot(page, screenshots / "tag-full.png", full_page=True)

    page.locator("article").get_by_role("link", name=PAPER_TITLE, exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(PAPER) + "$"))


def test_related_link_leads_to_a_paper_that_lists_this_one_back(page: Page) -> None:
    page.goto(PAPER)
    related = page.locator("ul.related > li > a").first
    related_title = related.inner_text()
    related.click()
    expect(page.locator("article h1")).to_have_text(related_title)
    # Back among its related papers (a mutual link) or among the other backlinks.
    backlink = page.locator("ul.related, ul.backlinks").get_by_role("link", name=PAPER_TITLE, exact=True)
    expect(backlink).to_be_visible()
    backlink.click()
    expect(page).to_have_url(re.compile(re.escape(PAPER) + "$"))


def background(page: Page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_dark_mode_switches_on_stays_on_and_switches_back(page: Page, screenshots: Path) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(PAPER)
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    light = background(page)

    page.get_by_title("Switch to dark mode").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    assert background(page) != light
    save_screenshot(page, screenshots / "paper-dark.png")

    page.reload()  # the choice is remembered across pages
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.get_by_title("Switch to light mode").click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    assert background(page) == light


def test_home_page_fits_a_phone(new_context, screenshots: Path) -> None:
    page = new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True,
    ).new_page()
    page.goto("")
    expect(page.locator("article h1")).to_have_text("Research paper library")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the home page is {overflow}px wider than a phone's screen"
    save_screenshot(page, screenshots / "home-phone-full.png", full_page=True)

    page.locator("label.md-header__button[for='__drawer']").click()
    expect(page.locator(".md-nav--primary").get_by_role("link", name="All papers")).to_be_visible()


def test_home_page(page: Page, screenshots: Path) -> None:
    page.goto("")
    expect(page).to_have_title("Home - Research paper library")
    expect(page.locator("article")).to_contain_text("689 machine-learning papers")
    save_screenshot(page, screenshots / "home-full.png", full_page=True)
