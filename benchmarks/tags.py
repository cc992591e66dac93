"""Time topic tagging on synthetic corpora: python -m benchmarks.tags [SIZE ...] [--dump FILE]

Prints, per size, the wall seconds ``tag_papers`` takes with the bundled
tags.yml (as the CLI runs it), its CPU seconds and those of the processes
it forks to read and score large corpora, beside what mkdocs would take to build
that many pages (~8 ms each), and the process's peak memory.

``--dump FILE`` also writes what tagging said, so that two versions of the
tagger can be diffed: per size, ``FILE`` with the size before its suffix
(``tags.txt`` -> ``tags.20000.txt``), one line per paper, sorted: its slug,
its topic and its tags in their order, tab-separated.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from benchmarks.synthetic import ROOT, synthetic_papers
from generator.cli import read_vocabulary
from generator.corpus import Paper, Source, slug_for, title_key
from generator.tags import Tagging, tag_papers

MKDOCS_SECONDS_PER_PAGE = 0.008


def papers_of(count: int) -> tuple[Paper, ...]:
    source = (Source("synthetic.txt", None, 1),)
    return tuple(
        Paper(slug_for(title_key(title)), title_key(title), title, abstract, source)
        for title, abstract in synthetic_papers(count)
    )


def _children_cpu() -> float:
    """CPU seconds of the ended child processes (the forked workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def dump_lines(tagging: Tagging) -> list[str]:
    """Every paper's slug, topic and tags, one sorted line each."""
    return sorted("\t".join((slug, tagging.topics[slug] or "-", *tags)) for slug, tags in tagging.tags.items())


def main(sizes: list[int], dump: Path | None = None) -> None:
    vocabulary = read_vocabulary(ROOT / "tags.yml")
    for size in sizes:
        papers = papers_of(size)
        started, children, wall = time.process_time(), _children_cpu(), time.perf_counter()
        tagging = tag_papers(papers, vocabulary)
        seconds, wall = time.process_time() - started, time.perf_counter() - wall
        forked = _children_cpu() - children
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        used = len({tag for paper_tags in tagging.tags.values() for tag in paper_tags})
        share = wall / (size * MKDOCS_SECONDS_PER_PAGE)
        print(f"{size:6d} papers: tags in {wall:5.2f} s wall, {seconds:5.2f} s CPU + {forked:5.2f} s CPU in forked "
              f"workers ({share:.1%} of a ~{size * MKDOCS_SECONDS_PER_PAGE:.0f} s mkdocs build), "
              f"peak RSS {peak:.0f} MiB, {used} distinct tags")
        if dump:
            dump.with_name(f"{dump.stem}.{size}{dump.suffix}").write_text(
                "".join(line + "\n" for line in dump_lines(tagging)), encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tags", description=__doc__.split("\n")[0])
    parser.add_argument("sizes", type=int, nargs="*", default=[689, 5000, 20000])
    parser.add_argument("--dump", type=Path, metavar="FILE", help="write each size's tags for diffing")
    arguments = parser.parse_args()
    main(arguments.sizes, arguments.dump)
