"""The bundled site as a researcher reads it: from a paper to where to read
it, lists worth scanning, a home page that starts somewhere, pages without
build internals, and no serious accessibility problem in light or dark.

axe-core comes from npm (``make test`` installs it into build/npm) and is
injected into each page; without it the accessibility tests skip, or fail
under ``REQUIRE_BROWSER=1`` as CI sets it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import save_screenshot
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = ROOT / "build" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
PAPER = "papers/diffusionpid-interpreting-diffusion-via-partial-information-decomposition/"
PAPER_TITLE = "DiffusionPID: Interpreting Diffusion via Partial Information Decomposition"
# A paper whose abstract names its code on GitHub.
CODE_PAPER = "papers/pa-da-jointly-sampling-path-and-data-for-consistent-nas/"
TAG = "tags/diffusion-models/"
READER_PAGES = {"home": "", "all papers": "papers/", "tags": "tags/", "a tag": TAG,
                "what's new": "new/", "a paper": PAPER}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}


def visible_text(page: Page) -> str:
    return page.locator("body").inner_text()


def test_a_paper_page_links_out_to_read_it(page: Page, screenshots: Path) -> None:
    page.goto(PAPER)
    searches = page.locator("nav.paper-links a.paper-link--search")
    expect(searches).to_have_text(["arXiv", "Semantic Scholar", "Google Scholar", "Hugging Face Papers"])
    hosts = []
    for href in searches.evaluate_all("links => links.map(link => link.href)"):
        address = urlsplit(href)
        assert address.scheme == "https"
        hosts.append(address.hostname)
        query = " ".join(value for values in parse_qs(address.query).values() for value in values)
        assert PAPER_TITLE in query, href  # the exact title, URL-encoded
    assert hosts == ["arxiv.org", "www.semanticscholar.org", "scholar.google.com", "huggingface.co"]
    save_screenshot(page, screenshots / "paper.png", full_page=True)

    page.goto(CODE_PAPER)
    code = page.locator("nav.paper-links a.paper-link--code")
    expect(code).to_have_attribute("href", "https://github.com/ShunLu91/PA-DA")
    expect(code).to_contain_text("Code")


def test_no_page_shows_a_dump_file_name(page: Page) -> None:
    dumps = [path.name for path in (ROOT / "dumps").glob("*.txt")]
    for name, path in {**READER_PAGES, "newest first": "papers/by-date/"}.items():
        page.goto(path)
        text = visible_text(page)
        assert not [dump for dump in dumps if dump in text or dump.removesuffix(".txt") in text], name
    page.goto("new/")
    headings = page.locator("article h2").all_inner_texts()
    assert headings == ["Listing 4", "Listing of Mar 14", "Listing 2"]  # newest first


def test_lists_show_each_paper_with_a_snippet_and_tags(page: Page, screenshots: Path) -> None:
    for path in ("papers/", TAG, "new/", "papers/by-date/"):
        page.goto(path)
        items = page.locator("article ul.paper-list > li")
        assert items.count() > 5, path
        first = items.first
        expect(first.locator(".paper-snippet")).to_have_text(re.compile(r"^[A-Z].{20,}[.!?…]$"))
        expect(first.locator(".paper-tags a.paper-tag").first).to_be_visible()
        if path == TAG:
            save_screenshot(page, screenshots / "tag.png")


def test_all_papers_jump_bar_and_newest_first_view(page: Page, screenshots: Path) -> None:
    page.goto("papers/")
    save_screenshot(page, screenshots / "all-papers.png")
    page.locator("nav.jump-bar").get_by_role("link", name="M", exact=True).click()
    expect(page).to_have_url(re.compile("#letter-m$"))
    expect(page.locator("#letter-m")).to_be_in_viewport()
    page.get_by_role("link", name="all papers, newest first").click()
    expect(page.locator("article h1")).to_have_text("All papers, newest first")
    first = page.locator("article ul.paper-list > li > a").first.inner_text()
    page.goto("new/")
    expect(page.locator("article ul.paper-list > li > a").first).to_have_text(first)


def first_screen_shows(page: Page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] + box["height"] <= page.viewport_size["height"]


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_home_first_screen_has_search_newest_papers_and_topics(
        new_context, screenshots: Path, screen: str) -> None:
    page = new_context(**(PHONE if screen == "phone" else {"viewport": {"width": 1280, "height": 900}})).new_page()
    page.goto("")
    for part in (".home-search__box", ".home-topics .paper-tag", ".home-newest ul.paper-list > li"):
        assert first_screen_shows(page, part), f"{part} is below the first screen"
    save_screenshot(page, screenshots / ("home-phone.png" if screen == "phone" else "home.png"))
    page.locator(".home-search__box").click()
    expect(page.locator("input.md-search__input")).to_be_visible()


def test_the_404_page_offers_search_and_the_main_lists(page: Page) -> None:
    # The test server does not answer unknown addresses with it, as GitHub Pages does.
    page.goto("404.html")
    expect(page.locator("article h1")).to_have_text("Page not found")
    expect(page.locator("article .home-search__box")).to_be_visible()
    for name in ("Home", "All papers", "Tags", "What's new"):
        expect(page.locator("article").get_by_role("link", name=name, exact=True)).to_be_visible()


def serious_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""() => axe.run(document).then(result => result.violations
        .filter(v => v.impact === "serious" || v.impact === "critical")
        .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(", ")))""")
    return violations


@pytest.fixture(scope="module")
def axe() -> Path:
    if not AXE.exists():
        reason = "axe-core is not installed (npm install --prefix build/npm axe-core; make test does)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return AXE


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation(new_context, axe: Path, scheme: str) -> None:
    page = new_context(color_scheme=scheme).new_page()
    found = {}
    for name, path in READER_PAGES.items():
        page.goto(path)
        expect(page.locator("body")).to_have_attribute(
            "data-md-color-scheme", "slate" if scheme == "dark" else "default")
        found[name] = serious_violations(page)
    assert found == {name: [] for name in READER_PAGES}
