"""No broken internal links or anchors anywhere in the built site.

MkDocs' ``validation`` settings check Markdown links only; paper pages link
through raw HTML, so this crawls every HTML file of ``site/`` instead: each
``href``/``src`` that stays on the site must name an existing file, and each
``#fragment`` an ``id`` (or ``name``) on the page it points to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from mkdocs.config import load_config

LINK_ATTRIBUTES = {"href", "src"}
SEARCH_INDEX = "search/search_index.json"
# Where pages are taken to live when mkdocs.yml sets no site_url; any host would do.
LOCAL_ORIGIN = "http://site.invalid/"


@dataclass
class PageLinks:
    links: list[str] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)


class LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.page = PageLinks()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in LINK_ATTRIBUTES:
                self.page.links.append(value)
            elif name == "id" or (tag == "a" and name == "name"):
                self.page.anchors.add(value)


def parse_page(path: Path) -> PageLinks:
    parser = LinkParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.page


def target_file(site: Path, path_in_site: str) -> Path:
    """The file a web server serves for ``path_in_site`` (a folder serves its index.html)."""
    path = site / unquote(path_in_site)
    return path / "index.html" if path_in_site.endswith("/") or path.is_dir() else path


def broken_links(site: Path, origin: str = LOCAL_ORIGIN) -> list[str]:
    """Every internal link or anchor of ``site`` that leads nowhere, as 'page: link (why)'.

    ``origin`` is the address the site is published at (MkDocs' ``site_url``):
    links to it, such as the 404 page's absolute ones, are internal too.
    Search results are links as well: each location in Material's search index
    is checked like a link on the home page.
    """
    parsed = cache(parse_page)
    sources = [
        (page.relative_to(site).as_posix(), parsed(page).links) for page in sorted(site.rglob("*.html"))
    ]
    if (site / SEARCH_INDEX).is_file():
        # Material resolves the locations against the site's root, as links of its home page.
        docs = json.loads((site / SEARCH_INDEX).read_bytes())["docs"]
        sources.append((SEARCH_INDEX, [doc["location"] or "." for doc in docs]))
    problems = []
    for source, links in sources:
        base = origin if source == SEARCH_INDEX else urljoin(origin, source)
        for link in links:
            address, _, fragment = urljoin(base, link).partition("#")
            if not address.startswith(origin):
                continue  # another site, mailto:, data:, javascript:
            target = target_file(site, urlsplit(address.removeprefix(origin)).path)
            where = f"{source}: {link}"
            if not target.is_file():
                problems.append(f"{where} (no file {target.relative_to(site)})")
            elif fragment and target.suffix == ".html" and unquote(fragment) not in parsed(target).anchors:
                problems.append(f"{where} (no id {fragment!r} in {target.relative_to(site)})")
    return problems


@pytest.mark.parametrize("origin", [LOCAL_ORIGIN, "https://example.org/library/"])
def test_checker_finds_missing_pages_files_and_anchors(tmp_path: Path, origin: str) -> None:
    (tmp_path / "papers" / "a").mkdir(parents=True)
    (tmp_path / "style.css").write_text("")
    (tmp_path / "index.html").write_text(
        '<a href="papers/a/">ok</a> <a href="papers/a/#intro">ok</a> <a href="#top">ok</a>'
        '<h1 id="top">Top</h1> <link rel="stylesheet" href="style.css">'
        '<a href="https://example.org/missing/">elsewhere</a> <a href="mailto:x@y.z">mail</a>'
        '<a href="papers/b/">gone</a> <a href="papers/a/#nowhere">no anchor</a>'
        '<img src="logo.png">'
        f'<link rel="canonical" href="{origin}papers/a/"> <a href="{origin}papers/c/">gone</a>'
    )
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(json.dumps({"docs": [
        {"location": ""}, {"location": "papers/a/#intro"}, {"location": "papers/a/#gone"},
    ]}))
    (tmp_path / "papers" / "a" / "index.html").write_text(
        '<h2 id="intro">Intro</h2> <a href="../../index.html#top">back</a> <a href="../../#bottom">bad</a>'
    )
    assert broken_links(tmp_path, origin) == [
        "index.html: papers/b/ (no file papers/b/index.html)",
        "index.html: papers/a/#nowhere (no id 'nowhere' in papers/a/index.html)",
        "index.html: logo.png (no file logo.png)",
        f"index.html: {origin}papers/c/ (no file papers/c/index.html)",
        "papers/a/index.html: ../../#bottom (no id 'bottom' in index.html)",
        "search/search_index.json: papers/a/#gone (no id 'gone' in papers/a/index.html)",
    ]


@pytest.mark.slow
@pytest.mark.parametrize(("built", "pages"), [("bundled_site", 689), ("large_site", 300)])
def test_built_site_has_no_broken_internal_links_or_anchors(request, built: str, pages: int) -> None:
    """The bundled site, and a large one (Pagefind search, "All papers" split)."""
    project = request.getfixturevalue(built)
    site = project / "site"
    assert len(list(site.rglob("*.html"))) > pages
    site_url = load_config(str(project / "mkdocs.yml")).site_url
    problems = broken_links(site, site_url or LOCAL_ORIGIN)
    assert not problems, f"{len(problems)} broken links, first ones:\n" + "\n".join(problems[:20])
