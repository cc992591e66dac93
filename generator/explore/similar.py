"""The find-similar model: what the browser needs to score pasted text
against every paper the way the related-papers step scores papers.

The model is the related step's TF-IDF: its terms in column order, their
idf, the stop words and title weight its analyzer uses, and each paper's
unit TF-IDF vector with weights quantised to ``WEIGHT_SCALE``.
``similar_to_text`` is the reference the page's script follows step for
step (``docs/assets/similar.js``); the tests hold the two to the related
lists. When the related step gains its own export of the model, this module
is where it plugs in: the page reads only this model.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import scipy.sparse as sp

from generator.corpus import Corpus, Paper
from generator.related import STOP_WORDS, TITLE_WEIGHT, SCORE_DECIMALS, tfidf_matrix, text_terms
from generator.text import to_plain

MODEL_VERSION = 1
MODEL_FILE = "similar/model.json"
WEIGHT_SCALE = 65535
"""Weights are integers up to this: 16 bits keep the ranking of the related lists."""
IDF_DECIMALS = 6
RESULTS = 10
EXPLAINED_TERMS = 3


def idf_of(matrix: sp.csr_matrix) -> np.ndarray:
    """scikit-learn's smoothed idf, from how many rows hold each column."""
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    return np.log((1 + matrix.shape[0]) / (1 + df)) + 1


def browser_model(corpus: Corpus) -> dict:
    """The model as plain data (lists, numbers, strings), for JSON."""
    papers = corpus.papers
    try:
        matrix, terms = tfidf_matrix(papers) if len(papers) > 1 else (None, [])
    except ValueError:  # no term shared by two papers
        matrix, terms = None, []
    if matrix is None:
        matrix = sp.csr_matrix((len(papers), 0), dtype=np.float32)
    columns = []
    for row in range(matrix.shape[0]):
        found = matrix.indices[matrix.indptr[row]:matrix.indptr[row + 1]]
        # Each row's columns as gaps from the previous one: short numbers.
        columns += np.diff(found, prepend=0).tolist()
    return {
        "version": MODEL_VERSION,
        "kind": "tfidf",
        "title_weight": TITLE_WEIGHT,
        "stop_words": sorted(STOP_WORDS),
        "terms": list(terms),
        "idf": np.round(idf_of(matrix), IDF_DECIMALS).tolist(),
        "slugs": [paper.slug for paper in papers],
        "titles": [to_plain(paper.title) for paper in papers],
        "offsets": matrix.indptr.tolist(),
        "columns": columns,
        "weights": np.rint(matrix.data.astype(np.float64) * WEIGHT_SCALE).astype(int).tolist(),
    }


def query_vector(model: dict, title: str, text: str) -> dict[int, float]:
    """Column -> weight of the pasted text: counts, sublinear tf, idf, unit length."""
    column_of = {term: column for column, term in enumerate(model["terms"])}
    counts = Counter(text_terms(title) * model["title_weight"] + text_terms(text))
    weights = {column_of[term]: (1 + math.log(count)) * model["idf"][column_of[term]]
               for term, count in counts.items() if term in column_of}
    norm = math.sqrt(sum(weight * weight for weight in weights.values())) or 1.0
    return {column: weight / norm for column, weight in weights.items()}


def paper_vectors(model: dict) -> list[dict[int, float]]:
    """Each paper's column -> weight, decoded from the model."""
    offsets, gaps, weights = model["offsets"], model["columns"], model["weights"]
    vectors = []
    for start, stop in zip(offsets, offsets[1:]):
        columns = np.cumsum(gaps[start:stop]).tolist()
        vectors.append({column: weights[index] / WEIGHT_SCALE
                        for column, index in zip(columns, range(start, stop))})
    return vectors


def similar_to_text(model: dict, title: str, text: str, count: int = RESULTS) -> list[tuple[str, float]]:
    """The ``count`` papers most similar to the text, as (slug, similarity),
    best first; ties (at 6 decimals) go to the earlier paper, as in the
    related lists."""
    query = query_vector(model, title, text)
    scores = [
        (round(sum(weight * query.get(column, 0.0) for column, weight in vector.items()), 6), row)
        for row, vector in enumerate(paper_vectors(model))
    ]
    best = sorted((score for score in scores if score[0] > 0), key=lambda pair: (-pair[0], pair[1]))
    return [(model["slugs"][row], round(score, SCORE_DECIMALS)) for score, row in best[:count]]


def plain_text(paper: Paper) -> tuple[str, str]:
    """What a reader copies from a paper's page: its title and abstract as text."""
    return to_plain(paper.title), to_plain(paper.abstract)
