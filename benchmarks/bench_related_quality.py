"""Related papers' quality against an independent semantic judge, on papers
the settings were not chosen on.

    python -m benchmarks.bench_related_quality

The bundled papers are split in two random halves (``random.Random(SEED)``):
settings are chosen on the tuning half; the held-out half reports how they
do on papers nobody tuned on. Each half is its own corpus (the model is fitted
on that half alone, and lists link within it). For each variant it prints,
per half, overlap@5 and lift against the judge (``benchmarks/judge.py``),
plus on all bundled papers the known-pair and half-abstract measures of
``bench_related``. Lists are each paper's top 5 as the generator finds them
(pruned candidates, reranked), before any cut.

Needs the judge's model package (see ``benchmarks/judge.py``); its
embeddings are cached, so a second run takes about a minute.
"""

from __future__ import annotations

import dataclasses
import random
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from benchmarks.judge import Judge, paper_text
from generator import related
from generator.corpus import Paper, build_corpus
from generator.parse import read_dump
from generator.related.model import Settings
from generator.related.search import nearest_neighbours

ROOT = Path(__file__).resolve().parent.parent
SEED = 2024
BEFORE_COMMIT = "aeaf6d3"  # related.py as it was before the blended model
COUNT = 5


def bundled_papers() -> tuple[Paper, ...]:
    return build_corpus([read_dump(path) for path in sorted((ROOT / "dumps").glob("*.txt"))]).papers


def split_halves(papers: tuple[Paper, ...]) -> tuple[tuple[Paper, ...], tuple[Paper, ...]]:
    """(tuning half, held-out half), each in slug order."""
    shuffled = list(papers)
    random.Random(SEED).shuffle(shuffled)
    middle = len(shuffled) // 2
    return tuple(sorted(shuffled[:middle], key=lambda p: p.slug)), tuple(
        sorted(shuffled[middle:], key=lambda p: p.slug))


def exact_top(similarity: np.ndarray) -> list[list[int]]:
    similarity = similarity.copy()
    np.fill_diagonal(similarity, -np.inf)
    return np.argsort(-similarity, axis=1, kind="stable")[:, :COUNT].tolist()


def plain_tfidf(papers: tuple[Paper, ...]) -> list[list[int]]:
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [paper_text(paper) for paper in papers])
    return exact_top((matrix @ matrix.T).toarray())


def before_module() -> types.ModuleType:
    source = subprocess.run(["git", "show", f"{BEFORE_COMMIT}:generator/related.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    module = types.ModuleType("related_before")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, "related_before.py", "exec"), module.__dict__)  # noqa: S102 (our own past code)
    return module


def before(papers: tuple[Paper, ...]) -> list[list[int]]:
    links = before_module().find_related(papers, COUNT, 0.0)
    index = {paper.slug: row for row, paper in enumerate(papers)}
    return [[index[link.slug] for link in links[paper.slug]] for paper in papers]


def blended(settings: Settings, char_share: float = 0.0):
    def lists(papers: tuple[Paper, ...]) -> list[list[int]]:
        model = related.fit_model(papers, settings)
        score = model.scores
        if char_share:
            chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                    min_df=2).fit_transform([paper_text(p) for p in papers])

            def score(rows, others):
                char = np.asarray(chars[rows].multiply(chars[others]).sum(axis=1)).ravel()
                return (1 - char_share) * model.scores(rows, others) + char_share * char
        neighbours, _ = nearest_neighbours(model.tfidf, model.stored_tfidf, COUNT, score)
        return [[other for other in row if other >= 0] for row in neighbours.tolist()]
    return lists


CHOSEN = Settings()
VARIANTS = {
    "this project before (main)": before,
    'plain TfidfVectorizer(stop_words="english", sublinear_tf=True)': plain_tfidf,
    "stemmed TF-IDF only (no LSA)": blended(dataclasses.replace(CHOSEN, lsa_share=0.0)),
    "**chosen**": blended(CHOSEN),
    "LSA share 0.3": blended(dataclasses.replace(CHOSEN, lsa_share=0.3)),
    "LSA share 0.7": blended(dataclasses.replace(CHOSEN, lsa_share=0.7)),
    "LSA 40 dims": blended(dataclasses.replace(CHOSEN, lsa_dims=40)),
    "LSA 60 dims": blended(dataclasses.replace(CHOSEN, lsa_dims=60)),
    "LSA 100 dims": blended(dataclasses.replace(CHOSEN, lsa_dims=100)),
    "LSA of the TF-IDF rows (not log-entropy)": blended(dataclasses.replace(CHOSEN, lsa_input="tfidf")),
    "no stem pairs (unigrams only)": blended(dataclasses.replace(CHOSEN, bigrams=False)),
    "title weight 1": blended(dataclasses.replace(CHOSEN, title_weight=1)),
    "title weight 3": blended(dataclasses.replace(CHOSEN, title_weight=3)),
    "generic abstract words dropped too": blended(dataclasses.replace(CHOSEN, generic_words=True)),
    "+ char_wb 3-5 TF-IDF, share 0.2": blended(CHOSEN, char_share=0.2),
}


def main() -> None:
    papers = bundled_papers()
    halves = split_halves(papers)
    judges = [Judge(half) for half in halves]
    print(f"{len(papers)} bundled papers: tuning half {len(halves[0])}, held-out half {len(halves[1])}; "
          f"judge all-MiniLM-L6-v2, overlap@5 / lift\n")
    print("| variant | tuning half | held-out half |")
    print("| --- | ---: | ---: |")
    for name, lists in VARIANTS.items():
        cells = []
        for half, judge in zip(halves, judges):
            overlap, lift = judge.scores(lists(half))
            cells.append(f"{overlap:.3f} / {lift:.3f}")
        print(f"| {name} | {' | '.join(cells)} |", flush=True)
    whole = Judge(papers)
    overlap, lift = whole.scores(blended(CHOSEN)(papers))
    print(f"\nAll {len(papers)} bundled papers, chosen settings: {overlap:.3f} / {lift:.3f}")


if __name__ == "__main__":
    sys.exit(main())
