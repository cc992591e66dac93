"""Incremental against clean regeneration: one new dump added to the bundled site.

The new dump lists ``--new`` synthetic papers and re-lists ``--relisted``
papers of the bundled dumps, as a real listing page does. Three runs of
``python -m generator`` (timed as the user runs it, interpreter start
included), each ``--repeat`` times on a fresh copy, median reported:

- clean: an empty docs/ and all five dumps;
- incremental: docs/ as generated from the four bundled dumps, plus the new dump;
- no change: the same run again.

Files written are counted from the file system (new inode or modification
time), not taken from the generator's own summary; "pages rewritten" counts
the existing Markdown pages whose text changed (the issue's churn measure). ``--build`` also times
``mkdocs build`` after each, which rebuilds every page whatever changed.

    python -m benchmarks.bench_regenerate [--new 40] [--relisted 10] [--repeat 3] [--build]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synthetic import bundled_entries, synthetic_papers
from tests.conftest import dump_text, make_project

GENERATED = ("index.md", "new.md", "feed.xml", "papers", "tags")
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def new_dump(new: int, relisted: int) -> str:
    real = bundled_entries()
    old = [(entry.title, entry.abstract) for entry in real[:relisted]]
    return dump_text(*old, *synthetic_papers(len(real) + new)[-new:])


def file_states(docs: Path) -> dict[Path, tuple[int, int]]:
    return {path: (path.stat().st_ino, path.stat().st_mtime_ns)
            for path in docs.rglob("*") if path.is_file()}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], project: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds of ``command`` (CPU time suffers less from a busy machine)."""
    started, cpu = time.perf_counter(), children_cpu()
    result = subprocess.run(command, cwd=project, env=ENV, capture_output=True, text=True,
                            check=True)
    return time.perf_counter() - started, children_cpu() - cpu, result.stdout.strip()


def pages(docs: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in docs.rglob("*.md")}


def measure(project: Path, build: bool) -> dict[str, object]:
    """One generator run (and build) on ``project``: seconds, files written,
    and the existing Markdown pages whose text changed (what a reader or a
    git diff of docs/ sees as rewritten)."""
    before, existing = file_states(project / "docs"), pages(project / "docs")
    seconds, cpu, summary = timed([sys.executable, "-m", "generator", "--quiet"], project)
    after, now = file_states(project / "docs"), pages(project / "docs")
    rewritten = sum(1 for path, text in existing.items() if now.get(path, text) != text)
    figures = {
        "seconds": seconds,
        "cpu seconds": cpu,
        "written": sum(1 for path, state in after.items() if before.get(path) != state),
        "removed": len(before.keys() - after.keys()),
        "pages rewritten": rewritten,
        "of existing pages": len(existing),
        "summary": summary,
    }
    if build:
        figures["build seconds"], figures["build cpu seconds"], _ = timed(
            [sys.executable, "-m", "mkdocs", "build", "--quiet"], project)
    return figures


def prepared(template: Path, work: Path, dump: str, clean: bool) -> Path:
    """A copy of ``template`` with the new dump added; without generated pages if ``clean``."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(template, work)
    if clean:
        for name in GENERATED:
            target = work / "docs" / name
            if target.is_dir():
                shutil.rmtree(target)
            target.unlink(missing_ok=True)
    (work / "dumps" / "005_new.txt").write_text(dump, encoding="utf-8")
    return work


def report(name: str, runs: list[dict]) -> None:
    median = {key: statistics.median_low(run[key] for run in runs)
              for key in runs[0] if key != "summary"}
    figures = ", ".join(f"{key} {value:.2f}" if isinstance(value, float) else f"{key} {value:g}"
                        for key, value in median.items())
    print(f"{name:12} {figures}")
    print(f"{'':12} generator said: {runs[-1]['summary']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--new", type=int, default=40, help="new papers in the new dump")
    parser.add_argument("--relisted", type=int, default=10,
                        help="papers of the bundled dumps the new dump lists again")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--build", action="store_true", help="also time mkdocs build")
    arguments = parser.parse_args()
    dump = new_dump(arguments.new, arguments.relisted)
    with tempfile.TemporaryDirectory() as folder:
        template = make_project(Path(folder) / "template", bundled=True)
        timed([sys.executable, "-m", "generator", "--quiet"], template)
        print(f"new dump: {arguments.new} new papers, {arguments.relisted} re-listed; "
              f"median of {arguments.repeat} runs; 2-core machine")
        results: dict[str, list[dict]] = {"clean": [], "incremental": [], "no change": []}
        work = Path(folder) / "work"
        for _ in range(arguments.repeat):
            results["clean"].append(measure(prepared(template, work, dump, True), arguments.build))
            prepared(template, work, dump, False)
            results["incremental"].append(measure(work, arguments.build))
            results["no change"].append(measure(work, arguments.build))
        for name, runs in results.items():
            report(name, runs)


if __name__ == "__main__":
    main()
