"""Large sites: the search index holds the papers only, "All papers" is split.

The built-site tests use ``large_site`` (tests/conftest.py): 300 papers with
the paper-list limit lowered, so a small real build takes the large-site paths.
The browser side is in tests/browser/test_search_scale.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from benchmarks.synthetic import write_synthetic_dumps
from generator.corpus import build_corpus
from generator.parse import read_dump
from generator.render import (BY_DATE_DIR, BY_TITLE_DIR, PAPER_LIST_LIMIT, PAPERS_DIR,
                              render_paper_lists)
from tests.conftest import search_records


# --- The built large site --------------------------------------------------

class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])


def parsed(page: Path) -> _Links:
    links = _Links()
    links.feed(page.read_text(encoding="utf-8"))
    return links


def test_large_site_indexes_its_papers_only(large_site: Path) -> None:
    site = large_site / "site"
    papers = {path.parent.name for path in (site / PAPERS_DIR).glob("*/index.html")} - {
        BY_TITLE_DIR, BY_DATE_DIR}
    assert len(papers) > 300
    assert set(search_records(site)) == {f"/{PAPERS_DIR}/{paper}/" for paper in papers}


def test_split_paper_list_links_every_paper_once_from_its_letter_page(large_site: Path) -> None:
    site = large_site / "site"
    papers = {path.parent.name for path in (site / PAPERS_DIR).glob("*/index.html")} - {
        BY_TITLE_DIR, BY_DATE_DIR}
    letter_pages = [site / PAPERS_DIR / href / "index.html"
                    for href in parsed(site / PAPERS_DIR / "index.html").hrefs
                    if href.startswith(f"{BY_TITLE_DIR}/")]
    assert len(letter_pages) > 10
    listed = []
    for page in letter_pages:
        for href in parsed(page).hrefs:
            target = (page.parent / href).resolve()
            if target.parent == (site / PAPERS_DIR).resolve() and target.name in papers:
                listed.append(target.name)
                assert page.parent.name == target.name[0] or page.parent.name == "0-9"
    assert sorted(listed) == sorted(papers)


# --- The split, rendered from a corpus past the limit -----------------------

@pytest.fixture(scope="module")
def corpus_past_the_limit(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dumps")
    files = write_synthetic_dumps(folder, PAPER_LIST_LIMIT + 1)
    return build_corpus([read_dump(file) for file in files])


def test_paper_list_is_one_page_up_to_the_limit(corpus_past_the_limit) -> None:
    corpus = corpus_past_the_limit
    smaller = type(corpus)(corpus.papers[:PAPER_LIST_LIMIT], corpus.dumps)
    pages = render_paper_lists(smaller)
    assert list(pages) == [f"{PAPERS_DIR}/index.md"]
    assert pages[f"{PAPERS_DIR}/index.md"].count("<li>") == PAPER_LIST_LIMIT


def test_paper_list_past_the_limit_is_an_index_of_letter_pages(corpus_past_the_limit) -> None:
    corpus = corpus_past_the_limit
    pages = render_paper_lists(corpus)
    index = pages.pop(f"{PAPERS_DIR}/index.md")
    linked = re.findall(r'href="(by-title/[a-z0-9-]+)/"', index)
    assert sorted(f"{PAPERS_DIR}/{link}.md" for link in linked) == sorted(pages)
    assert sum(page.count("<li>") for page in pages.values()) == len(corpus.papers)
