"""Related papers: each paper's most similar papers, each link explained.

- ``model``: the similarity, stemmed word TF-IDF blended with an LSA
  projection (scikit-learn, fixed seeds), quantised as the browser holds it;
- ``search``: candidates from a pruned TF-IDF search (never N x N), reranked
  by the blended score;
- ``explain``: the shared word terms shown with each link;
- ``browser``: the same model exported as plain data for the site's
  find-similar and map pages, and a Python reference of their scoring.

Lists: a paper shows its best ``count`` papers whose shown (2-decimal)
score reaches ``min_similarity`` (a floor meaning "shares something"). A
link scoring below the corpus's ``weak_quantile`` of all such scores (the
papers' best ``count`` each) is weak: measured against the judge of
``benchmarks/bench_related_quality.py``, links below it are half as related
as the rest. The first ``min_count`` links are shown even when weak, marked
so, so an isolated paper still gets its best few; past them only strong
links that reach ``relative`` times the paper's own best score.
"""

from __future__ import annotations

import numpy as np

from generator.corpus import Paper
from generator.related.explain import shared_terms
from generator.related.links import SCORE_DECIMALS, Cuts, RelatedLink
from generator.related.model import Model, Settings, fit
from generator.related.search import CHUNK_ROWS, nearest_neighbours


def fit_model(papers: tuple[Paper, ...], settings: Settings = Settings()) -> Model | None:
    """The similarity model of ``papers``; None when no two papers share a term."""
    if len(papers) < 2:
        return None
    try:
        return fit(papers, settings)
    except ValueError:
        # scikit-learn's "empty vocabulary" / "no terms remain": no two
        # papers share a term, so none is related to another.
        return None


def neighbours_of(model: Model, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Each paper's ``count`` best other rows and their blended scores."""
    return nearest_neighbours(model.tfidf, model.stored_tfidf, count, model.blend)


def related_lists(
    papers: tuple[Paper, ...], model: Model | None, cuts: Cuts = Cuts()
) -> dict[str, tuple[RelatedLink, ...]]:
    """Each paper's related links, most similar first."""
    if model is None or cuts.count == 0:
        return {paper.slug: () for paper in papers}
    neighbours, scores = neighbours_of(model, cuts.count)
    shown = np.round(scores, SCORE_DECIMALS)
    weak_below = _weak_below(shown, cuts)
    kept = _kept(neighbours, shown, weak_below, cuts)
    rows, ranks = np.nonzero(kept)
    others = neighbours[rows, ranks]
    explanations = []
    for start in range(0, len(rows), CHUNK_ROWS * cuts.count):
        window = slice(start, start + CHUNK_ROWS * cuts.count)
        explanations += shared_terms(model, rows[window], others[window])
    related: dict[str, list[RelatedLink]] = {paper.slug: [] for paper in papers}
    for row, other, score, explanation in zip(rows, others, shown[rows, ranks], explanations):
        related[papers[row].slug].append(
            RelatedLink(papers[other].slug, float(score), explanation, bool(score < weak_below))
        )
    return {slug: tuple(links) for slug, links in related.items()}


def _kept(neighbours: np.ndarray, shown: np.ndarray, weak_below: float, cuts: Cuts) -> np.ndarray:
    """Which of each row's best links are shown: the first ``min_count`` that
    reach the floor; past them, only strong links close to the row's best."""
    real = (neighbours >= 0) & (shown >= cuts.min_similarity)
    # The tolerance keeps 0.9 * 0.5 from missing 0.45 by a float's last bit.
    close = shown >= cuts.relative * shown[:, :1] - 1e-9
    ranks = np.arange(shown.shape[1])[None, :]
    return real & ((ranks < cuts.min_count) | (close & (shown >= weak_below)))


def _weak_below(shown: np.ndarray, cuts: Cuts) -> float:
    """The corpus's score below which a link is weak: the ``weak_quantile`` of
    all papers' best ``count`` scores, rounded as shown so the marks follow the
    shown scores (and move only when that rounding does)."""
    scores = shown[np.isfinite(shown)]
    if scores.size == 0:
        return 0.0
    return float(np.round(np.quantile(scores, cuts.weak_quantile), SCORE_DECIMALS))


def find_related(
    papers: tuple[Paper, ...], cuts: Cuts = Cuts(), settings: Settings = Settings()
) -> dict[str, tuple[RelatedLink, ...]]:
    """The related links of each paper (fitting the model first)."""
    return related_lists(papers, fit_model(papers, settings), cuts)
