"""Site search that stays fast at any size: Pagefind behind Material's search box.

Material's built-in search ships one index of every page's text, which the
browser downloads and indexes before it can show the first result: 0.6 MB
gzipped at 1k papers, 5.8 MB at 20k. Pagefind indexes the built site into
small compressed chunks and fetches only those a query needs, so the first
result costs a few hundred KB at any size.

This MkDocs plugin (``paper-search`` in mkdocs.yml) chooses the engine:
``material``, ``pagefind``, or ``auto`` (the default): Pagefind when the site
has more than ``pagefind_above`` papers. With Pagefind it keeps Material's
search box and result markup (its own template and script, so Material's
script never fetches an index), stops Material from indexing pages, and runs
Pagefind over the built site at the end of ``mkdocs build``.
"""

from __future__ import annotations

import contextlib
import logging
import subprocess
import sys
import time
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

log = logging.getLogger("mkdocs.plugins.paper-search")

THEME_DIR = Path(__file__).resolve().parent / "search_theme"
# The paper pages render.py writes (render.PAPERS_DIR; not imported, as
# render.py would bring scikit-learn into every mkdocs start).
PAPER_PAGES = "papers/*.md"
PAGEFIND_DIR = "pagefind"
# What Pagefind indexes of each page: the article, without the "Listed in"
# line every paper has, nor the lists of other papers' titles, which would
# make every neighbour of a paper match its title words.
PAGEFIND_ROOT = "article.md-content__inner"
PAGEFIND_EXCLUDE = ".related, .backlinks, .paper-sources"


class SearchConfig(Config):
    engine = config_options.Choice(("auto", "material", "pagefind"), default="auto")
    """``auto`` uses Pagefind above ``pagefind_above`` papers, Material's search below."""
    pagefind_above = config_options.Type(int, default=1200)
    """Material's index, mostly the papers' abstracts, is ~0.75 KB gzipped a
    paper (tag pages included): ~0.9 MB at 1,200 papers."""


def chosen_engine(engine: str, pagefind_above: int, papers: int) -> str:
    """The engine to use for a site of ``papers`` papers.

    >>> chosen_engine("auto", 1200, 20_000), chosen_engine("auto", 1200, 700)
    ('pagefind', 'material')
    """
    if engine != "auto":
        return engine
    return "pagefind" if papers > pagefind_above else "material"


def count_papers(docs_dir: str) -> int:
    return sum(1 for page in Path(docs_dir).glob(PAPER_PAGES) if page.name != "index.md")


def pagefind_command(site_dir: Path) -> list[str]:
    """Pagefind indexing the built site into ``site_dir/pagefind/``."""
    return [
        sys.executable, "-m", "pagefind", "--site", str(site_dir),
        "--output-subdir", PAGEFIND_DIR,
        "--root-selector", PAGEFIND_ROOT, "--exclude-selectors", PAGEFIND_EXCLUDE,
    ]


def run_pagefind(site_dir: Path) -> str:
    """Index the built site; Pagefind's report."""
    result = subprocess.run(pagefind_command(site_dir), capture_output=True, text=True)
    if result.returncode != 0:
        raise PluginError(f"paper-search: Pagefind failed:\n{result.stdout}{result.stderr}")
    return result.stdout


class SearchPlugin(BasePlugin[SearchConfig]):
    engine = "material"

    def on_config(self, config):
        self.engine = chosen_engine(
            self.config.engine, self.config.pagefind_above, count_papers(config.docs_dir)
        )
        if self.engine == "pagefind":
            search = config.plugins.get("material/search")
            if search is None or not search.config.enabled:
                raise PluginError(
                    "paper-search: the Pagefind engine shows its results in Material's "
                    "search box: add the 'search' plugin to mkdocs.yml too"
                )
            # Our partials/search.html and script take the place of Material's.
            config.theme.dirs.insert(0, str(THEME_DIR))
        log.debug(f"paper-search: search engine {self.engine}")
        return config

    def on_page_markdown(self, markdown, *, page, config, files):
        if self.engine == "pagefind":
            # Material's own front-matter switch: skip indexing this page.
            page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        return markdown

    @event_priority(-100)  # after Material's search has written its (now empty) index
    def on_post_build(self, *, config):
        if self.engine != "pagefind":
            return
        site = Path(config.site_dir)
        (site / "search" / "search_index.json").unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # the folder, if nothing else is in it
            (site / "search").rmdir()
        started = time.perf_counter()
        report = run_pagefind(site)
        # Pagefind's report holds a line "  Indexed 1004 pages".
        pages = next((line.split()[1] for line in report.splitlines()
                      if line.strip().startswith("Indexed") and line.endswith("pages")), "?")
        log.info(f"Pagefind indexed {pages} pages in {time.perf_counter() - started:.2f} s")
