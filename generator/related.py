"""Related papers: top-k TF-IDF cosine neighbours, each link explained.

Features (measured on the bundled dumps by ``benchmarks/bench_related.py``):
words and two-word phrases of the title and the abstract, without English
stop words nor the words every abstract uses ("propose", "results"...);
bigrams never span a dropped word, so they read as phrases ("control
variates"); title terms count ``TITLE_WEIGHT`` times; term frequency is
sublinear; terms in a single paper, or in more than ``MAX_DF_SHARE`` of the
papers (but at least ``MAX_DF_FLOOR``), are dropped.

Search never builds an N x N matrix. Papers that share a *rare* term (a
term whose document frequency is low enough that all such pairs cost at most
``PAIRS_PER_PAPER`` per paper to enumerate) are candidates; the
``CANDIDATES`` candidates with the best rare-term score are then scored
exactly, with all terms. In a corpus small enough every term is rare and the
result is the exact top-k; at 100k papers it keeps over 99 % of the exact
top-5 (see the benchmark).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from generator.corpus import Paper
from generator.text import to_plain

TITLE_WEIGHT = 3
SUBLINEAR_TF = True
MIN_DF = 2
MAX_DF_SHARE = 0.2
MAX_DF_FLOOR = 5
PAIRS_PER_PAPER = 8000
CANDIDATES = 40
CHUNK_ROWS = 1000
EXPLAINED_TERMS = 3
SCORE_DECIMALS = 3
# Words that abstracts use whatever their topic: they say nothing of it.
ABSTRACT_WORDS = frozenset("""
    abstract achieve achieved achieves achieving address addresses approach approaches
    based benchmark benchmarks challenge challenges challenging code compared competitive
    conduct consider contribution contributions demonstrate demonstrated demonstrates
    develop developed effective effectively effectiveness empirical empirically enable
    enables existing experiment experimental experiments extensive furthermore github
    given highly however importantly improve improved improvement improvements improves
    improving including introduce introduced introduces key leverage leverages leveraging
    main method methods moreover new notably novel offer outperform outperforming
    outperforms paper particular performance potential present presents previous prior
    problem problems promising propose proposed proposes provide provides providing recent
    recently remains respectively result results reveal shown show shows significant
    significantly simple specifically state study studies superior task tasks technique despite
    techniques terms theoretical theoretically use used uses using various way
    wide widely work works
""".split())
STOP_WORDS = ENGLISH_STOP_WORDS | ABSTRACT_WORDS
# A word starts with a letter: years, counts and version numbers are not topics.
WORD = re.compile(r"\b[^\W\d_]\w+\b")
# The same pattern for ASCII-only text (most abstracts): it finds the same
# words, nearly twice as fast.
ASCII_WORD = re.compile(WORD.pattern, re.ASCII)
URL = re.compile(r"(?:https?://|www\.)\S*")


@dataclass(frozen=True)
class RelatedLink:
    """A link to a similar paper, with why it was chosen."""

    slug: str
    similarity: float
    shared_terms: tuple[str, ...]
    weak: bool = False
    """Shown to keep an isolated paper's list useful, but below a strong link's score."""


def text_terms(text: str) -> list[str]:
    """Words and two-word phrases of ``text``, stop words left out.

    >>> text_terms("Sampling with control variates for the Schrödinger bridge")
    ['sampling', 'control', 'variates', 'schrödinger', 'bridge', 'control variates', 'schrödinger bridge']
    """
    text = text.lower()
    if "http" in text or "www." in text:
        text = URL.sub(" ", text)
    found = (ASCII_WORD if text.isascii() else WORD).findall(text)
    words = [word if word not in STOP_WORDS else None for word in found]
    bigrams = [f"{a} {b}" for a, b in zip(words, words[1:]) if a and b]
    return [word for word in words if word] + bigrams


def paper_terms(paper: Paper) -> list[str]:
    """The terms of a paper; the title's count more than the abstract's."""
    return text_terms(to_plain(paper.title)) * TITLE_WEIGHT + text_terms(to_plain(paper.abstract))


def tfidf_matrix(papers: tuple[Paper, ...]) -> tuple[sp.csr_matrix, np.ndarray]:
    """Unit-length TF-IDF rows, one per paper, and the name of each column."""
    vectorizer = TfidfVectorizer(
        analyzer=paper_terms, sublinear_tf=SUBLINEAR_TF, dtype=np.float32,
        min_df=MIN_DF if len(papers) > MIN_DF else 1,
        max_df=max(MAX_DF_FLOOR, int(MAX_DF_SHARE * len(papers))),
    )
    matrix = vectorizer.fit_transform(papers).tocsr()
    matrix.sort_indices()
    return matrix, vectorizer.get_feature_names_out()


def nearest_neighbours(
    matrix: sp.csr_matrix, count: int,
    pairs_per_paper: int = PAIRS_PER_PAPER, candidates: int = CANDIDATES,
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``count`` most cosine-similar other rows, best first.

    Returns (rows, scores), both of shape (n, count); a row with fewer
    neighbours is padded with row -1 and score -inf. Ties go to the lower row.
    """
    rare = _rare_columns(matrix, pairs_per_paper)
    rare_part = matrix[:, rare].tocsr()
    rare_part_t = rare_part.T.tocsr()
    common_part = matrix[:, ~rare].tocsr()
    neighbours, scores = [], []
    for start in range(0, matrix.shape[0], CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, matrix.shape[0])
        chosen, partial = _candidates(rare_part[start:stop] @ rare_part_t, start, candidates)
        exact = partial + _sampled_products(common_part, start, stop, chosen)
        exact = np.where(chosen < 0, -np.inf, exact)
        # Rounding first lets floating-point noise fall into a tie, which the row breaks.
        order = np.lexsort((chosen, -np.round(exact, 6)), axis=1)[:, :count]
        neighbours.append(np.take_along_axis(chosen, order, axis=1))
        scores.append(np.take_along_axis(exact, order, axis=1))
    return _padded(np.vstack(neighbours), count, -1), _padded(np.vstack(scores), count, -np.inf)


def _rare_columns(matrix: sp.csr_matrix, pairs_per_paper: int) -> np.ndarray:
    """Columns whose papers can all be paired within the work budget.

    Enumerating the pairs of papers sharing a column costs df² for that
    column, so the columns are taken rarest first until the budget is spent.
    """
    df = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.float64)
    by_df = np.sort(df)
    affordable = np.searchsorted(np.cumsum(by_df**2), pairs_per_paper * matrix.shape[0], "right")
    if affordable == len(by_df):
        return np.ones(len(df), dtype=bool)
    return df < by_df[affordable]


def _candidates(products: sp.csr_matrix, start: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the ``width`` other rows with the largest rare-term product."""
    products = products.tocsr()
    rows = np.repeat(np.arange(products.shape[0]) + start, np.diff(products.indptr))
    products.data[products.indices == rows] = 0.0  # never a paper's own neighbour
    products.eliminate_zeros()
    candidates = np.full((products.shape[0], width), -1, dtype=np.int64)
    partial = np.zeros(candidates.shape, dtype=np.float64)
    indptr, indices, data = products.indptr.tolist(), products.indices, products.data
    for row, (begin, end) in enumerate(zip(indptr, indptr[1:])):
        if end - begin > width:
            keep = begin + data[begin:end].argpartition(end - begin - width)[-width:]
            candidates[row], partial[row] = indices[keep], data[keep]
        else:
            candidates[row, : end - begin] = indices[begin:end]
            partial[row, : end - begin] = data[begin:end]
    return candidates, partial


def _sampled_products(
    part: sp.csr_matrix, start: int, stop: int, candidates: np.ndarray
) -> np.ndarray:
    """Dot products of rows start..stop of ``part`` with their candidates' rows."""
    width = candidates.shape[1]
    dense = part[start:stop].toarray()
    others = part[np.maximum(candidates.ravel(), 0)]
    pair = np.repeat(np.arange(candidates.size), np.diff(others.indptr))
    products = others.data * dense[pair // width, others.indices]
    return np.bincount(pair, weights=products, minlength=candidates.size).reshape(candidates.shape)


def _padded(array: np.ndarray, width: int, fill) -> np.ndarray:
    if array.shape[1] >= width:
        return array
    padding = np.full((array.shape[0], width - array.shape[1]), fill, dtype=array.dtype)
    return np.hstack([array, padding])


def shared_terms(
    matrix: sp.csr_matrix, terms: np.ndarray, rows: np.ndarray, others: np.ndarray
) -> list[tuple[str, ...]]:
    """For each pair, the terms that add most to its similarity, best first.

    A term whose words an earlier one already shows is skipped, and a phrase
    replaces the earlier words it holds: "control variates, sampling", never
    "control variates, control" nor "control, control variates".
    """
    products = (matrix[rows].multiply(matrix[others])).tocsr()
    pair = np.repeat(np.arange(len(rows)), np.diff(products.indptr))
    # One stable sort: by pair, then largest product; equal ones stay in column order.
    order = np.argsort(pair + (1.0 - products.data.astype(np.float64)) / 2, kind="stable")
    # Merging phrases with their words needs a few more terms than are shown.
    rank = np.arange(len(order)) - products.indptr[pair[order]]
    best = order[rank < 2 * EXPLAINED_TERMS]
    columns, column_of = np.unique(products.indices[best], return_inverse=True)
    offered = terms[columns].tolist()
    words = {term: frozenset(term.split()) for term in offered}
    explained: list[list[str]] = [[] for _ in rows]
    for row, column in zip(pair[best].tolist(), column_of.tolist()):
        if len(explained[row]) < EXPLAINED_TERMS:
            explained[row] = _with_term(explained[row], offered[column], words)
    return [tuple(chosen) for chosen in explained]


def _with_term(chosen: list[str], term: str, words: dict[str, frozenset]) -> list[str]:
    """``chosen`` with ``term`` added, unless its words are shown already;
    ``words`` holds the words of each term.

    >>> terms = ["bridge", "solver", "schrödinger bridge"]
    >>> _with_term(terms[:2], terms[2], {term: frozenset(term.split()) for term in terms})
    ['schrödinger bridge', 'solver']
    """
    held = words[term]
    if any(held <= words[shown] for shown in chosen):
        return chosen
    # A phrase takes the place of the shown words it holds.
    merged = [term if words[shown] <= held else shown for shown in chosen]
    return list(dict.fromkeys(merged)) if term in merged else chosen + [term]


def find_related(
    papers: tuple[Paper, ...], count: int, min_similarity: float
) -> dict[str, tuple[RelatedLink, ...]]:
    """The ``count`` most similar papers of each paper, most similar first.

    Only papers whose similarity, rounded as shown, reaches ``min_similarity``.
    """
    if len(papers) < 2 or count == 0:
        return {paper.slug: () for paper in papers}
    try:
        matrix, terms = tfidf_matrix(papers)
    except ValueError:
        # scikit-learn's "empty vocabulary" / "no terms remain": no two
        # papers share a term, so none is related to another.
        return {paper.slug: () for paper in papers}
    neighbours, scores = nearest_neighbours(matrix, count)
    similarity = np.round(scores, SCORE_DECIMALS)
    rows, ranks = np.nonzero((neighbours >= 0) & (similarity >= min_similarity))
    others = neighbours[rows, ranks]
    explanations = []
    for start in range(0, len(rows), CHUNK_ROWS * count):
        window = slice(start, start + CHUNK_ROWS * count)
        explanations += shared_terms(matrix, terms, rows[window], others[window])
    related = {paper.slug: [] for paper in papers}
    for row, other, score, explanation in zip(rows, others, similarity[rows, ranks], explanations):
        related[papers[row].slug].append(RelatedLink(papers[other].slug, float(score), explanation))
    return {slug: tuple(links) for slug, links in related.items()}
