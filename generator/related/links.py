"""The related links the analysis hands to the pages, and the cuts that choose them."""

from __future__ import annotations

from dataclasses import dataclass

SCORE_DECIMALS = 2
"""Scores are shown, compared and recorded at this many decimals."""


@dataclass(frozen=True)
class RelatedLink:
    """A link to a similar paper, with why it was chosen."""

    slug: str
    similarity: float
    shared_terms: tuple[str, ...]
    weak: bool = False
    """Shown to keep an isolated paper's list useful, but below a strong link's score."""


@dataclass(frozen=True)
class Cuts:
    """Which of a paper's best links are shown, and which are marked weak."""

    count: int = 5
    min_similarity: float = 0.05
    min_count: int = 3
    relative: float = 0.5
    weak_quantile: float = 0.1
