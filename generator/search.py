"""Site search: Pagefind behind Material's search box, at every size.

This MkDocs plugin (``paper-search`` in mkdocs.yml) replaces Material's
search (lunr over one index of every page, which the browser downloads before
the first result: 0.43 MB gzipped at 689 papers, 5.8 MB at 20k) with a
Pagefind index of the paper pages (generator/search_index.py), whose chunks
the browser fetches only when the reader searches. It keeps Material's search
box and result markup with its own partial and script, which load nothing
until the search box is focused; it stops Material from indexing pages, and
writes the index at the end of ``mkdocs build``.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from generator.search_index import SearchRecord, index_command, record_from_page, write_search_index

log = logging.getLogger("mkdocs.plugins.paper-search")

THEME_DIR = Path(__file__).resolve().parent / "search_theme"
PAGEFIND_DIR = "pagefind"
# The typo-correction word list, beside Material's (removed) search folder.
VOCABULARY_FILE = "search/vocabulary.json"


class SearchPlugin(BasePlugin):
    def __init__(self) -> None:
        self.records: list[SearchRecord] = []

    def on_config(self, config):
        search = config.plugins.get("material/search")
        if search is None or not search.config.enabled:
            raise PluginError(
                "paper-search: the search results show in Material's search box: "
                "add the 'search' plugin to mkdocs.yml too"
            )
        # Our partials/search.html and script take the place of Material's.
        config.theme.dirs.insert(0, str(THEME_DIR))
        self.records = []
        return config

    def on_page_markdown(self, markdown, *, page, config, files):
        # Material's own front-matter switch: skip indexing this page.
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        record = record_from_page(page.url, page.meta)
        if record is not None:
            self.records.append(record)
        return markdown

    @event_priority(-100)  # after Material's search has written its (now empty) index
    def on_post_build(self, *, config):
        site = Path(config.site_dir)
        shutil.rmtree(site / "search", ignore_errors=True)
        shutil.rmtree(site / PAGEFIND_DIR, ignore_errors=True)
        started = time.perf_counter()
        try:
            write_search_index(self.records, site / PAGEFIND_DIR, site / VOCABULARY_FILE)
        except Exception as error:  # Pagefind's service reports its failures as exceptions
            raise PluginError(f"paper-search: Pagefind failed: {error}") from error
        log.info(f"Pagefind indexed {len(self.records)} pages "
                 f"in {time.perf_counter() - started:.2f} s")


def search_index_command(project: Path) -> list[str]:
    """Indexing a built project's site alone, as its build does (for benchmarks)."""
    return index_command(project / "docs", project / "site", PAGEFIND_DIR, VOCABULARY_FILE)
