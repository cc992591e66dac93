"""Large sites: Pagefind takes over the search box, "All papers" is split.

The built-site tests use ``large_site`` (tests/conftest.py): 300 papers with
the thresholds lowered, so a small real build takes the large-site paths.
The browser side is in tests/browser/test_search_scale.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from benchmarks.synthetic import write_synthetic_dumps
from generator.corpus import build_corpus
from generator.parse import read_dump
from generator.render import (BY_DATE_DIR, BY_TITLE_DIR, PAPER_LIST_LIMIT, PAPERS_DIR,
                              render_paper_lists)
from generator.search import PAPER_PAGES, chosen_engine, count_papers
from tests.conftest import make_project


@pytest.mark.parametrize(("engine", "papers", "chosen"), [
    ("auto", 1200, "material"),
    ("auto", 1201, "pagefind"),
    ("material", 20_000, "material"),
    ("pagefind", 10, "pagefind"),
])
def test_engine_follows_the_setting_and_auto_the_paper_count(engine, papers, chosen) -> None:
    assert chosen_engine(engine, 1200, papers) == chosen


def test_paper_count_is_the_paper_pages_only(tmp_path: Path) -> None:
    for name in ("index.md", "papers/index.md", "papers/a.md", "papers/b.md",
                 "papers/by-title/a.md", "tags/x.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert count_papers(str(tmp_path)) == 2


def test_paper_pages_are_where_render_writes_them() -> None:
    assert PAPER_PAGES == f"{PAPERS_DIR}/*.md"


# --- The built large site --------------------------------------------------

class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.forms: list[dict] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])
        elif tag == "form" and attributes.get("name"):
            self.forms.append(attributes)
        elif tag == "script" and attributes.get("src"):
            self.scripts.append(attributes["src"])


def parsed(page: Path) -> _Links:
    links = _Links()
    links.feed(page.read_text(encoding="utf-8"))
    return links


def test_large_site_has_a_pagefind_index_of_every_page_and_no_material_index(large_site: Path) -> None:
    site = large_site / "site"
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    pages = [page for page in site.rglob("*.html") if "pagefind" not in page.parts]
    assert sum(language["page_count"] for language in entry["languages"].values()) == len(pages)
    assert not (site / "search").exists()


def test_large_site_pages_carry_the_pagefind_box_and_not_materials(large_site: Path) -> None:
    site = large_site / "site"
    page = site / "papers" / "index.html"
    links = parsed(page)
    assert [form.get("name") for form in links.forms] == ["pagefind-search"]
    script = next(src for src in links.scripts if src.endswith("pagefind-search.js"))
    assert (page.parent / script).resolve().is_file()
    assert 'data-md-component="search"' not in page.read_text(encoding="utf-8")


def test_small_site_keeps_materials_search(bundled_site: Path) -> None:
    site = bundled_site / "site"
    assert json.loads((site / "search" / "search_index.json").read_text())["docs"]
    assert not (site / "pagefind").exists()
    assert [form.get("name") for form in parsed(site / "index.html").forms] == ["search"]


def test_pagefind_without_materials_search_plugin_is_a_clear_error(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "docs" / "index.md").write_text("# Home\n")
    (project / "mkdocs.yml").write_text(
        "site_name: t\ntheme: material\nplugins:\n  - paper-search:\n      engine: pagefind\n"
    )
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"],
                            cwd=project, capture_output=True, text=True)
    assert result.returncode != 0
    assert "add the 'search' plugin to mkdocs.yml too" in result.stderr


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
