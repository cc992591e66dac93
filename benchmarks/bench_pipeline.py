"""Benchmark the whole pipeline on synthetic corpora: time, memory and sizes.

For each size (default 1k, 5k and 20k papers) it makes a project in a
temporary folder with ``benchmarks.synthetic`` dumps, then measures:

* the generator's stages (parse, merge, related papers, tags, render, write,
  and within render the explore files: map layout, find-similar model, JSON
  API), each with its wall time and peak memory, and whether the explore
  files come out byte-identical in two runs;
* the whole generator CLI (``python -m generator``) and ``mkdocs build
  --strict``, each in a subprocess, with wall time and peak RSS;
* the built site: pages, size, largest HTML page, the search index (raw and
  gzipped), the map data, find-similar model and API sizes and, in a real
  browser, the bytes downloaded and the time taken before the first search
  result appears, before the map is drawn, before find-similar is ready,
  and for it to answer a pasted abstract.

It prints a table and writes the figures as JSON (``--output``).

How memory is measured
----------------------
Each stage runs twice, each time in a fresh subprocess, so that the
benchmark's own memory never counts:

* the *timing pass* times each stage with ``time.perf_counter`` and reads the
  process's RSS high-water mark (``ru_maxrss``) after it; the stage that
  raises it is the one that needed the memory;
* the *memory pass* runs the same stages under ``tracemalloc`` (which slows
  Python code, hence the separate pass) and records each stage's peak of
  traced memory: every Python object and NumPy/SciPy array alive at the
  worst moment of the stage, including what earlier stages still hold.

Subprocesses (the CLI, ``mkdocs build``) are reaped with ``os.wait4``, whose
``ru_maxrss`` is that one child's peak RSS.

Usage::

    python -m benchmarks.bench_pipeline                    # 1k, 5k, 20k papers
    python -m benchmarks.bench_pipeline --sizes 1000 5000  # some sizes only
    python -m benchmarks.bench_pipeline --no-browser       # skip the search timing
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import inspect
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import threading
import tracemalloc
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator

import generator.analysis
import generator.render
from benchmarks.synthetic import ROOT, write_synthetic_dumps
from generator.cli import dump_files, read_dumps
from generator.config import load_config
from generator.corpus import build_corpus
from generator.render import render_site
from generator.search import search_index_command
from generator.write import write_pages

DEFAULT_SIZES = (1000, 5000, 20_000)
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "pipeline.json"
# Functions that analysis.py and render.py call, by the module defining them,
# are timed as stages of their own.
SUBSTAGES = {
    generator.analysis: {"generator.related": "related", "generator.tags": "tags"},
    generator.render: {"generator.explore.pages": "explore"},
}
STAGES = ("parse", "merge", "related", "tags", "analysis", "explore", "render", "write")
# The explore files (map, find-similar, JSON API): must be the same bytes every run.
EXPLORE_DIRS = ("map", "similar", "api")
MB = 1024 * 1024
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SEARCH_QUERY = "diffusion"


# --- Stage probes: one per pass, both used as ``with probe("stage"):`` -----

class TimeProbe:
    """Wall and CPU time of each stage and the RSS high-water mark after it
    (CPU time is what an idle machine's wall time would be, on one core)."""

    def __init__(self) -> None:
        self.results: dict[str, dict] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start, cpu = time.perf_counter(), time.process_time()
        yield
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        previous = self.results.get(stage, {})
        self.results[stage] = {
            "seconds": previous.get("seconds", 0.0) + seconds,
            "cpu_seconds": previous.get("cpu_seconds", 0.0) + cpu,
            "rss_high_water_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }


class MemoryProbe:
    """Peak traced memory of each stage; stages may nest (analysis holds related)."""

    def __init__(self) -> None:
        self.results: dict[str, dict] = {}
        self.open: list[list] = []  # [stage, traced at start, peak so far]

    def _fold_peak(self) -> None:
        peak = tracemalloc.get_traced_memory()[1]
        for entry in self.open:
            entry[2] = max(entry[2], peak)
        tracemalloc.reset_peak()

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        self._fold_peak()
        current = tracemalloc.get_traced_memory()[0]
        self.open.append([stage, current, current])
        try:
            yield
        finally:
            self._fold_peak()
            _, start, peak = self.open.pop()
            self.results[stage] = {"peak_mb": peak / MB, "added_mb": (peak - start) / MB}


def _probed(function: Callable, stage: str, probe, running: set[str]) -> Callable:
    def timed(*args, **kwargs):
        if stage in running:  # a stage function calling another: count once
            return function(*args, **kwargs)
        running.add(stage)
        try:
            with probe(stage):
                return function(*args, **kwargs)
        finally:
            running.discard(stage)
    return timed


def instrument_substages(probe) -> None:
    """Route the functions of ``SUBSTAGES`` through ``probe``, where their callers call them."""
    running: set[str] = set()
    for caller, stages in SUBSTAGES.items():
        for name, value in list(vars(caller).items()):
            stage = stages.get(getattr(value, "__module__", ""))
            if stage and inspect.isfunction(value):
                setattr(caller, name, _probed(value, stage, probe, running))


def run_stages(project: Path, docs: Path, probe) -> None:
    """The generator's stages, as ``generator.cli.run`` chains them."""
    instrument_substages(probe)
    config = load_config(project / "mkdocs.yml")
    with probe("parse"):
        dumps = read_dumps(dump_files(project / "dumps"))
    with probe("merge"):
        corpus = build_corpus(dumps)
    with probe("analysis"):
        analysis = generator.analysis.analyse(corpus, config)
    with probe("render"):
        pages = render_site(corpus, analysis, config.site_url, config)
    with probe("write"):
        write_pages(docs, pages)


def explore_digest(docs: Path) -> str:
    """One SHA-256 over the explore files' paths and bytes."""
    digest = hashlib.sha256()
    for path in sorted(path for folder in EXPLORE_DIRS for path in (docs / folder).rglob("*")):
        digest.update(path.relative_to(docs).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def stage_pass(project: Path, trace_memory: bool) -> dict:
    """One pass over the stages (run in a subprocess); the probe's results."""
    docs = Path(tempfile.mkdtemp(prefix="bench-docs-"))
    try:
        if trace_memory:
            tracemalloc.start()
            probe = MemoryProbe()
        else:
            probe = TimeProbe()
        run_stages(project, docs, probe)
        return {**probe.results, "explore_sha256": explore_digest(docs)}
    finally:
        shutil.rmtree(docs)


# --- Subprocesses, each measured on its own --------------------------------

def run_measured(command: list[str], cwd: Path) -> dict:
    """Run ``command``; its wall time, peak RSS, exit status and output."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = {
            "seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024,
            "stdout": out.read().decode(), "stderr": err.read().decode(),
        }
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n"
                         f"{result['stdout']}\n{result['stderr']}")
    return result


def measured_pass(project: Path, trace_memory: bool) -> dict:
    command = [sys.executable, "-m", "benchmarks.bench_pipeline", "--stage-pass", str(project)]
    if trace_memory:
        command.append("--trace-memory")
    return json.loads(run_measured(command, ROOT)["stdout"])


def make_project(folder: Path, papers: int) -> Path:
    """A project like a fresh clone, with ``papers`` synthetic papers as its dumps."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name in ("mkdocs.yml", "tags.yml"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, folder / name)
    shutil.copytree(ROOT / "docs" / "assets", folder / "docs" / "assets")
    shutil.copytree(ROOT / "overrides", folder / "overrides")
    write_synthetic_dumps(folder / "dumps", papers)
    return folder


# --- The built site -------------------------------------------------------

def gzipped_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def site_sizes(site: Path) -> dict:
    files = [path for path in site.rglob("*") if path.is_file()]
    html = [path for path in files if path.suffix == ".html"]
    largest = max(html, key=lambda path: path.stat().st_size)
    sizes = {
        "files": len(files),
        "html_pages": len(html),
        "site_mb": sum(path.stat().st_size for path in files) / MB,
        "largest_html_kb": largest.stat().st_size / 1024,
        "largest_html": largest.relative_to(site).as_posix(),
    }
    for name, relative in EXPLORE_FILES.items():
        if (site / relative).exists():
            sizes[f"{name}_mb"] = (site / relative).stat().st_size / MB
            sizes[f"{name}_gz_mb"] = gzipped_size(site / relative) / MB
    material_index = site / "search" / "search_index.json"
    if material_index.exists():
        sizes["search_engine"] = "material"
        sizes["search_index_mb"] = material_index.stat().st_size / MB
        sizes["search_index_gz_mb"] = gzipped_size(material_index) / MB
    pagefind = site / "pagefind"
    if pagefind.is_dir():
        bundle = [path for path in pagefind.rglob("*") if path.is_file()]
        sizes["search_engine"] = "pagefind"
        sizes["search_index_files"] = len(bundle)
        sizes["search_index_mb"] = sum(path.stat().st_size for path in bundle) / MB
        sizes["search_index_gz_mb"] = sum(sent_size(path)[1] for path in bundle) / MB
    return sizes


# The explore files whose sizes are reported.
EXPLORE_FILES = {"map_data": "map/data.json", "similar_model": "similar/model.json",
                 "api_papers": "api/papers.json"}
# Files a search engine fetches: Material's worker and index, or Pagefind's bundle.
SEARCH_PATHS = ("search/", "pagefind/", "assets/javascripts/workers/")
# Pagefind's index and fragment files are gzip-compressed already.
PRECOMPRESSED = (".pf_index", ".pf_fragment", ".pf_meta", ".pagefind")


def sent_size(path: Path) -> tuple[int, int]:
    """A file's size as served here (raw) and as a gzip-serving host sends it."""
    raw = path.stat().st_size
    return raw, raw if path.name.endswith(PRECOMPRESSED) else gzipped_size(path)


@contextmanager
def logging_server(site: Path, sent: list | None = None) -> Iterator[tuple[str, list[Path]]]:
    """Serve ``site`` on 127.0.0.1; yield its URL and the list of files sent so far
    (``sent``, if given: each file is ``append``-ed to it)."""
    sent = [] if sent is None else sent

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def do_GET(self) -> None:
            super().do_GET()
            path = Path(self.translate_path(self.path))
            path = path / "index.html" if path.is_dir() else path
            if path.is_file():
                sent.append(path)

        def log_message(self, format: str, *args: object) -> None:
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), Handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/", sent
        finally:
            server.shutdown()
            thread.join()


def search_in_browser(site: Path, query: str = SEARCH_QUERY) -> dict:
    """Open the home page, type ``query``, wait for the first result.

    Counts the files the server sent from the start of the page load to the
    first result, raw and as a gzip-serving host (GitHub Pages) sends them,
    and times from the first keystroke to the first result on screen.
    """
    from playwright.sync_api import sync_playwright

    with logging_server(site) as (url, sent), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(url, wait_until="load")
        start = time.perf_counter()
        page.keyboard.press("/")
        page.keyboard.type(query)
        page.locator(".md-search-result__item").first.wait_for(timeout=600_000)
        seconds = time.perf_counter() - start
        results = page.locator(".md-search-result__meta").inner_text()
        files = list(sent)
        browser.close()
    relative = [path.relative_to(site).as_posix() for path in files]
    search_files = [path for path, name in zip(files, relative) if name.startswith(SEARCH_PATHS)]
    sizes = {path: sent_size(path) for path in files}
    return {
        "query": query,
        "results_line": results,
        "seconds_to_first_result": seconds,
        "requests_before_first_result": len(files),
        "kb_before_first_result": sum(sizes[path][0] for path in files) / 1024,
        "gz_kb_before_first_result": sum(sizes[path][1] for path in files) / 1024,
        "search_files": sorted(set(name for name in relative if name.startswith(SEARCH_PATHS))),
        "search_kb": sum(sizes[path][0] for path in search_files) / 1024,
        "search_gz_kb": sum(sizes[path][1] for path in search_files) / 1024,
    }


def explore_in_browser(site: Path) -> dict:
    """Open map/ and similar/ as a reader does, each with an empty cache: the
    time until each is ready (map data fetched and drawn; model loaded) and
    the bytes fetched for it as gzip would send them; then the time
    find-similar takes to answer a pasted abstract."""
    from playwright.sync_api import sync_playwright

    abstract = json.loads((site / "api" / "papers.json").read_text("utf-8"))["papers"][0]["abstract"]
    figures = {}
    with logging_server(site) as (url, sent), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for name, ready in (("map", "#paper-map[data-ready]"), ("similar", "#find-similar[data-ready]")):
            page = browser.new_context().new_page()
            sent.clear()
            start = time.perf_counter()
            page.goto(f"{url}{name}/")
            page.wait_for_selector(ready, state="attached", timeout=600_000)
            figures[f"{name}_seconds"] = time.perf_counter() - start
            figures[f"{name}_gz_kb"] = sum(sent_size(path)[1] for path in sent) / 1024
        start = time.perf_counter()
        page.fill("#similar-text", abstract)
        page.click("#find-similar button")
        page.locator(".find-similar-results > li").first.wait_for(timeout=600_000)
        figures["similar_query_seconds"] = time.perf_counter() - start
        browser.close()
    return figures


PAGEFIND_LOG = "Pagefind indexed"


def pagefind_seconds(build_output: str) -> float | None:
    """The indexing time the search plugin logs, e.g. 'Pagefind indexed 812 pages in 3.1 s'."""
    for line in build_output.splitlines():
        if PAGEFIND_LOG in line:
            return float(line.rsplit(" in ", 1)[1].split()[0])
    return None


def bench_size(papers: int, workdir: Path, browser: bool) -> dict:
    project = make_project(workdir / f"papers-{papers}", papers)
    print(f"== {papers} papers: generator", file=sys.stderr, flush=True)
    cli = run_measured([sys.executable, "-m", "generator", "--quiet"], project)
    timing = measured_pass(project, trace_memory=False)
    memory = measured_pass(project, trace_memory=True)
    print(f"== {papers} papers: mkdocs build", file=sys.stderr, flush=True)
    build = run_measured([sys.executable, "-m", "mkdocs", "build", "--strict"], project)
    site = project / "site"
    # The build's peak RSS counts Pagefind's, a child of it: measure Pagefind alone too.
    pagefind = run_measured(search_index_command(project), project) if (site / "pagefind").is_dir() else None
    result = {
        "papers": papers,
        # Other work on the 2 cores slows every figure: keep the load beside them.
        "load_average_1min": os.getloadavg()[0],
        "stages": {
            stage: {**timing.get(stage, {}), **memory.get(stage, {})}
            for stage in STAGES if stage in timing
        },
        "generator_cli": {"seconds": cli["seconds"], "peak_rss_mb": cli["peak_rss_mb"],
                          "summary": cli["stdout"].strip()},
        "mkdocs_build": {"seconds": build["seconds"], "peak_rss_mb": build["peak_rss_mb"],
                         "pagefind_seconds": pagefind_seconds(build["stderr"])},
        "pagefind_alone": pagefind and {"seconds": pagefind["seconds"],
                                        "peak_rss_mb": pagefind["peak_rss_mb"]},
        "site": site_sizes(site),
        "explore_same_bytes": timing["explore_sha256"] == memory["explore_sha256"],
    }
    if browser:
        print(f"== {papers} papers: map and find-similar in chromium", file=sys.stderr, flush=True)
        result["explore"] = explore_in_browser(site)
        print(f"== {papers} papers: search in chromium", file=sys.stderr, flush=True)
        result["search"] = search_in_browser(site)
    shutil.rmtree(project)
    return result


# --- Report ---------------------------------------------------------------

def growth(values: list[float], sizes: list[int]) -> str:
    """Exponent k of time ~ n^k between each two sizes (n log n is ~1.1 here)."""
    return " ".join(
        f"{math.log(b / a) / math.log(m / n):.2f}" if min(a, b) > 0 else "-"
        for a, b, n, m in zip(values, values[1:], sizes, sizes[1:])
    )


def table(results: list[dict]) -> str:
    sizes = [result["papers"] for result in results]
    header = f"{'':34}" + "".join(f"{size:>10,}" for size in sizes) + "  growth n^k"
    lines = [header, "-" * len(header)]

    def row(label: str, values: list, unit: str = "", show_growth: bool = False) -> None:
        cells = "".join(
            f"{'-':>10}" if value is None else
            f"{value:>10.2f}" if isinstance(value, float) else f"{value!s:>10}"
            for value in values
        )
        numbers = [value for value in values if isinstance(value, (int, float))]
        tail = growth(numbers, sizes) if show_growth and len(numbers) == len(values) else ""
        lines.append(f"{label + (f' ({unit})' if unit else ''):34}{cells}  {tail}".rstrip())

    def stage(result: dict, name: str) -> dict:
        return result["stages"].get(name, {})

    for name in STAGES:
        if any(name in result["stages"] for result in results):
            label = "analysis (all)" if name == "analysis" else name
            row(f"{label}: wall", [stage(r, name).get("seconds") for r in results], "s", True)
    for name in STAGES:
        if any(name in result["stages"] for result in results):
            label = "analysis (all)" if name == "analysis" else name
            row(f"{label}: peak traced",
                [stage(r, name).get("peak_mb") for r in results], "MB")
    row("generator CLI: wall", [r["generator_cli"]["seconds"] for r in results], "s", True)
    row("generator CLI: peak RSS", [r["generator_cli"]["peak_rss_mb"] for r in results], "MB")
    row("mkdocs build: wall", [r["mkdocs_build"]["seconds"] for r in results], "s", True)
    row("  of which Pagefind", [r["mkdocs_build"]["pagefind_seconds"] for r in results], "s")
    row("mkdocs build: peak RSS", [r["mkdocs_build"]["peak_rss_mb"] for r in results], "MB")
    row("Pagefind alone: peak RSS",
        [(r["pagefind_alone"] or {}).get("peak_rss_mb") for r in results], "MB")
    row("generator / mkdocs build", [
        100 * r["generator_cli"]["seconds"] / r["mkdocs_build"]["seconds"] for r in results
    ], "%")
    row("load average (1 min) at the end", [r["load_average_1min"] for r in results])
    row("HTML pages", [r["site"]["html_pages"] for r in results])
    row("site size", [r["site"]["site_mb"] for r in results], "MB")
    row("largest HTML page", [r["site"]["largest_html_kb"] for r in results], "KB")
    row("search engine", [r["site"].get("search_engine") for r in results])
    row("search index, raw", [r["site"].get("search_index_mb") for r in results], "MB")
    row("search index, gzipped", [r["site"].get("search_index_gz_mb") for r in results], "MB")
    if all("search" in r for r in results):
        row("search: to first result", [r["search"]["seconds_to_first_result"] for r in results], "s")
        row("search: downloaded for it", [r["search"]["search_kb"] for r in results], "KB")
        row("  as gzip would send it", [r["search"]["search_gz_kb"] for r in results], "KB")
        row("page + search before result", [r["search"]["kb_before_first_result"] for r in results], "KB")
    row("explore: CPU", [stage(r, "explore").get("cpu_seconds") for r in results], "s")
    row("explore files: same bytes twice", [r["explore_same_bytes"] for r in results])
    row("map data, gzipped", [r["site"].get("map_data_gz_mb") for r in results], "MB")
    row("find-similar model, gzipped", [r["site"].get("similar_model_gz_mb") for r in results], "MB")
    row("api/papers.json, raw", [r["site"].get("api_papers_mb") for r in results], "MB")
    row("api/papers.json, gzipped", [r["site"].get("api_papers_gz_mb") for r in results], "MB")
    if all("explore" in r for r in results):
        row("map: open to drawn", [r["explore"]["map_seconds"] for r in results], "s")
        row("map: page + data, gzipped", [r["explore"]["map_gz_kb"] for r in results], "KB")
        row("find-similar: open to ready", [r["explore"]["similar_seconds"] for r in results], "s")
        row("find-similar: page + model, gz", [r["explore"]["similar_gz_kb"] for r in results], "KB")
        row("find-similar: abstract to results", [r["explore"]["similar_query_seconds"] for r in results], "s")
    largest = ", ".join(f"{r['papers']:,}: {r['site']['largest_html']}" for r in results)
    return "\n".join(lines + [f"largest pages: {largest}"])


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_pipeline",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES),
                        help="corpus sizes in papers (default: %(default)s)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help="JSON file for the figures (default: benchmarks/results/pipeline.json)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="folder for the synthetic projects (default: a temporary one)")
    parser.add_argument("--no-browser", dest="browser", action="store_false",
                        help="skip the search timing in chromium")
    # Internal: one measured pass over the stages, run in a subprocess.
    parser.add_argument("--stage-pass", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--trace-memory", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    if arguments.stage_pass:
        print(json.dumps(stage_pass(arguments.stage_pass, arguments.trace_memory)))
        return 0
    browser = arguments.browser and Path(CHROMIUM).exists()
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as temporary:
        workdir = arguments.workdir or Path(temporary)
        results = [bench_size(size, workdir, browser) for size in sorted(arguments.sizes)]
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print(f"figures written to {arguments.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
