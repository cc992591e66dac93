"""Related papers: top-k TF-IDF cosine neighbours, each link explained."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from generator.corpus import Paper
from generator.text import to_plain

CHUNK_ROWS = 1000


@dataclass(frozen=True)
class RelatedLink:
    """A link to a similar paper, with why it was chosen."""

    slug: str
    similarity: float
    shared_terms: tuple[str, ...]


def paper_text(paper: Paper) -> str:
    # The title is repeated so that its words weigh more than the abstract's.
    title = to_plain(paper.title)
    return f"{title}. {title}. {to_plain(paper.abstract)}"


def find_related(
    papers: tuple[Paper, ...], count: int, min_similarity: float
) -> dict[str, tuple[RelatedLink, ...]]:
    """The ``count`` most similar papers of each paper, most similar first."""
    if len(papers) < 2 or count == 0:
        return {paper.slug: () for paper in papers}
    vectorizer = TfidfVectorizer(
        stop_words="english", sublinear_tf=True, ngram_range=(1, 2),
        min_df=2 if len(papers) > 50 else 1, max_df=0.5, dtype=np.float32,
    )
    matrix = vectorizer.fit_transform(paper_text(paper) for paper in papers).tocsr()
    terms = vectorizer.get_feature_names_out()
    related = {}
    for start in range(0, len(papers), CHUNK_ROWS):
        block = (matrix[start : start + CHUNK_ROWS] @ matrix.T).toarray()
        for offset, scores in enumerate(block):
            row = start + offset
            scores[row] = -1.0
            # Sort by similarity, then by slug, so ties break the same way every run.
            order = np.lexsort((np.arange(len(papers)), -scores))[:count]
            related[papers[row].slug] = tuple(
                RelatedLink(
                    papers[other].slug,
                    round(float(scores[other]), 3),
                    _shared_terms(matrix, row, other, terms),
                )
                for other in order
                if scores[other] >= min_similarity
            )
    return related


def _shared_terms(matrix, row: int, other: int, terms, top: int = 3) -> tuple[str, ...]:
    product = matrix[row].multiply(matrix[other]).tocoo()
    order = np.lexsort((product.col, -product.data))[:top]
    return tuple(str(terms[product.col[i]]) for i in order)
