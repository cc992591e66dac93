"""Related papers: speed, memory and recall at scale.

    python -m benchmarks.bench_related [SIZE ...]   # default: 1000 20000 100000

Each size runs ``find_related`` (model, pruned search, reranking, cuts,
explanations) on a synthetic corpus (``benchmarks/synthetic.py``) in a fresh
process, and prints its time (and that of fitting the model alone), the
process's peak memory, and recall@5: the share of the top-5 links that are
among the exact blended top-5 over all papers (ties count as found), on up
to 1000 sampled papers. Quality is ``benchmarks/bench_related_quality.py``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.synthetic import synthetic_papers
from generator import related
from generator.corpus import Paper, slug_for, title_key

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1000, 20_000, 100_000)
RECALL_SAMPLE = 1000


def synthetic_corpus(count: int) -> tuple[Paper, ...]:
    papers = (
        Paper(slug_for(title_key(title)), title_key(title), title, abstract, ())
        for title, abstract in synthetic_papers(count)
    )
    return tuple(sorted(papers, key=lambda paper: paper.slug))


def recall_at_5(papers: tuple[Paper, ...], links: dict) -> float:
    model = related.fit_model(papers)
    index = {paper.slug: row for row, paper in enumerate(papers)}
    rng = np.random.default_rng(0)
    rows = np.arange(len(papers))
    if len(papers) > RECALL_SAMPLE:
        rows = np.sort(rng.choice(len(papers), RECALL_SAMPLE, replace=False))
    found = 0
    for start in range(0, len(rows), 100):
        chunk = rows[start : start + 100]
        exact = model.scores_against_all(chunk)
        exact[np.arange(len(chunk)), chunk] = -np.inf
        fifth = np.partition(exact, -5, axis=1)[:, -5]
        for offset, row in enumerate(chunk):
            shown = [index[link.slug] for link in links[papers[row].slug]]
            found += int(np.sum(exact[offset, shown] >= fifth[offset] - 1e-6))
    return found / (5 * len(rows))


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(count: int) -> dict:
    papers = synthetic_corpus(count)
    start, start_cpu = time.perf_counter(), cpu_seconds()
    model = related.fit_model(papers)
    fit_cpu = cpu_seconds() - start_cpu
    # No cut: recall is of the search, whatever the lists then show.
    links = related.related_lists(papers, model, related.Cuts(min_similarity=0.0, min_count=5))
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - start_cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"papers": count, "seconds": seconds, "cpu": cpu, "fit_cpu": fit_cpu, "peak_mb": peak_mb,
            "recall": recall_at_5(papers, links)}


def speed(sizes: list[int]) -> None:
    # CPU time is the wall time of an idle machine: the step is single-threaded.
    print("| papers | wall time (s) | CPU time (s) | of which model fit | peak memory (MB) | recall@5 |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for count in sizes:
        output = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_related", "--one", str(count)],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout
        row = json.loads(output)
        print(f"| {row['papers']:,} | {row['seconds']:.1f} | {row['cpu']:.1f} | {row['fit_cpu']:.1f} "
              f"| {row['peak_mb']:,.0f} | {row['recall']:.4f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
    else:
        speed(args.sizes)


if __name__ == "__main__":
    main()
