"""Related papers: speed, memory and recall at scale; quality of the feature choices.

    python -m benchmarks.bench_related [SIZE ...]   # default: 1000 20000 100000
    python -m benchmarks.bench_related --quality    # feature ablations on the bundled dumps

Speed: each size runs ``find_related`` (TF-IDF, search, explanations) on a
synthetic corpus (``benchmarks/synthetic.py``) in a fresh process, and prints
its time, the process's peak memory, and recall@5: the share of the
top-5 links that are among the exact cosine top-5 (ties count as found),
computed exactly on up to 1000 sampled papers.

Quality: for the known related pairs of ``tests/test_related.py``, how often
each paper is in the other's top 5, and the mean reciprocal rank, when one
feature choice at a time is changed; and the share of explanations that
name a generic abstract word.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from benchmarks.synthetic import synthetic_papers
from generator import related
from generator.corpus import Paper, build_corpus, slug_for, title_key
from generator.parse import read_dump

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
    matrix, _ = related.tfidf_matrix(papers)
    index = {paper.slug: row for row, paper in enumerate(papers)}
    rng = np.random.default_rng(0)
    rows = np.arange(len(papers))
    if len(papers) > RECALL_SAMPLE:
        rows = np.sort(rng.choice(len(papers), RECALL_SAMPLE, replace=False))
    found = 0
    for start in range(0, len(rows), 100):
        chunk = rows[start : start + 100]
        exact = (matrix[chunk] @ matrix.T).toarray()
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
    links = related.find_related(papers, 5, 0.0)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - start_cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"papers": count, "seconds": seconds, "cpu": cpu, "peak_mb": peak_mb,
            "recall": recall_at_5(papers, links)}


def speed(sizes: list[int]) -> None:
    # CPU time is the wall time of an idle machine: the step is single-threaded.
    print("| papers | wall time (s) | CPU time (s) | peak memory (MB) | recall@5 |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for count in sizes:
        output = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_related", "--one", str(count)],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout
        row = json.loads(output)
        print(f"| {row['papers']:,} | {row['seconds']:.1f} | {row['cpu']:.1f} "
              f"| {row['peak_mb']:,.0f} | {row['recall']:.4f} |", flush=True)


# --- quality -------------------------------------------------------------------

def unigrams(text: str) -> list[str]:
    return [term for term in CHOSEN_TEXT_TERMS(text) if " " not in term]


def spanning_bigrams(text: str) -> list[str]:
    """Bigrams over the words left after stop words go, as scikit-learn forms them."""
    words = [word for word in related.WORD.findall(related.URL.sub(" ", text.lower())) if word not in related.STOP_WORDS]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


CHOSEN_TEXT_TERMS = related.text_terms
VARIANTS = {
    "chosen features": {},
    "no abstract-generic stop words": {"STOP_WORDS": related.ENGLISH_STOP_WORDS},
    "title weight 1 (title = abstract)": {"TITLE_WEIGHT": 1},
    "title weight 2": {"TITLE_WEIGHT": 2},
    "title weight 5": {"TITLE_WEIGHT": 5},
    "raw term frequency (no sublinear tf)": {"SUBLINEAR_TF": False},
    "unigrams only": {"text_terms": unigrams},
    "bigrams spanning stop words": {"text_terms": spanning_bigrams},
    "min_df 1 (keep single-paper terms)": {"MIN_DF": 1},
    "max_df 50 % of papers": {"MAX_DF_SHARE": 0.5},
    "max_df 5 % of papers": {"MAX_DF_SHARE": 0.05},
}


@contextmanager
def variant(changes: dict):
    saved = {name: getattr(related, name) for name in changes}
    for name, value in changes.items():
        setattr(related, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(related, name, value)


def halves(papers: tuple[Paper, ...]) -> tuple[Paper, ...]:
    """Each abstract cut in two halves of as many words, as two untitled papers."""
    cut = []
    for paper in papers:
        words = paper.abstract.split()
        for half in (words[: len(words) // 2], words[len(words) // 2 :]):
            cut.append(Paper(paper.slug, paper.key, "", " ".join(half), ()))
    return tuple(cut)


def half_retrieval(papers: tuple[Paper, ...]) -> tuple[float, float]:
    """How often an abstract's first half finds its own second half (top 1, MRR)."""
    matrix, _ = related.tfidf_matrix(halves(papers))
    similarity = (matrix[0::2] @ matrix[1::2].T).toarray()
    ranks = 1 + np.sum(similarity > np.diag(similarity)[:, None], axis=1)
    return float(np.mean(ranks == 1)), float(np.mean(1 / ranks))


def quality() -> None:
    sys.path.insert(0, str(ROOT))
    from tests.test_related import RELATED_PAIRS

    dumps = sorted((ROOT / "dumps").glob("*.txt"))
    papers = build_corpus([read_dump(path) for path in dumps]).papers
    index = {paper.slug: row for row, paper in enumerate(papers)}
    directions = [(index[a], index[b]) for a, b in RELATED_PAIRS]
    directions += [(b, a) for a, b in directions]
    print(f"{len(RELATED_PAIRS)} known pairs, both directions, {len(papers)} bundled papers\n")
    print("| features | known pairs in top 5 | known pairs MRR | half-abstract top 1 | half-abstract MRR "
          "| explanations naming a generic word |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, changes in VARIANTS.items():
        with variant(changes):
            matrix, terms = related.tfidf_matrix(papers)
            similarity = (matrix @ matrix.T).toarray()  # fine at 689 papers
            np.fill_diagonal(similarity, -np.inf)
            ranks = [1 + int(np.sum(similarity[a] > similarity[a, b])) for a, b in directions]
            neighbours, _ = related.nearest_neighbours(matrix, 5)
            rows = np.repeat(np.arange(len(papers)), 5)
            explained = related.shared_terms(matrix, terms, rows, neighbours.ravel())
            top_1, half_mrr = half_retrieval(papers)
        generic = np.mean([any(word in related.ABSTRACT_WORDS for term in terms_ for word in term.split())
                           for terms_ in explained])
        print(f"| {name} | {np.mean(np.array(ranks) <= 5):.0%} | {np.mean(1 / np.array(ranks)):.3f} "
              f"| {top_1:.1%} | {half_mrr:.3f} | {generic:.1%} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--quality", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
    elif args.quality:
        quality()
    else:
        speed(args.sizes)


if __name__ == "__main__":
    main()
