"""The neighbourhood graph on a paper page: each node leads to its paper."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.explore import PAPER, api_papers

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_each_node_of_the_neighbourhood_leads_to_its_paper(page: Page, bundled_site: Path) -> None:
    papers = api_papers(bundled_site)
    record = papers[PAPER]
    page.goto(f"papers/{PAPER}/")
    nodes = page.locator("svg.neighbourhood a")
    hrefs = nodes.evaluate_all("links => links.map(link => link.getAttribute('href'))")
    neighbours = [link["slug"] for link in record["related"]] + [
        slug for slug in record["listed_as_related_by"] if slug not in {l["slug"] for l in record["related"]}]
    assert sorted(hrefs) == sorted(f"../{slug}/" for slug in neighbours + [PAPER])
    for index in range(nodes.count()):
        href = hrefs[index]
        slug = href.strip("./").rstrip("/")
        if slug == PAPER:
            continue
        page.goto(f"papers/{PAPER}/")
        page.locator(f'svg.neighbourhood a[href="{href}"]').click()
        expect(page.locator("article h1")).to_have_text(papers[slug]["title"])
