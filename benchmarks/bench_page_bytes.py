"""Bytes a reader downloads for one page view that does not search.

Usage: ``python -m benchmarks.bench_page_bytes [SITE] [--page PATH ...]``
(SITE defaults to ``site/``, built with ``make site``). Each page is opened
in a fresh browser (empty cache) and left to settle; the files the server
sent are summed, raw and as a gzip-serving host (GitHub Pages) sends them.
The default pages are the home page and the first paper page.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.bench_pipeline import CHROMIUM, CHROMIUM_FLAGS, ROOT, logging_server, sent_size

SETTLE_MS = 3000  # long enough for a search worker to fetch its index unasked


def first_paper_page(site: Path) -> str:
    page = min(path for path in (site / "papers").glob("*/index.html")
               if path.parent.name not in ("by-title", "newest"))
    return page.parent.relative_to(site).as_posix() + "/"


def page_view(site: Path, path: str) -> list[tuple[str, int, int]]:
    """(file, raw bytes, gzipped bytes) of each file sent for a first visit of ``path``."""
    from playwright.sync_api import sync_playwright

    with logging_server(site) as (url, sent), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(url + path, wait_until="networkidle")
        page.wait_for_timeout(SETTLE_MS)
        files = list(sent)
        browser.close()
    return [(file.relative_to(site).as_posix(), *sent_size(file)) for file in files]


def report(path: str, files: list[tuple[str, int, int]]) -> str:
    raw, gz = sum(file[1] for file in files), sum(file[2] for file in files)
    lines = [f"{path or '/'}: {len(files)} requests, {raw / 1024:.0f} KB raw, {gz / 1024:.0f} KB gzipped"]
    lines += [f"  {gzipped / 1024:8.1f} KB gz  {size / 1024:8.1f} KB  {name}"
              for name, size, gzipped in sorted(files, key=lambda file: -file[1])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site")
    parser.add_argument("--page", action="append", help="a page's path under the site, e.g. tags/")
    arguments = parser.parse_args(argv)
    pages = arguments.page or ["", first_paper_page(arguments.site)]
    for path in pages:
        print(report(path, page_view(arguments.site, path)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
