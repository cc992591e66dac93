"""Benchmark the search box in Debian's chromium: what a reader typing sees.

Each query of ``benchmarks/data/search_queries.yml`` is typed into a fresh
page of a built site at 120 ms per key. Measured per query:

* **settle**: from the last keystroke to the last change of the result list;
* **stale**: result sets shown after the last keystroke that are not the final one;
* **top-3 hit** and **reciprocal rank** of the first expected paper among the
  results (any page counts as a result: a list page above the paper costs rank);
* **bytes before the first result**: the search files the server sent from the
  page load to the first result on screen, as a gzip-serving host sends them;
  and the search files sent before the box was focused.

Usage::

    python -m benchmarks.bench_search --papers 689 20000            # build with this tree
    python -m benchmarks.bench_search --papers 689 --code ../main   # "before": another tree
    python -m benchmarks.bench_search --site after-689=/tmp/p/site  # an already built site

A build of 20k papers takes several minutes (``mkdocs build`` is ~8 ms a page).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.bench_pipeline import logging_server, sent_size
from benchmarks.synthetic import ROOT, write_synthetic_dumps
from tests.browser.conftest import CHROMIUM_FLAGS, chromium_path

QUERIES = Path(__file__).resolve().parent / "data" / "search_queries.yml"
KEY_DELAY_MS = 120
QUIET_SECONDS = 2.0     # no change for this long after the last key: settled
GIVE_UP_SECONDS = 20.0
# What a search engine fetches: Material's worker, lunr and index; Pagefind's
# bundle; the typo vocabulary and the vendored MiniSearch.
SEARCH_PATHS = ("search/", "pagefind/", "assets/javascripts/workers/", "assets/javascripts/lunr/",
                "assets/javascripts/vendor/")
PAPER_LINK = re.compile(r"/papers/(?!by-title/)([^/#?]+)/")

# Records, in the page, each keystroke and each result set shown (epoch ms).
OBSERVER = """
window.__search = {keys: [], sets: []};
document.addEventListener("keydown", () => window.__search.keys.push(Date.now()), true);
function __snapshot() {
  const items = [...document.querySelectorAll(".md-search-result__item")];
  const hrefs = items.map((item) => (item.querySelector("a") || {}).href || "");
  const last = window.__search.sets[window.__search.sets.length - 1];
  if (!last || last.hrefs.join(" ") !== hrefs.join(" ")) window.__search.sets.push({at: Date.now(), hrefs});
}
new MutationObserver(__snapshot).observe(document, {subtree: true, childList: true});
"""


class TimedFiles(list):
    """The files a server sent, each as (epoch when sent, file)."""

    def append(self, path: Path) -> None:
        super().append((time.time(), path))


def rank(hrefs: list[str], expected: set[str]) -> int | None:
    """1-based position of the first expected paper among the result pages."""
    for position, href in enumerate(hrefs, start=1):
        match = PAPER_LINK.search(href)
        if match and match[1] in expected:
            return position
    return None


def wait_until_settled(page) -> dict:
    deadline = time.time() + GIVE_UP_SECONDS
    while True:
        state = page.evaluate("window.__search")
        last_change = max([state["keys"][-1], *(shown["at"] for shown in state["sets"])]) / 1000
        if time.time() - last_change > QUIET_SECONDS or time.time() > deadline:
            return state
        time.sleep(0.2)


def search_kb(files: list[Path], site: Path) -> float:
    searched = {path for path in files if path.relative_to(site).as_posix().startswith(SEARCH_PATHS)}
    return sum(sent_size(path)[1] for path in searched) / 1024


def type_query(browser, url: str, sent: list, site: Path, query: str, expected: set[str]) -> dict:
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(OBSERVER)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(800)  # what the page fetches by itself once loaded
    focused = time.time()
    page.keyboard.press("/")
    page.keyboard.type(query, delay=KEY_DELAY_MS)
    state = wait_until_settled(page)
    context.close()
    last_key = state["keys"][-1]
    sets = [shown for shown in state["sets"] if shown["hrefs"]]
    final = state["sets"][-1]["hrefs"] if state["sets"] else []
    after = [shown for shown in state["sets"] if shown["at"] > last_key]
    first = sets[0]["at"] / 1000 if sets else None
    position = rank(final, expected)
    return {
        "settle_ms": max(0, after[-1]["at"] - last_key) if after else 0,
        "stale": sum(1 for shown in after if shown["hrefs"] and shown["hrefs"] != final),
        "top3": position is not None and position <= 3,
        "reciprocal_rank": 1 / position if position and position <= 10 else 0.0,
        "kb_before_focus": search_kb([path for at, path in sent if at < focused], site),
        "kb_before_first_result": search_kb([path for at, path in sent if first and at <= first], site),
    }


def bench_site(site: Path, queries: list[dict]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    results = []
    with logging_server(site, TimedFiles()) as (url, sent), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        for query in queries:
            sent.clear()
            result = type_query(browser, url, sent, site, query["query"], set(query["expect"]))
            results.append({**query, **result})
            print(f"  {query['query']!r}: settle {result['settle_ms']} ms, stale {result['stale']}, "
                  f"rr {result['reciprocal_rank']:.2f}", file=sys.stderr, flush=True)
        browser.close()
    return results


def summary(label: str, results: list[dict]) -> list[str]:
    def line(kind: str, rows: list[dict]) -> str:
        settle = sorted(row["settle_ms"] for row in rows)
        return (f"| {label} | {kind} | {len(rows)} | {statistics.median(settle):.0f} | {settle[-1]:.0f} | "
                f"{sum(row['stale'] for row in rows)} | {sum(row['top3'] for row in rows) / len(rows):.0%} | "
                f"{statistics.mean(row['reciprocal_rank'] for row in rows):.3f} | "
                f"{max(row['kb_before_focus'] for row in rows):.0f} | "
                f"{statistics.median(row['kb_before_first_result'] for row in rows):.0f} / "
                f"{max(row['kb_before_first_result'] for row in rows):.0f} |")

    kinds = sorted({row["kind"] for row in results})
    return [line(kind, [row for row in results if row["kind"] == kind]) for kind in kinds] + [
        line("**all**", results)]


HEADER = [
    "| site | queries | n | settle median ms | settle max ms | stale sets | top-3 | MRR "
    "| search KB before focus (gz) | search KB to first result (gz, median / max) |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
]


def build_site(code: Path, folder: Path, papers: int) -> Path:
    """Generate and build a site of ``papers`` papers with the code tree ``code``."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "docs").mkdir(parents=True)
    for name in ("mkdocs.yml", "tags.yml"):
        shutil.copy(code / name, folder / name)
    shutil.copytree(code / "docs" / "assets", folder / "docs" / "assets")
    if papers == 689:
        shutil.copytree(ROOT / "dumps", folder / "dumps")  # the bundled papers, dates included
    else:
        write_synthetic_dumps(folder / "dumps", papers)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    for command in (["generator", "--dumps", folder / "dumps", "--docs", folder / "docs",
                     "--config", folder / "mkdocs.yml", "--quiet"],
                    ["mkdocs", "build", "--strict", "--quiet", "-f", folder / "mkdocs.yml"]):
        print(f"== {papers} papers: {command[0]}", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", *map(str, command)], cwd=code, env=env, check=True)
    return folder / "site"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, nargs="*", default=[], help="build sites of these sizes")
    parser.add_argument("--code", type=Path, default=ROOT, help="the code tree to build them with")
    parser.add_argument("--site", action="append", default=[], metavar="LABEL=PATH",
                        help="an already built site/ folder to measure")
    parser.add_argument("--limit", type=int, help="only the first N queries")
    args = parser.parse_args(argv)
    queries = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))[: args.limit]
    sites = [tuple(item.split("=", 1)) for item in args.site]
    with tempfile.TemporaryDirectory() as workdir:
        for papers in args.papers:
            sites.append((f"{papers}", build_site(args.code.resolve(), Path(workdir) / str(papers), papers)))
        lines = list(HEADER)
        for label, site in sites:
            print(f"== {label}: {len(queries)} queries", file=sys.stderr, flush=True)
            lines += summary(label, bench_site(Path(site), queries))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
