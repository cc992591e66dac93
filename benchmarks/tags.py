"""Time topic tagging on synthetic corpora: python -m benchmarks.tags [SIZE ...]

Prints, per size, the CPU and wall seconds ``tag_papers`` takes with the
bundled tags.yml (as the CLI runs it) beside what mkdocs would take to build
that many pages (~8 ms each), and the process's peak memory.
"""

from __future__ import annotations

import sys
import time
import resource

from benchmarks.synthetic import ROOT, synthetic_papers
from generator.cli import read_vocabulary
from generator.corpus import Paper, Source, slug_for, title_key
from generator.tags import tag_papers

MKDOCS_SECONDS_PER_PAGE = 0.008


def papers_of(count: int) -> tuple[Paper, ...]:
    source = (Source("synthetic.txt", None, 1),)
    return tuple(
        Paper(slug_for(title_key(title)), title_key(title), title, abstract, source)
        for title, abstract in synthetic_papers(count)
    )


def main(sizes: list[int]) -> None:
    vocabulary = read_vocabulary(ROOT / "tags.yml")
    for size in sizes:
        papers = papers_of(size)
        started, wall = time.process_time(), time.perf_counter()
        tags = tag_papers(papers, vocabulary).tags
        seconds, wall = time.process_time() - started, time.perf_counter() - wall
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        used = len({tag for paper_tags in tags.values() for tag in paper_tags})
        share = seconds / (size * MKDOCS_SECONDS_PER_PAGE)
        print(f"{size:6d} papers: tags in {seconds:5.2f} s CPU, {wall:5.2f} s wall ({share:.1%} of a ~{size * MKDOCS_SECONDS_PER_PAGE:.0f} s "
              f"mkdocs build), peak RSS {peak:.0f} MiB, {used} distinct tags")


if __name__ == "__main__":
    main([int(size) for size in sys.argv[1:]] or [689, 5000, 20000])
