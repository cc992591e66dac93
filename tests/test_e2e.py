"""End to end: fixture dumps -> generator -> real `mkdocs build --strict` -> HTML."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import dump_text, generate, make_project, mkdocs_build

ESCAPING = (
    "Seeing <projektor> with *stars*, _underscores_, a | pipe, # hash, [x](y) and "
    "{{ config.site_name }} {% raw %} as text. Code: https://github.com/a/b. "
    r"Schr\"odinger costs 2.5\% with {\em emphasis}."
)
PAPERS = [
    ("$f$-Divergence Minimization for Sequence Models", ESCAPING),
    ("Graph Neural Networks for Molecules",
     "We learn molecular graphs with message passing neural networks. Molecules are graphs."),
    ("Message Passing Graph Networks for Molecular Property Prediction",
     "Graph neural networks with message passing predict molecular properties of molecules."),
]


class ElementCollector(HTMLParser):
    """Every start tag of an HTML document, and the text inside one element."""

    def __init__(self, css_class: str) -> None:
        super().__init__()
        self.css_class, self.depth, self.text, self.tags = css_class, 0, [], []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
            self.tags.append(tag)
        elif self.css_class in (dict(attrs).get("class") or "").split():
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def element(html: str, css_class: str) -> tuple[str, list[str]]:
    """The text of the first element with ``css_class``, and the tags inside it."""
    collector = ElementCollector(css_class)
    collector.feed(html)
    return "".join(collector.text), collector.tags


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("e2e"), {
        "001.txt": dump_text(*PAPERS[:2]),
        "002.txt": dump_text(PAPERS[1], PAPERS[2], date="Mar 14"),
    })
    assert generate(project) == 0
    return mkdocs_build(project)


def page(site: Path, slug: str) -> str:
    return (site / "papers" / slug / "index.html").read_text(encoding="utf-8")


def test_every_paper_has_a_page_and_the_lists_link_them(site):
    slugs = ["f-divergence-minimization-for-sequence-models", "graph-neural-networks-for-molecules",
             "message-passing-graph-networks-for-molecular-property-prediction"]
    for slug in slugs:
        assert (site / "papers" / slug / "index.html").exists()
        assert f'href="{slug}/"' in (site / "papers/index.html").read_text()
    home = (site / "index.html").read_text()
    assert "3 machine-learning papers" in home and "2 listing dumps" in home
    assert "Mar 14" in home


def test_abstract_is_shown_exactly_as_text(site):
    html = page(site, "f-divergence-minimization-for-sequence-models")
    text, tags = element(html, "paper-abstract")
    assert text == (
        "Seeing <projektor> with *stars*, _underscores_, a | pipe, # hash, [x](y) and "
        "{{ config.site_name }} {% raw %} as text. Code: https://github.com/a/b. "
        "Schrödinger costs 2.5% with emphasis."
    )
    # Only the markup the generator means: the paragraph, the link, the emphasis.
    assert tags == ["p", "a", "em"]
    assert '<a href="https://github.com/a/b">https://github.com/a/b</a>.' in html


def test_math_title_renders_and_page_title_is_text(site):
    html = page(site, "f-divergence-minimization-for-sequence-models")
    assert '<h1 class="paper-title" id="paper"><span class="math">f</span>-Divergence' in html
    assert "<title>f-Divergence Minimization for Sequence Models - " in html


def test_related_papers_link_each_other(site):
    html = page(site, "graph-neural-networks-for-molecules")
    related, _ = element(html, "related")
    assert "Message Passing Graph Networks for Molecular Property Prediction" in related
    assert "shared:" in related
    assert 'href="../message-passing-graph-networks-for-molecular-property-prediction/"' in html
    # It lists this paper too: said once, not repeated under "Listed as related by".
    mutual, _ = element(html, "related-mutual")
    assert mutual.endswith("of these also list this paper.")
    assert 'class="backlinks"' not in html or "Message Passing" not in element(html, "backlinks")[0]


def test_sources_and_dates_are_shown(site):
    text, _ = element(page(site, "graph-neural-networks-for-molecules"), "paper-sources")
    assert text == "Listed in 001.txt, 002.txt (Mar 14)"


def test_search_index_and_no_paper_in_the_navigation(site):
    index = (site / "search" / "search_index.json").read_text()
    assert "Graph Neural Networks for Molecules" in index
    nav, _ = element((site / "index.html").read_text(), "md-nav--primary")
    assert "Graph Neural Networks" not in nav


def test_no_asset_is_fetched_from_the_internet(site):
    html = page(site, "graph-neural-networks-for-molecules")
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    for attribute in ('src="http', "src='http", 'href="http'):
        leaks = [line for line in html.splitlines() if attribute in line
                 and "github.com/a/b" not in line and "mkdocs" not in line
                 and "squidfunk" not in line
                 and 'rel="canonical"' not in line]  # names site_url; nothing is fetched
        assert leaks == [], leaks
